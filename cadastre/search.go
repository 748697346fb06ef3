package cadastre

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// SearchResult is what a free-text search found.
type SearchResult struct {
	Query string
	// By is "reference" or "address": how the text was understood.
	By  string
	Ref *domain.Ref
	// Parcels are the matches; several are candidates to choose from.
	Parcels []Parcel
	More    bool
}

// Search finds parcels from free text: a cadastral reference in any of the
// spellings ParseRef reads, else an address of the address layer ("via del
// fosso 12"). No match is a 404 problem naming q; text that is neither a
// reference nor (without an address layer) an address is a 400.
func (s *Service) Search(ctx context.Context, q string, limit int) (SearchResult, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return SearchResult{}, httpx.BadParameter("q", "required: a cadastral reference (foglio 37 particella 125, 37/125, E715_003700.125) or an address")
	}
	if len(q) > 200 {
		return SearchResult{}, httpx.BadParameter("q", "longer than 200 characters")
	}
	res := SearchResult{Query: q}
	// Without one cadastre layer nothing can match: say why (no cadastral
	// layer, or several and none with the role) rather than "nothing matches".
	if _, err := s.CadastreLayer(ctx); err != nil {
		return res, err
	}
	ref, refErr := domain.ParseRef(q)
	if refErr == nil {
		lk, err := s.ByRef(ctx, q, "q", limit)
		var p *httpx.Problem
		switch {
		case err == nil:
			res.By, res.Ref, res.Parcels, res.More = "reference", &lk.Ref, lk.Parcels, lk.More
			return res, nil
		case errors.As(err, &p) && p.Status == http.StatusNotFound:
			// Not a parcel: perhaps an address ("12", "via 37 125").
		default:
			return res, err
		}
	}
	al, ok := s.addressLayer(ctx)
	if !ok {
		if refErr != nil {
			return res, httpx.BadParameter("q", refErr.Error()+" (there is no address layer to search addresses in)")
		}
		l, _ := s.CadastreLayer(ctx)
		return res, &httpx.Problem{Status: http.StatusNotFound, Title: "Not Found", Parameter: "q",
			Detail: fmt.Sprintf("no parcel %s in layer %s", ref, l.Name)}
	}
	ps, err := s.byAddress(ctx, al, q, limit)
	if err != nil {
		return res, err
	}
	if len(ps) == 0 {
		how := "as a cadastral reference"
		if refErr == nil {
			how = "as the cadastral reference " + ref.String()
		}
		return res, &httpx.Problem{Status: http.StatusNotFound, Title: "Not Found", Parameter: "q",
			Detail: fmt.Sprintf("nothing matches %q: neither %s nor as an address of layer %s", q, how, al.Name)}
	}
	res.By, res.Parcels = "address", ps
	return res, nil
}

// addressColumns returns the expression of an address layer's full
// address (aliased a) and of its parcel reference ("" when it has none).
func addressColumns(l layers.Layer) (label, parcelRef string, ok bool) {
	q := func(c string) string { return "a." + pgx.Identifier{c}.Sanitize() + "::text" }
	has := func(c string) bool { _, ok := l.Property(c); return ok }
	switch {
	case has("address"):
		label = q("address")
	case has("indirizzo"):
		label = q("indirizzo")
	case has("street") && has("civico"):
		label = "concat_ws(' ', " + q("street") + ", " + q("civico") + ")"
	default:
		return "", "", false
	}
	parcelRef = "''"
	if has("parcel_ref") {
		parcelRef = "coalesce(" + q("parcel_ref") + ", '')"
	}
	return label, parcelRef, true
}

// likeWords is a LIKE pattern, for ' ' || search key, that has a word
// starting with each word of key, in order ("del fo" matches "via del
// fosso 12", not "via dell anfiteatro").
func likeWords(key string) string {
	return "% " + strings.ReplaceAll(key, " ", "% ") + "%"
}

type addressHit struct {
	label, parcelRef string
	lon, lat         float64
	rank             int
}

