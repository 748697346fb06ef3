package reports

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// Unknown is the band or class of a record without a speed.
const Unknown = "unknown"

// Count is the addresses and households of one band or class, with their
// shares (%) of the zone's totals.
type Count struct {
	Addresses     int64   `json:"addresses"`
	Households    int64   `json:"households"`
	AddressesPct  float64 `json:"addresses_pct"`
	HouseholdsPct float64 `json:"households_pct"`
}

// Counts are the figures of one zone at one snapshot.
type Counts struct {
	Snapshot   string           `json:"snapshot"`
	Addresses  int64            `json:"addresses"`
	Households int64            `json:"households"`
	ByBand     map[string]Count `json:"by_speed_band"`
	ByClass    map[string]Count `json:"by_area_class"`
}

// Delta is the change of a band or class between two snapshots.
type Delta struct {
	Addresses  int64 `json:"addresses"`
	Households int64 `json:"households"`
	// AddressesPctPoints is the change of the share, in percentage points.
	AddressesPctPoints float64 `json:"addresses_pct_points"`
}

// Change compares a zone between the compared snapshot and the snapshot.
type Change struct {
	Addresses  int64            `json:"addresses"`
	Households int64            `json:"households"`
	ByBand     map[string]Delta `json:"by_speed_band"`
	ByClass    map[string]Delta `json:"by_area_class"`
	// FastPctPoints is the change of the share of addresses at ≥ 100
	// Mbit/s, WhitePctPoints that of white addresses.
	FastPctPoints  float64 `json:"fast_pct_points"`
	WhitePctPoints float64 `json:"white_pct_points"`
	// Status: "improved" (more fast or fewer white, nothing worse),
	// "worsened", "mixed" or "unchanged".
	Status string `json:"status"`
}

// ZoneStats is one row of the analytics.
type ZoneStats struct {
	FID      any     `json:"fid"`
	Name     string  `json:"name"`
	Code     string  `json:"code"`
	Current  Counts  `json:"current"`
	Previous *Counts `json:"previous,omitempty"`
	Change   *Change `json:"change,omitempty"`
}

// LayerRef names a layer used by a report.
type LayerRef struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Version int64  `json:"version"`
}

// BroadbandReport is the digital-divide analytics by zone.
type BroadbandReport struct {
	Zones         LayerRef    `json:"zones"`
	Coverage      LayerRef    `json:"coverage"`
	Snapshot      string      `json:"snapshot"`
	Compare       string      `json:"compare,omitempty"`
	Snapshots     []string    `json:"snapshots_available"`
	Bands         []string    `json:"speed_bands"`
	Classes       []string    `json:"area_classes"`
	HasHouseholds bool        `json:"has_households"`
	Rules         string      `json:"rules"`
	GeneratedAt   time.Time   `json:"generated_at"`
	Rows          []ZoneStats `json:"zones_stats"`
	// Outside counts the addresses in no zone; Total all of them.
	Outside ZoneStats `json:"outside_zones"`
	Total   ZoneStats `json:"total"`
	// Improved and NotImproved name the zones (with compare only).
	Improved    []string `json:"improved"`
	NotImproved []string `json:"not_improved"`
}

// BroadbandRequest says what to aggregate.
type BroadbandRequest struct {
	Zones    string // a polygon layer; "" takes the one layer with role zones
	Coverage string // "" takes the coverage layer by role
	Snapshot string // YYYY-MM-DD; "" is the latest
	Compare  string // YYYY-MM-DD or ""
}

// coverageSetup is the checked request: layers, columns, snapshots.
type coverageSetup struct {
	zones, coverage  layers.Layer
	snapshot, prev   string
	snapshots        []string
	households       string // the households column, "" when none
	zoneName, zoneCd string // SQL expressions over alias z
}

func notFound(param, detail string) *httpx.Problem {
	return &httpx.Problem{Status: http.StatusNotFound, Title: "Not Found", Detail: detail, Parameter: param}
}

// parseDate checks a snapshot parameter.
func parseDate(param, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return "", httpx.BadParameter(param, fmt.Sprintf("%q is not a date YYYY-MM-DD", v))
	}
	return t.Format("2006-01-02"), nil
}

