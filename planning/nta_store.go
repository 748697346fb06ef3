package planning

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// NTAImport is one import of a plan's rules.
type NTAImport struct {
	Plan     string
	Articles []Article
	// Zones maps zone codes to the articles that rule them, besides the
	// articles' own "Zone:" lines and the zones' norm_ref.
	Zones      map[string][]string
	SourceName string
	SHA256     string
	// ValidFrom is when this text took effect; nil: now, or for a plan's
	// first text the day of its first act (the rules came with the plan).
	ValidFrom *time.Time
}

// NTAVersion is one version of a plan's rules.
type NTAVersion struct {
	Plan       string    `json:"plan"`
	Version    int       `json:"version"`
	SourceName string    `json:"source_name"`
	ImportedAt time.Time `json:"imported_at"`
	ValidFrom  time.Time `json:"valid_from"`
	Articles   int       `json:"articles"`
	Zones      int       `json:"zone_links"`
}

// ImportNTA stores a new version of a plan's rules, in one transaction.
// Earlier versions stay: reports about earlier dates and issued
// certificates quote them.
func (s *Store) ImportNTA(ctx context.Context, in NTAImport) (NTAVersion, error) {
	p, err := s.Plan(ctx, in.Plan)
	if err != nil {
		return NTAVersion{}, err
	}
	if len(in.Articles) == 0 {
		return NTAVersion{}, errors.New("no article to import")
	}
	links, err := zoneLinks(in)
	if err != nil {
		return NTAVersion{}, err
	}
	var v NTAVersion
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		// One import of a plan's rules at a time: versions never collide.
		if _, err := tx.Exec(ctx, "LOCK TABLE sit.nta_versions IN SHARE ROW EXCLUSIVE MODE"); err != nil {
			return err
		}
		valid, err := s.validFrom(ctx, tx, p, in.ValidFrom)
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO sit.nta_versions (plan, version, source_name, sha256, valid_from)
			SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4 FROM sit.nta_versions WHERE plan = $1
			RETURNING version, imported_at, valid_from`, in.Plan, in.SourceName, in.SHA256, valid).Scan(&v.Version, &v.ImportedAt, &v.ValidFrom); err != nil {
			return fmt.Errorf("new version: %w", err)
		}
		return insertArticles(ctx, tx, in.Plan, v.Version, in.Articles, links)
	})
	if err != nil {
		return NTAVersion{}, fmt.Errorf("import the rules of %s: %w", in.Plan, err)
	}
	v.Plan, v.SourceName, v.Articles = in.Plan, in.SourceName, len(in.Articles)
	for _, arts := range links {
		v.Zones += len(arts)
	}
	return v, nil
}

// validFrom decides when a new version takes effect, refusing one earlier
// than the version before it (versions follow each other in time).
func (s *Store) validFrom(ctx context.Context, tx pgx.Tx, p Plan, given *time.Time) (time.Time, error) {
	var last *time.Time
	if err := tx.QueryRow(ctx, `SELECT max(valid_from) FROM sit.nta_versions WHERE plan = $1`, p.Code).Scan(&last); err != nil {
		return time.Time{}, err
	}
	var t time.Time
	switch {
	case given != nil:
		t = *given
	case last == nil && len(p.Acts) > 0:
		t = p.Acts[0].Date
	default:
		if err := tx.QueryRow(ctx, "SELECT now()").Scan(&t); err != nil {
			return time.Time{}, err
		}
	}
	if last != nil && t.Before(*last) {
		return time.Time{}, fmt.Errorf("valid from %s: the version before is valid from %s; versions follow each other in time",
			t.Format(time.DateOnly), last.Format(time.DateOnly))
	}
	return t, nil
}

// zoneLinks gathers the zone → article links of an import and checks that
// each names an article of it.
func zoneLinks(in NTAImport) (map[string][]string, error) {
	known := map[string]bool{}
	links := map[string][]string{}
	add := func(zone, art string) {
		if !slices.Contains(links[zone], art) {
			links[zone] = append(links[zone], art)
		}
	}
	for _, a := range in.Articles {
		known[a.Number] = true
		for _, z := range a.Zones {
			add(z, a.Number)
		}
	}
	for zone, arts := range in.Zones {
		for _, a := range arts {
			if !known[a] {
				return nil, fmt.Errorf("zone %s: article %s is not in the text", zone, a)
			}
			add(zone, a)
		}
	}
	return links, nil
}

func insertArticles(ctx context.Context, tx pgx.Tx, plan string, version int, arts []Article, links map[string][]string) error {
	for i, a := range arts {
		if _, err := tx.Exec(ctx, `INSERT INTO sit.nta_articles (plan, version, number, ord, title, body, page_from, page_to)
			VALUES ($1, $2, $3, $4, $5, $6, nullif($7, 0), nullif($8, 0))`, plan, version, a.Number, i, a.Title, a.Body, a.PageFrom, a.PageTo); err != nil {
			return fmt.Errorf("article %s: %w", a.Number, err)
		}
	}
	for zone, nums := range links {
		for _, n := range nums {
			if _, err := tx.Exec(ctx, `INSERT INTO sit.nta_zone_articles (plan, version, zone_code, number) VALUES ($1, $2, $3, $4)`,
				plan, version, zone, n); err != nil {
				return fmt.Errorf("zone %s, article %s: %w", zone, n, err)
			}
		}
	}
	return nil
}

// AttachArticles links a zone code to articles: a new version of the rules
// (the same text, one more link) valid from now, so that what earlier
// reports and certificates quoted stays as it was.
func (s *Store) AttachArticles(ctx context.Context, plan, zone string, numbers []string) (NTAVersion, error) {
	cur, err := s.currentNTA(ctx, plan)
	if err != nil {
		return NTAVersion{}, err
	}
	in := NTAImport{Plan: plan, SourceName: cur.SourceName, Zones: map[string][]string{}}
	if in.Articles, in.Zones, err = s.articles(ctx, plan, cur.Version); err != nil {
		return NTAVersion{}, err
	}
	for _, n := range numbers {
		in.Zones[zone] = append(in.Zones[zone], normNumber(n))
	}
	return s.ImportNTA(ctx, in)
}

func (s *Store) currentNTA(ctx context.Context, plan string) (NTAVersion, error) {
	vs, err := s.NTAVersions(ctx, plan)
	if err != nil {
		return NTAVersion{}, err
	}
	if len(vs) == 0 {
		return NTAVersion{}, fmt.Errorf("plan %s has no rules yet: %w (sit nta import)", plan, ErrNotFound)
	}
	return vs[len(vs)-1], nil
}

// NTAVersions lists the versions of a plan's rules, oldest first.
func (s *Store) NTAVersions(ctx context.Context, plan string) ([]NTAVersion, error) {
	rows, err := s.db.Query(ctx, `SELECT v.plan, v.version, v.source_name, v.imported_at, v.valid_from,
			(SELECT count(*) FROM sit.nta_articles a WHERE a.plan = v.plan AND a.version = v.version),
			(SELECT count(*) FROM sit.nta_zone_articles z WHERE z.plan = v.plan AND z.version = v.version)
		FROM sit.nta_versions v WHERE v.plan = $1 ORDER BY v.version`, plan)
	if err != nil {
		return nil, fmt.Errorf("rules of %s: %w", plan, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (NTAVersion, error) {
		var v NTAVersion
		err := r.Scan(&v.Plan, &v.Version, &v.SourceName, &v.ImportedAt, &v.ValidFrom, &v.Articles, &v.Zones)
		return v, err
	})
}

// articles reads a version's articles (in the text's order) and its links.
func (s *Store) articles(ctx context.Context, plan string, version int) ([]Article, map[string][]string, error) {
	rows, err := s.db.Query(ctx, `SELECT number, title, body, coalesce(page_from, 0), coalesce(page_to, 0)
		FROM sit.nta_articles WHERE plan = $1 AND version = $2 ORDER BY ord`, plan, version)
	if err != nil {
		return nil, nil, fmt.Errorf("articles of %s: %w", plan, err)
	}
	arts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Article, error) {
		var a Article
		err := r.Scan(&a.Number, &a.Title, &a.Body, &a.PageFrom, &a.PageTo)
		return a, err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("articles of %s: %w", plan, err)
	}
	links := map[string][]string{}
	rows, err = s.db.Query(ctx, `SELECT zone_code, number FROM sit.nta_zone_articles WHERE plan = $1 AND version = $2 ORDER BY zone_code, number`, plan, version)
	if err != nil {
		return nil, nil, fmt.Errorf("zone links of %s: %w", plan, err)
	}
	defer rows.Close()
	for rows.Next() {
		var z, n string
		if err := rows.Scan(&z, &n); err != nil {
			return nil, nil, err
		}
		links[z] = append(links[z], n)
	}
	return arts, links, rows.Err()
}

// ntaAt is the version of a plan's rules in force at an instant (0: none).
func (s *Store) ntaAt(ctx context.Context, plan string, at time.Time) (int, error) {
	var v *int
	err := s.db.QueryRow(ctx, `SELECT max(version) FROM sit.nta_versions WHERE plan = $1 AND valid_from <= $2`, plan, at).Scan(&v)
	if err != nil || v == nil {
		return 0, err
	}
	return *v, nil
}

// ZoneRef is a zone a report met: the layer it came from, its code and its
// norm_ref attribute.
type ZoneRef struct {
	Layer    string
	ZoneCode string
	NormRef  string
}

// Quote is an article quoted for a zone, with the plan and version of the
// rules it comes from.
type Quote struct {
	Plan     string `json:"plan"`
	PlanName string `json:"plan_name"`
	Version  int    `json:"nta_version"`
	Article
}

// Rules finds the articles that rule each zone at an instant: those
// linked to the zone code in the plan's rules then in force, and those
// its norm_ref names; an article the plan's rules lack is looked up in
// its parent's (a variant amends some articles). Zones of layers attached
// to no plan get none. It returns the quotes by zone and the version of
// each plan's rules it read (what a certificate records).
func (s *Store) Rules(ctx context.Context, at time.Time, refs []ZoneRef) (map[ZoneRef][]Quote, map[string]int, error) {
	return s.RulesPinned(ctx, at, refs, nil)
}

// RulesPinned is Rules reading, for each plan, the version of its rules
// pinned records (none for a plan it lacks) instead of the one valid at
// at: an issued certificate is recomputed from the versions it recorded.
// A nil pinned is Rules.
func (s *Store) RulesPinned(ctx context.Context, at time.Time, refs []ZoneRef, pinned map[string]int) (map[ZoneRef][]Quote, map[string]int, error) {
	plans, err := s.Plans(ctx)
	if err != nil {
		return nil, nil, err
	}
	byLayer, byCode := map[string]Plan{}, map[string]Plan{}
	for _, p := range plans {
		byCode[p.Code] = p
		for _, l := range p.Layers {
			byLayer[l.Layer] = p
		}
	}
	rc := &rulesCache{s: s, at: at, pinned: pinned, texts: map[string]*ntaText{}}
	out := map[ZoneRef][]Quote{}
	for _, ref := range refs {
		p, ok := byLayer[ref.Layer]
		if !ok {
			continue
		}
		qs, err := rc.quotes(ctx, p, byCode, ref)
		if err != nil {
			return nil, nil, err
		}
		if len(qs) > 0 {
			out[ref] = qs
		}
	}
	used := map[string]int{}
	for code, t := range rc.texts {
		if t.version > 0 {
			used[code] = t.version
		}
	}
	return out, used, nil
}

// ntaText is one plan's rules as read for a report.
type ntaText struct {
	version int
	byNum   map[string]Article
	links   map[string][]string
}

type rulesCache struct {
	s      *Store
	at     time.Time
	pinned map[string]int
	texts  map[string]*ntaText
}

func (rc *rulesCache) text(ctx context.Context, plan string) (*ntaText, error) {
	if t, ok := rc.texts[plan]; ok {
		return t, nil
	}
	t := &ntaText{byNum: map[string]Article{}, links: map[string][]string{}}
	// Pinned: exactly the recorded versions (a plan without one had no
	// rules quoted then).
	v := rc.pinned[plan]
	if rc.pinned == nil {
		var err error
		if v, err = rc.s.ntaAt(ctx, plan, rc.at); err != nil {
			return nil, err
		}
	}
	if v > 0 {
		arts, links, err := rc.s.articles(ctx, plan, v)
		if err != nil {
			return nil, err
		}
		t.version, t.links = v, links
		for _, a := range arts {
			t.byNum[a.Number] = a
		}
	}
	rc.texts[plan] = t
	return t, nil
}

// quotes finds the articles of one zone, in the plan's then the parent's
// rules.
func (rc *rulesCache) quotes(ctx context.Context, p Plan, byCode map[string]Plan, ref ZoneRef) ([]Quote, error) {
	t, err := rc.text(ctx, p.Code)
	if err != nil {
		return nil, err
	}
	nums := append(append([]string(nil), t.links[ref.ZoneCode]...), ArticlesOfRef(ref.NormRef)...)
	var out []Quote
	seen := map[string]bool{}
	for _, n := range nums {
		if seen[n] {
			continue
		}
		seen[n] = true
		// A variant's chain of parents is short; the bound guards a cycle.
		for plan, depth := p, 0; plan.Code != "" && depth < 8; plan, depth = byCode[plan.Parent], depth+1 {
			pt, err := rc.text(ctx, plan.Code)
			if err != nil {
				return nil, err
			}
			if a, ok := pt.byNum[n]; ok {
				out = append(out, Quote{Plan: plan.Code, PlanName: plan.Name, Version: pt.version, Article: a})
				break
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return articleLess(out[i].Number, out[j].Number) })
	return out, nil
}

// articleLess orders article numbers as a reader does: 9 < 10 < 10 bis < 11.
func articleLess(a, b string) bool {
	na, sa, _ := strings.Cut(a, " ")
	nb, sb, _ := strings.Cut(b, " ")
	if len(na) != len(nb) {
		return len(na) < len(nb)
	}
	if na != nb {
		return na < nb
	}
	return latinRank(sa) < latinRank(sb)
}

func latinRank(s string) int {
	if s == "" {
		return 0
	}
	for i, o := range strings.Split(latinOrdinals, "|") {
		if o == s {
			return i + 1
		}
	}
	return 99
}
