package reports

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// AGCOMComune is one comune's FTTH coverage at a snapshot: the source's
// counts unchanged, and the shares computed from them.
type AGCOMComune struct {
	ProCom        int64  `json:"pro_com"`
	Comune        string `json:"comune"`
	Provincia     string `json:"provincia,omitempty"`
	Snapshot      string `json:"snapshot"`
	Indirizzi     *int64 `json:"indirizzi"`
	IndirizziFTTH *int64 `json:"indirizzi_ftth"`
	Famiglie      *int64 `json:"famiglie"`
	FamiglieFTTH  *int64 `json:"famiglie_ftth"`
	// Shares are ratios (0–1); Pct the same in % to 2 decimals; nil when
	// a count is missing or the whole is zero.
	FTTHAddressesShare   *float64 `json:"ftth_addresses_share"`
	FTTHAddressesPct     *float64 `json:"ftth_addresses_pct"`
	FTTHHouseholdsShare  *float64 `json:"ftth_households_share"`
	FTTHHouseholdsPct    *float64 `json:"ftth_households_pct"`
	Compare              *string  `json:"compare_snapshot,omitempty"`
	IndirizziFTTHPrev    *int64   `json:"indirizzi_ftth_compare,omitempty"`
	FamiglieFTTHPrev     *int64   `json:"famiglie_ftth_compare,omitempty"`
	FTTHAddressesPctPrev *float64 `json:"ftth_addresses_pct_compare,omitempty"`
	FTTHHouseholdsPctPre *float64 `json:"ftth_households_pct_compare,omitempty"`
	DeltaIndirizziFTTH   *int64   `json:"change_indirizzi_ftth,omitempty"`
	DeltaFamiglieFTTH    *int64   `json:"change_famiglie_ftth,omitempty"`
	DeltaAddressesPct    *float64 `json:"change_ftth_addresses_pct_points,omitempty"`
	DeltaHouseholdsPct   *float64 `json:"change_ftth_households_pct_points,omitempty"`
	geometry             json.RawMessage
}

// AGCOMReport is the AGCOM per-comune layer for a choropleth.
type AGCOMReport struct {
	Layer     LayerRef      `json:"layer"`
	Snapshot  string        `json:"snapshot"`
	Compare   string        `json:"compare,omitempty"`
	Snapshots []string      `json:"snapshots_available"`
	Comuni    []AGCOMComune `json:"comuni"`
	// Range of the FTTH share of addresses (%), for the legend.
	MinPct *float64 `json:"min_ftth_addresses_pct"`
	MaxPct *float64 `json:"max_ftth_addresses_pct"`
}

func ratio(part, whole *int64) (*float64, *float64) {
	if part == nil || whole == nil || *whole == 0 {
		return nil, nil
	}
	r := float64(*part) / float64(*whole)
	s := math.Round(r*1e6) / 1e6
	p := math.Round(r*1e4) / 100
	return &s, &p
}

func sub(a, b *int64) *int64 {
	if a == nil || b == nil {
		return nil
	}
	d := *a - *b
	return &d
}

func subf(a, b *float64) *float64 {
	if a == nil || b == nil {
		return nil
	}
	d := math.Round((*a-*b)*100) / 100
	return &d
}

// agcomLayer finds the AGCOM layer (role agcom) and checks its columns.
func (s *Service) agcomLayer(ctx context.Context) (layers.Layer, error) {
	l, err := layers.LayerFor(s.cat.Layers(ctx), layers.RoleAGCOM)
	if err != nil {
		return l, &httpx.Problem{Status: http.StatusNotFound, Title: "Not Found", Detail: err.Error() +
			" (import the AGCOM Reportistica per comune CSV with the role agcom)"}
	}
	for _, c := range domain.AGCOMColumns() {
		if _, ok := l.Property(c); !ok {
			return l, &httpx.Problem{Status: http.StatusNotFound, Title: "Not Found",
				Detail: fmt.Sprintf("layer %s has no column %s: it is not an AGCOM Reportistica per comune table", l.Name, c)}
		}
	}
	return l, nil
}

// AGCOM returns the AGCOM per-comune FTTH figures at a snapshot (default
// the latest), optionally compared with another one. Counts are the
// source's, unchanged.
func (s *Service) AGCOM(ctx context.Context, snapshot, compare string) (AGCOMReport, error) {
	var rep AGCOMReport
	snap, err := parseDate("snapshot", snapshot)
	if err != nil {
		return rep, err
	}
	cmp, err := parseDate("compare", compare)
	if err != nil {
		return rep, err
	}
	l, err := s.agcomLayer(ctx)
	if err != nil {
		return rep, err
	}
	if rep.Snapshots, err = s.snapshots(ctx, l); err != nil {
		return rep, err
	}
	if rep.Snapshot, rep.Compare, err = pickSnapshots(rep.Snapshots, snap, cmp); err != nil {
		return rep, err
	}
	rep.Layer = LayerRef{Name: l.Name, Title: l.Title, Version: l.Version}
	cur, err := s.agcomRows(ctx, l, rep.Snapshot, true)
	if err != nil {
		return rep, err
	}
	var prev map[int64]AGCOMComune
	if rep.Compare != "" {
		rows, err := s.agcomRows(ctx, l, rep.Compare, false)
		if err != nil {
			return rep, err
		}
		prev = map[int64]AGCOMComune{}
		for _, r := range rows {
			prev[r.ProCom] = r
		}
	}
	for i := range cur {
		c := &cur[i]
		if p, ok := prev[c.ProCom]; ok {
			c.Compare = &rep.Compare
			c.IndirizziFTTHPrev, c.FamiglieFTTHPrev = p.IndirizziFTTH, p.FamiglieFTTH
			c.FTTHAddressesPctPrev, c.FTTHHouseholdsPctPre = p.FTTHAddressesPct, p.FTTHHouseholdsPct
			c.DeltaIndirizziFTTH, c.DeltaFamiglieFTTH = sub(c.IndirizziFTTH, p.IndirizziFTTH), sub(c.FamiglieFTTH, p.FamiglieFTTH)
			c.DeltaAddressesPct, c.DeltaHouseholdsPct = subf(c.FTTHAddressesPct, p.FTTHAddressesPct), subf(c.FTTHHouseholdsPct, p.FTTHHouseholdsPct)
		}
		if v := c.FTTHAddressesPct; v != nil {
			if rep.MinPct == nil || *v < *rep.MinPct {
				rep.MinPct = v
			}
			if rep.MaxPct == nil || *v > *rep.MaxPct {
				rep.MaxPct = v
			}
		}
	}
	rep.Comuni = cur
	return rep, nil
}