func polygonal(l layers.Layer) bool {
	return strings.Contains(l.GeometryType, "Polygon") || l.GeometryType == "Geometry"
}

// zonesLayer resolves the zones parameter.
func (s *Service) zonesLayer(ctx context.Context, name string) (layers.Layer, error) {
	if name == "" {
		zs := layers.WithRole(s.cat.Layers(ctx), layers.RoleZones)
		if len(zs) == 1 {
			return zs[0], nil
		}
		var names []string
		for _, l := range zs {
			names = append(names, l.Name)
		}
		return layers.Layer{}, httpx.BadParameter("zones", "required: the polygon layer to aggregate by (layers with the role zones: "+strings.Join(names, ", ")+")")
	}
	l, ok := s.cat.Layer(ctx, name)
	if !ok {
		return l, notFound("zones", fmt.Sprintf("no layer %q", name))
	}
	if !polygonal(l) {
		return l, httpx.BadParameter("zones", fmt.Sprintf("layer %s holds %s features, not polygons", name, l.GeometryType))
	}
	if l.KeyColumn() == "" {
		// Each zone is a row of the report and zone= names one by its id.
		return l, httpx.BadParameter("zones", "layer "+name+" cannot be the zones: "+l.NoKeyNote())
	}
	return l, nil
}

// labelColumns picks the columns that name and code a zone.
func labelColumns(l layers.Layer) (name, code string) {
	pick := func(cands ...string) string {
		for _, c := range cands {
			if p, ok := l.Property(c); ok && p.Type != layers.TypeJSON {
				return "coalesce(z." + pgx.Identifier{c}.Sanitize() + "::text, '')"
			}
		}
		return "''"
	}
	name = pick("name", "nome", "denominazione", "comune", "description", "zone_code", "code")
	code = pick("code", "codice", "pro_com", "com_istat_code", "zone_code", "sezione")
	if name == "''" {
		name = l.Key("z") + "::text"
	}
	return name, code
}

// coverageLayer resolves the coverage parameter (a broadband layer).
func (s *Service) coverageLayer(ctx context.Context, name string) (layers.Layer, error) {
	if name != "" {
		l, ok := s.cat.Layer(ctx, name)
		if !ok {
			return l, notFound("coverage", fmt.Sprintf("no layer %q", name))
		}
		if l.Kind != layers.KindBroadband {
			return l, httpx.BadParameter("coverage", fmt.Sprintf("layer %s is of kind %s, not broadband", name, l.Kind))
		}
		return l, nil
	}
	l, err := layers.LayerFor(s.cat.Layers(ctx), layers.RoleCoverage)
	if err != nil {
		return l, notFound("coverage", err.Error())
	}
	return l, nil
}