// addresses finds the addresses matching what was typed, best first: the
// exact address, one that ends with it ("fosso 12" → "VIA DEL FOSSO 12"),
// one that starts with it, then any with its words in order.
func (s *Service) addresses(ctx context.Context, l layers.Layer, q string, limit int) ([]addressHit, error) {
	label, pref, ok := addressColumns(l)
	if !ok {
		return nil, nil
	}
	key := QueryKey(q)
	if key == "" {
		return nil, nil
	}
	sql := `SELECT label, pref, ST_X(pt), ST_Y(pt),
			CASE WHEN k = $2 THEN 0 WHEN k LIKE $3 THEN 1 WHEN k LIKE $4 THEN 2 ELSE 3 END AS rank
		FROM (SELECT ` + label + ` AS label, ` + pref + ` AS pref, ST_PointOnSurface(` + l.Geom("a") + `) AS pt, sit.search_key(` + label + `) AS k
			FROM ` + l.Ident().Sanitize() + ` a WHERE ` + prefilter(label, 6) + `) a
		WHERE ' ' || k LIKE $1 ORDER BY rank, length(k), k LIMIT $5`
	rows, err := s.db.Query(ctx, sql, likeWords(key), key, "% "+key, key+"%", limit, prefilterPattern(key))
	if err != nil {
		return nil, fmt.Errorf("search addresses of %s: %w", l.Name, err)
	}
	defer rows.Close()
	var out []addressHit
	for rows.Next() {
		var h addressHit
		if err := rows.Scan(&h.label, &h.parcelRef, &h.lon, &h.lat, &h.rank); err != nil {
			return nil, fmt.Errorf("search addresses of %s: %w", l.Name, err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// byAddress returns the parcels of the addresses matching q: by the
// address layer's parcel_ref when it has one, else the parcel under (or
// within 30 m of) the address point. An exact address match hides the
// looser ones.
func (s *Service) byAddress(ctx context.Context, al layers.Layer, q string, limit int) ([]Parcel, error) {
	hits, err := s.addresses(ctx, al, q, limit)
	if err != nil || len(hits) == 0 {
		return nil, err
	}
	if best := hits[0].rank; best <= 1 {
		n := 0
		for n < len(hits) && hits[n].rank <= best {
			n++
		}
		hits = hits[:n]
	}
	cl, err := s.CadastreLayer(ctx)
	if err != nil {
		return nil, err
	}
	_, hasRef := cl.Property("ref")
	seen := map[string]bool{}
	var out []Parcel
	for _, h := range hits {
		var ps []Parcel
		if h.parcelRef != "" && hasRef {
			ps, err = s.query(ctx, cl, 1, func() (string, []any) {
				return "SELECT " + parcelColumns(cl) + " FROM " + cl.Ident().Sanitize() + " p WHERE p.ref = $1 ORDER BY " + cl.Key("p") + " LIMIT 1", []any{h.parcelRef}
			})
			if err != nil {
				return nil, err
			}
		}
		if len(ps) == 0 {
			ps, err = s.query(ctx, cl, 1, func() (string, []any) {
				return "SELECT " + parcelColumns(cl) + " FROM " + cl.Ident().Sanitize() + " p, ST_SetSRID(ST_MakePoint($1, $2), 4326) pt" +
					" WHERE ST_DWithin(" + cl.Geom("p") + "::geography, pt::geography, 30) ORDER BY " + cl.Native("p") + " <-> " + cl.ToNative("pt", layers.StorageSRID) + ", " + cl.Key("p") + " LIMIT 1", []any{h.lon, h.lat}
			})
			if err != nil {
				return nil, err
			}
		}
		if len(ps) == 0 {
			continue
		}
		p := ps[0]
		key := fmt.Sprint(p.FID)
		if seen[key] {
			continue
		}
		seen[key] = true
		p.Match = &Match{By: "address", Address: h.label}
		out = append(out, p)
	}
	return out, nil
}

// Suggestion is one completion for a search box.
type Suggestion struct {
	Label string `json:"label"`
	// Kind is "address" or "parcel".
	Kind string `json:"kind"`
	// Ref is the parcel's reference (for an address, its parcel's when the
	// address layer says it); Q is what to send to /parcels/search.
	Ref string `json:"ref,omitempty"`
	Q   string `json:"q"`
	// Point is the address position (lon, lat).
	Point []float64 `json:"point,omitempty"`
}

// Suggest completes what is being typed: parcels whose particella starts
// with the typed one ("37/12" → 12, 120, 121…) and addresses that start
// with (then contain) the typed words.
func (s *Service) Suggest(ctx context.Context, q string, limit int) ([]Suggestion, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, httpx.BadParameter("q", "required: the beginning of a cadastral reference or of an address")
	}
	if len(q) > 200 {
		return nil, httpx.BadParameter("q", "longer than 200 characters")
	}
	out := []Suggestion{}
	if ref, err := domain.ParseRef(q); err == nil {
		if cl, err := s.CadastreLayer(ctx); err == nil && hasParts(cl) {
			ps, err := s.parcelPrefix(ctx, cl, ref, limit)
			if err != nil {
				return nil, err
			}
			out = append(out, ps...)
		}
	}
	if al, ok := s.addressLayer(ctx); ok && len(out) < limit {
		label, pref, ok := addressColumns(al)
		key := QueryKey(q)
		if ok && key != "" {
			rows, err := s.db.Query(ctx, `SELECT label, pref, ST_X(pt), ST_Y(pt)
				FROM (SELECT `+label+` AS label, `+pref+` AS pref, ST_PointOnSurface(`+al.Geom("a")+`) AS pt, sit.search_key(`+label+`) AS k
					FROM `+al.Ident().Sanitize()+` a WHERE `+prefilter(label, 4)+`) a
				WHERE ' ' || k LIKE $1 ORDER BY k LIKE $2 DESC, length(k), k LIMIT $3`, likeWords(key), key+"%", limit-len(out), prefilterPattern(key))
			if err != nil {
				return nil, fmt.Errorf("suggest addresses of %s: %w", al.Name, err)
			}
			defer rows.Close()
			for rows.Next() {
				var sg Suggestion
				var lon, lat float64
				if err := rows.Scan(&sg.Label, &sg.Ref, &lon, &lat); err != nil {
					return nil, fmt.Errorf("suggest addresses of %s: %w", al.Name, err)
				}
				sg.Kind, sg.Q, sg.Point = "address", sg.Label, []float64{round(lon, 7), round(lat, 7)}
				out = append(out, sg)
			}
			if err := rows.Err(); err != nil {
				return nil, fmt.Errorf("suggest addresses of %s: %w", al.Name, err)
			}
		}
	}
	return out, nil
}

// parcelPrefix lists parcels of the typed foglio whose particella starts
// with the typed digits.
func (s *Service) parcelPrefix(ctx context.Context, l layers.Layer, r domain.Ref, limit int) ([]Suggestion, error) {
	col := func(name string) string {
		if _, ok := l.Property(name); ok {
			return "coalesce(p." + pgx.Identifier{name}.Sanitize() + "::text, '')"
		}
		return "''"
	}
	args := []any{padded(r.Foglio, 4)}
	where := "p.foglio::text = ANY($1::text[])"
	if r.Particella != "" {
		args = append(args, r.Particella+"%")
		where += " AND p.particella::text LIKE $2"
	}
	if r.Comune != "" {
		if _, ok := l.Property("comune"); ok {
			args = append(args, r.Comune)
			where += " AND upper(p.comune::text) = $" + strconv.Itoa(len(args))
		}
	}
	args = append(args, limit)
	rows, err := s.db.Query(ctx, "SELECT "+col("comune")+", "+col("sezione")+", "+col("foglio")+", "+col("allegato")+", "+
		col("sviluppo")+", "+col("particella")+", "+col("ref")+" FROM "+l.Ident().Sanitize()+" p WHERE "+where+
		" ORDER BY length(p.particella::text), p.particella, "+l.Key("p")+" LIMIT $"+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("suggest parcels of %s: %w", l.Name, err)
	}
	defer rows.Close()
	var out []Suggestion
	for rows.Next() {
		var p Parcel
		var ref string
		if err := rows.Scan(&p.Comune, &p.Sezione, &p.Foglio, &p.Allegato, &p.Sviluppo, &p.Particella, &ref); err != nil {
			return nil, fmt.Errorf("suggest parcels of %s: %w", l.Name, err)
		}
		p.Comune, p.Sezione, p.Allegato, p.Sviluppo = strings.ToUpper(p.Comune), domain.OptionalPart(p.Sezione), domain.OptionalPart(p.Allegato), domain.OptionalPart(p.Sviluppo)
		p.Foglio = domain.TrimZeros(strings.ToUpper(p.Foglio))
		p.Ref = domain.NationalRef(p.Comune, p.Sezione, p.Foglio, p.Allegato, p.Sviluppo, p.Particella)
		if p.Ref == "" {
			p.Ref = ref
		}
		if p.Ref == "" {
			p.Ref = p.Foglio + "/" + p.Particella
		}
		out = append(out, Suggestion{Label: p.Label(), Kind: "parcel", Ref: p.Ref, Q: p.Ref})
	}
	return out, rows.Err()
}