func (s *Service) agcomRows(ctx context.Context, l layers.Layer, snap string, geom bool) ([]AGCOMComune, error) {
	q := func(c string) string { return "a." + pgx.Identifier{c}.Sanitize() }
	prov := "''"
	if _, ok := l.Property("provincia"); ok {
		prov = "coalesce(" + q("provincia") + "::text, '')"
	}
	g := "NULL::text"
	if geom {
		g = "ST_AsGeoJSON(" + l.Geom("a") + ", 6)::text"
	}
	sql := "SELECT " + q("pro_com") + "::bigint, coalesce(" + q("comune") + "::text, ''), " + prov + ", " +
		q("indirizzi") + "::bigint, " + q("indirizzi_ftth") + "::bigint, " + q("famiglie") + "::bigint, " + q("famiglie_ftth") + "::bigint, " + g +
		" FROM " + l.Ident().Sanitize() + " a WHERE " + snapshotIs(l, "a", 1) + " AND " + q("pro_com") + " IS NOT NULL ORDER BY 2, 1"
	rows, err := s.db.Query(ctx, sql, snap)
	if err != nil {
		return nil, fmt.Errorf("AGCOM %s: %w", l.Name, err)
	}
	defer rows.Close()
	var out []AGCOMComune
	for rows.Next() {
		c := AGCOMComune{Snapshot: snap}
		var gj *string
		if err := rows.Scan(&c.ProCom, &c.Comune, &c.Provincia, &c.Indirizzi, &c.IndirizziFTTH, &c.Famiglie, &c.FamiglieFTTH, &gj); err != nil {
			return nil, fmt.Errorf("AGCOM %s: %w", l.Name, err)
		}
		if gj != nil {
			c.geometry = json.RawMessage(*gj)
		}
		c.FTTHAddressesShare, c.FTTHAddressesPct = ratio(c.IndirizziFTTH, c.Indirizzi)
		c.FTTHHouseholdsShare, c.FTTHHouseholdsPct = ratio(c.FamiglieFTTH, c.Famiglie)
		out = append(out, c)
	}
	return out, rows.Err()
}

// GeoJSON returns the report as a choropleth-ready FeatureCollection:
// one feature per comune (id pro_com), its figures as properties.
func (rep AGCOMReport) GeoJSON() map[string]any {
	fs := make([]any, 0, len(rep.Comuni))
	for _, c := range rep.Comuni {
		b, _ := json.Marshal(c)
		var props map[string]any
		_ = json.Unmarshal(b, &props)
		geom := c.geometry
		if len(geom) == 0 {
			geom = json.RawMessage("null")
		}
		fs = append(fs, map[string]any{"type": "Feature", "id": c.ProCom, "geometry": geom, "properties": props})
	}
	return map[string]any{"type": "FeatureCollection", "features": fs, "layer": rep.Layer, "snapshot": rep.Snapshot,
		"compare": rep.Compare, "snapshots_available": rep.Snapshots, "min_ftth_addresses_pct": rep.MinPct, "max_ftth_addresses_pct": rep.MaxPct}
}

// WriteAGCOMCSV writes one row per comune.
func WriteAGCOMCSV(w io.Writer, rep AGCOMReport) error {
	cw := csv.NewWriter(w)
	head := []string{"pro_com", "comune", "provincia", "snapshot", "indirizzi", "indirizzi_ftth", "ftth_addresses_pct", "famiglie", "famiglie_ftth", "ftth_households_pct"}
	if rep.Compare != "" {
		head = append(head, "compare_snapshot", "indirizzi_ftth_compare", "famiglie_ftth_compare", "change_indirizzi_ftth", "change_famiglie_ftth",
			"change_ftth_addresses_pct_points", "change_ftth_households_pct_points")
	}
	_ = cw.Write(head)
	i := func(v *int64) string {
		if v == nil {
			return ""
		}
		return itoa(*v)
	}
	f := func(v *float64) string {
		if v == nil {
			return ""
		}
		return ftoa(*v)
	}
	for _, c := range rep.Comuni {
		r := []string{itoa(c.ProCom), c.Comune, c.Provincia, c.Snapshot, i(c.Indirizzi), i(c.IndirizziFTTH), f(c.FTTHAddressesPct),
			i(c.Famiglie), i(c.FamiglieFTTH), f(c.FTTHHouseholdsPct)}
		if rep.Compare != "" {
			r = append(r, rep.Compare, i(c.IndirizziFTTHPrev), i(c.FamiglieFTTHPrev), i(c.DeltaIndirizziFTTH), i(c.DeltaFamiglieFTTH),
				f(c.DeltaAddressesPct), f(c.DeltaHouseholdsPct))
		}
		_ = cw.Write(r)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("AGCOM CSV: %w", err)
	}
	return nil
}