// snapshots lists the dates of a broadband layer.
func (s *Service) snapshots(ctx context.Context, l layers.Layer) ([]string, error) {
	if _, ok := l.Property("snapshot"); !ok {
		return nil, nil
	}
	rows, err := s.db.Query(ctx, "SELECT DISTINCT "+snapshotSQL(l, "b")+"::text FROM "+l.Ident().Sanitize()+" b WHERE b.snapshot IS NOT NULL ORDER BY 1")
	if err != nil {
		return nil, fmt.Errorf("snapshots of %s: %w", l.Name, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("snapshots of %s: %w", l.Name, err)
	}
	return out, nil
}

// pickSnapshots checks snapshot and compare against what the layer has.
func pickSnapshots(avail []string, snapshot, compare string) (string, string, error) {
	if len(avail) == 0 {
		return "", "", notFound("snapshot", "the coverage layer has no snapshot")
	}
	has := func(d string) bool {
		for _, a := range avail {
			if a == d {
				return true
			}
		}
		return false
	}
	if snapshot == "" {
		snapshot = avail[len(avail)-1]
	} else if !has(snapshot) {
		return "", "", notFound("snapshot", fmt.Sprintf("no data for %s; snapshots: %s", snapshot, strings.Join(avail, ", ")))
	}
	if compare != "" {
		if !has(compare) {
			return "", "", notFound("compare", fmt.Sprintf("no data for %s; snapshots: %s", compare, strings.Join(avail, ", ")))
		}
		if compare == snapshot {
			return "", "", httpx.BadParameter("compare", "the same date as snapshot: compare two different snapshots")
		}
	}
	return snapshot, compare, nil
}

func (s *Service) setup(ctx context.Context, req BroadbandRequest) (coverageSetup, error) {
	var st coverageSetup
	snap, err := parseDate("snapshot", req.Snapshot)
	if err != nil {
		return st, err
	}
	cmp, err := parseDate("compare", req.Compare)
	if err != nil {
		return st, err
	}
	if st.coverage, err = s.coverageLayer(ctx, req.Coverage); err != nil {
		return st, err
	}
	if st.snapshots, err = s.snapshots(ctx, st.coverage); err != nil {
		return st, err
	}
	if st.snapshot, st.prev, err = pickSnapshots(st.snapshots, snap, cmp); err != nil {
		return st, err
	}
	for _, c := range []string{"households", "famiglie"} {
		if p, ok := st.coverage.Property(c); ok && (p.Type == layers.TypeInteger || p.Type == layers.TypeDouble) {
			st.households = c
			break
		}
	}
	return st, nil
}

// zoneJoin assigns each point of the coverage layer cov (alias b) to one
// zone (zz.fid, its key, and the columns of extra): the lowest key among
// those containing it, so that a point on a shared boundary is counted
// once. Either may be a published relation in any SRID (key and geometry
// through the layer).
func zoneJoin(z, cov layers.Layer, extra string) string {
	return `LEFT JOIN LATERAL (SELECT ` + z.Key("z") + ` AS fid` + extra + ` FROM ` + z.Ident().Sanitize() + ` z WHERE ` +
		z.Intersects("z", cov.Geom("b")) + ` ORDER BY ` + z.Key("z") + ` LIMIT 1) zz ON true`
}

// Broadband aggregates the coverage layer by the zones of any polygon
// layer, at a snapshot and optionally compared with another one.
func (s *Service) Broadband(ctx context.Context, req BroadbandRequest) (BroadbandReport, error) {
	var rep BroadbandReport
	zl, err := s.zonesLayer(ctx, req.Zones)
	if err != nil {
		return rep, err
	}
	st, err := s.setup(ctx, req)
	if err != nil {
		return rep, err
	}
	st.zones = zl
	st.zoneName, st.zoneCd = labelColumns(zl)
	rep = BroadbandReport{
		Zones:    LayerRef{Name: zl.Name, Title: zl.Title, Version: zl.Version},
		Coverage: LayerRef{Name: st.coverage.Name, Title: st.coverage.Title, Version: st.coverage.Version},
		Snapshot: st.snapshot, Compare: st.prev, Snapshots: st.snapshots, Bands: domain.SpeedBands(), Classes: domain.AreaClasses(),
		HasHouseholds: st.households != "", GeneratedAt: s.opt.Now().UTC().Truncate(time.Second),
		Rules: "Each address point counts in the one zone containing it (the lowest fid on a shared boundary). Speed bands by maximum download: " +
			strings.Join(domain.SpeedBands(), ", ") + " Mbit/s; area class from the source or white <30, grey 30-100, black >=100 Mbit/s. Shares are % of the zone's addresses " +
			"(households: of its households). With compare: a zone improved when its share of addresses at >=100 Mbit/s rose or its white share fell, and neither moved the other way.",
	}
	// The zones, so that a zone without addresses still has its row.
	idx, err := s.zoneRows(ctx, st, &rep)
	if err != nil {
		return rep, err
	}
	rep.Outside = ZoneStats{Name: "(outside every zone)"}
	rep.Total = ZoneStats{Name: "(total)"}
	for _, snap := range []string{st.snapshot, st.prev} {
		if snap == "" {
			continue
		}
		counts, err := s.aggregate(ctx, st, snap, idx, len(rep.Rows))
		if err != nil {
			return rep, err
		}
		current := snap == st.snapshot
		assign := func(zs *ZoneStats, c Counts) {
			if current {
				zs.Current = c
			} else {
				cc := c
				zs.Previous = &cc
			}
		}
		for i := range rep.Rows {
			assign(&rep.Rows[i], counts.zones[i])
		}
		assign(&rep.Outside, counts.outside)
		assign(&rep.Total, counts.total)
	}
	if st.prev != "" {
		compareZones(&rep)
	}
	return rep, nil
}

// zoneRows lists the zones of the zones layer, each with an empty row,
// and indexes the rows by fid.
func (s *Service) zoneRows(ctx context.Context, st coverageSetup, rep *BroadbandReport) (map[string]int, error) {
	zl := st.zones
	rows, err := s.db.Query(ctx, "SELECT "+zl.Key("z")+", "+st.zoneName+", "+st.zoneCd+" FROM "+zl.Ident().Sanitize()+" z ORDER BY 2, 1")
	if err != nil {
		return nil, fmt.Errorf("zones of %s: %w", zl.Name, err)
	}
	defer rows.Close()
	idx := map[string]int{}
	for rows.Next() {
		var zs ZoneStats
		if err := rows.Scan(&zs.FID, &zs.Name, &zs.Code); err != nil {
			return nil, fmt.Errorf("zones of %s: %w", zl.Name, err)
		}
		idx[fmt.Sprint(zs.FID)] = len(rep.Rows)
		rep.Rows = append(rep.Rows, zs)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("zones of %s: %w", zl.Name, err)
	}
	return idx, nil
}

// compareZones fills the changes between the snapshots and names the
// zones that improved and those that did not.
func compareZones(rep *BroadbandReport) {
	rep.Improved, rep.NotImproved = []string{}, []string{}
	for i := range rep.Rows {
		z := &rep.Rows[i]
		z.Change = change(*z.Previous, z.Current)
		label := z.Name
		if z.Code != "" && z.Code != z.Name {
			label += " (" + z.Code + ")"
		}
		if z.Change.Status == "improved" {
			rep.Improved = append(rep.Improved, label)
		} else {
			rep.NotImproved = append(rep.NotImproved, label)
		}
	}
	rep.Outside.Change = change(*rep.Outside.Previous, rep.Outside.Current)
	rep.Total.Change = change(*rep.Total.Previous, rep.Total.Current)
}

type aggregated struct {
	zones          []Counts
	outside, total Counts
}

func newCounts(snapshot string) Counts {
	c := Counts{Snapshot: snapshot, ByBand: map[string]Count{}, ByClass: map[string]Count{}}
	for _, b := range domain.SpeedBands() {
		c.ByBand[b] = Count{}
	}
	for _, k := range domain.AreaClasses() {
		c.ByClass[k] = Count{}
	}
	return c
}

func (c *Counts) add(band, class string, n, hh int64) {
	c.Addresses += n
	c.Households += hh
	if band == "" {
		band = Unknown
	}
	if class == "" {
		class = Unknown
	}
	b := c.ByBand[band]
	b.Addresses += n
	b.Households += hh
	c.ByBand[band] = b
	k := c.ByClass[class]
	k.Addresses += n
	k.Households += hh
	c.ByClass[class] = k
}

func pct(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return math.Round(10000*float64(part)/float64(whole)) / 100
}

func (c *Counts) shares() {
	for k, v := range c.ByBand {
		v.AddressesPct, v.HouseholdsPct = pct(v.Addresses, c.Addresses), pct(v.Households, c.Households)
		c.ByBand[k] = v
	}
	for k, v := range c.ByClass {
		v.AddressesPct, v.HouseholdsPct = pct(v.Addresses, c.Addresses), pct(v.Households, c.Households)
		c.ByClass[k] = v
	}
}

// aggregate counts one snapshot by zone, band and class in one statement.
func (s *Service) aggregate(ctx context.Context, st coverageSetup, snap string, idx map[string]int, n int) (aggregated, error) {
	hh := "0::bigint"
	if st.households != "" {
		hh = "coalesce(sum(b." + pgx.Identifier{st.households}.Sanitize() + "), 0)::bigint"
	}
	col := func(c string) string {
		if _, ok := st.coverage.Property(c); ok {
			return "coalesce(b." + pgx.Identifier{c}.Sanitize() + "::text, '')"
		}
		return "''"
	}
	sql := "SELECT zz.fid, " + col("speed_band") + ", " + col("area_class") + ", count(*), " + hh +
		" FROM " + st.coverage.Ident().Sanitize() + " b " + zoneJoin(st.zones, st.coverage, "") +
		" WHERE " + snapshotIs(st.coverage, "b", 1) + " GROUP BY 1, 2, 3"
	rows, err := s.db.Query(ctx, sql, snap)
	if err != nil {
		return aggregated{}, fmt.Errorf("broadband by %s: %w", st.zones.Name, err)
	}
	defer rows.Close()
	a := aggregated{zones: make([]Counts, n), outside: newCounts(snap), total: newCounts(snap)}
	for i := range a.zones {
		a.zones[i] = newCounts(snap)
	}
	for rows.Next() {
		var fid any
		var band, class string
		var cnt, h int64
		if err := rows.Scan(&fid, &band, &class, &cnt, &h); err != nil {
			return a, fmt.Errorf("broadband by %s: %w", st.zones.Name, err)
		}
		a.total.add(band, class, cnt, h)
		if fid == nil {
			a.outside.add(band, class, cnt, h)
			continue
		}
		if i, ok := idx[fmt.Sprint(fid)]; ok {
			a.zones[i].add(band, class, cnt, h)
		}
	}
	if err := rows.Err(); err != nil {
		return a, fmt.Errorf("broadband by %s: %w", st.zones.Name, err)
	}
	for i := range a.zones {
		a.zones[i].shares()
	}
	a.outside.shares()
	a.total.shares()
	return a, nil
}

// change compares two snapshots of a zone; shares compare exactly
// (cross-multiplied counts), not through rounded percentages.
func change(prev, cur Counts) *Change {
	c := &Change{Addresses: cur.Addresses - prev.Addresses, Households: cur.Households - prev.Households,
		ByBand: map[string]Delta{}, ByClass: map[string]Delta{}}
	delta := func(p, q Count, pt, qt int64) Delta {
		return Delta{Addresses: q.Addresses - p.Addresses, Households: q.Households - p.Households,
			AddressesPctPoints: math.Round(100*(share(q.Addresses, qt)-share(p.Addresses, pt))*100) / 100}
	}
	for k, v := range cur.ByBand {
		c.ByBand[k] = delta(prev.ByBand[k], v, prev.Addresses, cur.Addresses)
	}
	for k, v := range prev.ByBand {
		if _, ok := c.ByBand[k]; !ok {
			c.ByBand[k] = delta(v, Count{}, prev.Addresses, cur.Addresses)
		}
	}
	for k, v := range cur.ByClass {
		c.ByClass[k] = delta(prev.ByClass[k], v, prev.Addresses, cur.Addresses)
	}
	for k, v := range prev.ByClass {
		if _, ok := c.ByClass[k]; !ok {
			c.ByClass[k] = delta(v, Count{}, prev.Addresses, cur.Addresses)
		}
	}
	fastP := prev.ByBand["100-1000"].Addresses + prev.ByBand[">=1000"].Addresses
	fastC := cur.ByBand["100-1000"].Addresses + cur.ByBand[">=1000"].Addresses
	c.FastPctPoints = math.Round(100*(share(fastC, cur.Addresses)-share(fastP, prev.Addresses))*100) / 100
	c.WhitePctPoints = math.Round(100*(share(cur.ByClass["white"].Addresses, cur.Addresses)-share(prev.ByClass["white"].Addresses, prev.Addresses))*100) / 100
	fast := cmpShare(fastC, cur.Addresses, fastP, prev.Addresses)
	white := cmpShare(cur.ByClass["white"].Addresses, cur.Addresses, prev.ByClass["white"].Addresses, prev.Addresses)
	better := fast > 0 || white < 0
	worse := fast < 0 || white > 0
	switch {
	case better && !worse:
		c.Status = "improved"
	case worse && !better:
		c.Status = "worsened"
	case better && worse:
		c.Status = "mixed"
	default:
		c.Status = "unchanged"
	}
	return c
}

func share(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// cmpShare compares a/b with c/d exactly: -1, 0 or 1 (0/0 counts as 0).
func cmpShare(a, b, c, d int64) int {
	if b == 0 {
		a, b = 0, 1
	}
	if d == 0 {
		c, d = 0, 1
	}
	l, r := a*d, c*b
	switch {
	case l > r:
		return 1
	case l < r:
		return -1
	}
	return 0
}
