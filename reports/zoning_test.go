package reports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/sit-gis/sit/access"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// independentArea measures the intersection of a parcel and a zone in two
// ways the report does not use as such: on the spheroid with one statement
// of its own, and in a metric CRS (UTM 32N, EPSG:32632).
func independentArea(t *testing.T, f *fixture, parcelFID, zoneFID int64, zoneTable string) (geog, utm float64) {
	t.Helper()
	err := f.pool.QueryRow(context.Background(), `SELECT ST_Area(ST_Intersection(p.geom, z.geom)::geography),
			ST_Area(ST_Intersection(ST_Transform(p.geom, 32632), ST_Transform(z.geom, 32632)))
		FROM sit_data.t_parcels p, sit_data.`+zoneTable+` z WHERE p.fid = $1 AND z.fid = $2`, parcelFID, zoneFID).Scan(&geog, &utm)
	if err != nil {
		t.Fatal(err)
	}
	return geog, utm
}

func within(got, want, rel float64) bool { return math.Abs(got-want) <= rel*math.Abs(want) }

func TestZoningStraddlingParcel(t *testing.T) {
	f := newZoningFixture(t)
	rep, err := f.svc.Zoning(context.Background(), ZoningRequest{Parcels: []string{"F.37 p.125"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Parcels) != 1 {
		t.Fatalf("%d parcels", len(rep.Parcels))
	}
	p := rep.Parcels[0]
	if p.Ref != "E715_003700.125" || len(p.Zoning) != 2 || len(p.Constraints) != 1 {
		t.Fatalf("parcel %s: %d zones, %d constraints; want 2 and 1: %+v", p.Ref, len(p.Zoning), len(p.Constraints), p)
	}
	// Largest first: E1 (70 %), then B1 (30 %).
	wantZones := []struct {
		code    string
		fid     int64
		pct     float64
		table   string
		section []Piece
	}{{"E1", 2, 70, "t_zoning", p.Zoning}, {"B1", 1, 30, "t_zoning", p.Zoning}}
	sum := 0.0
	for i, w := range wantZones {
		pc := p.Zoning[i]
		if pc.ZoneCode != w.code || pc.ZoneClass == "" || pc.Description == "" || pc.NormRef == "" || pc.Plan != "Piano di prova" || pc.PlanVersion != 1 || pc.PlanDate == nil {
			t.Fatalf("zone %d: %+v", i, pc)
		}
		geog, utm := independentArea(t, f, 1, w.fid, w.table)
		if !within(pc.AreaM2, geog, 0.001) || !within(pc.AreaM2, utm, 0.001) {
			t.Fatalf("zone %s: %v m², independently %v (spheroid), %v (UTM)", w.code, pc.AreaM2, geog, utm)
		}
		if math.Abs(pc.Pct-w.pct) > 0.05 {
			t.Fatalf("zone %s: %v %%, want about %v", w.code, pc.Pct, w.pct)
		}
		sum += pc.Pct
	}
	if math.Abs(sum-100) > 0.1 || math.Abs(p.Totals.ZonedPct-100) > 0.1 || p.Totals.UnzonedM2 != 0 {
		t.Fatalf("zone percentages sum to %v (totals %+v), want 100 ± 0.1", sum, p.Totals)
	}
	if math.Abs(p.Totals.ZonesM2-(p.Zoning[0].AreaM2+p.Zoning[1].AreaM2)) > 1e-9 {
		t.Fatalf("totals %v do not add the rows up", p.Totals.ZonesM2)
	}
	c := p.Constraints[0]
	geog, utm := independentArea(t, f, 1, 1, "t_vincoli")
	if c.ZoneCode != "P3" || !within(c.AreaM2, geog, 0.001) || !within(c.AreaM2, utm, 0.001) || math.Abs(c.Pct-40) > 0.05 {
		t.Fatalf("constraint %+v, independently %v / %v m²", c, geog, utm)
	}
	if p.Totals.ConstrainedM2 != c.AreaM2 {
		t.Fatalf("constrained %v, want the one constraint's %v", p.Totals.ConstrainedM2, c.AreaM2)
	}
	// The parcel area is the spheroid's, as the loader's area_m2.
	var area float64
	if err := f.pool.QueryRow(context.Background(), "SELECT area_m2 FROM sit_data.t_parcels WHERE fid = 1").Scan(&area); err != nil {
		t.Fatal(err)
	}
	if math.Abs(p.AreaM2-area) > 0.006 {
		t.Fatalf("parcel area %v, loader's area_m2 %v", p.AreaM2, area)
	}
	if len(rep.Sources) != 3 || rep.Sources[0].Role != "cadastre" || rep.Sources[1].Version != 1 || rep.Sources[1].ImportedAt == nil {
		t.Fatalf("sources %+v", rep.Sources)
	}
	if !strings.Contains(rep.Notice, "DPR 380/2001") || rep.Comune != "Comune di Prova" {
		t.Fatalf("notice %q comune %q", rep.Notice, rep.Comune)
	}
}

func TestZoningBorderEffectsAndUnzoned(t *testing.T) {
	f := newZoningFixture(t)
	rep, err := f.svc.Zoning(context.Background(), ZoningRequest{Parcels: []string{"37/126", "37/127"}})
	if err != nil {
		t.Fatal(err)
	}
	b, c := rep.Parcels[0], rep.Parcels[1]
	if len(b.Zoning) != 1 || b.Zoning[0].ZoneCode != "E1" || len(b.ZoningBorder) != 1 || b.ZoningBorder[0].ZoneCode != "F1" {
		t.Fatalf("parcel B: zones %+v, border effects %+v", b.Zoning, b.ZoningBorder)
	}
	if a := b.ZoningBorder[0].AreaM2; a <= 0 || a >= 1 {
		t.Fatalf("border effect of %v m², want under 1", a)
	}
	if math.Abs(b.Totals.ZonedPct-100) > 0.1 || math.Abs(b.Totals.ZonesPct+b.Totals.BorderPct-b.Totals.ZonedPct) > 1e-9 {
		t.Fatalf("parcel B totals %+v", b.Totals)
	}
	// Parcel C: a quarter outside the plan.
	if math.Abs(c.Totals.ZonedPct-75) > 0.05 || math.Abs(c.Totals.UnzonedPct-25) > 0.05 ||
		math.Abs(c.Totals.ZonedM2+c.Totals.UnzonedM2-c.AreaM2) > 0.011 {
		t.Fatalf("parcel C totals %+v (area %v)", c.Totals, c.AreaM2)
	}
}

// TestZoningOverlappingPlans: two zoning layers over the same parcels (a
// plan and its variant) list every zone, but the zoned total counts the
// overlap once: never over 100 %, never a negative unzoned rest.
func TestZoningOverlappingPlans(t *testing.T) {
	f := newZoningFixture(t)
	f.load(t, layers.ImportSpec{Layer: "t_variante", Kind: layers.KindZoning, Roles: []string{layers.RoleZoning}}, []layers.Feature{
		zone(1, rect(px0-0.001, py0-0.001, px0+0.003, py0+0.002), "B2", "B", "Variante: zona B2", "Art. 13 NTA"),
	})
	rep, err := f.svc.Zoning(context.Background(), ZoningRequest{Parcels: []string{"37/125", "37/127"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Parcels {
		tt := p.Totals
		if math.Abs(tt.ZonedPct-100) > 0.05 || tt.UnzonedM2 != 0 || tt.UnzonedPct != 0 || math.Abs(tt.ZonedM2-p.AreaM2) > 0.011 {
			t.Errorf("parcel %s under two plans: totals %+v (area %v)", p.Ref, tt, p.AreaM2)
		}
		if tt.ZonesPct+tt.BorderPct < 150 {
			t.Errorf("parcel %s: the rows' sum %v %% should count both plans", p.Ref, tt.ZonesPct+tt.BorderPct)
		}
		var variant bool
		for _, pc := range p.Zoning {
			variant = variant || pc.Layer == "t_variante"
		}
		if !variant {
			t.Errorf("parcel %s: the variant's zone is not listed: %+v", p.Ref, p.Zoning)
		}
	}
}

// TestZoningThresholds: raising the thresholds moves a piece to the border effects.
func TestZoningThresholds(t *testing.T) {
	f := newZoningFixture(t)
	svc := New(f.pool, access.NewCatalog(f.cat), Options{SliverMinPct: 35, Now: f.svc.opt.Now})
	rep, err := svc.Zoning(context.Background(), ZoningRequest{Parcels: []string{"37/125"}})
	if err != nil {
		t.Fatal(err)
	}
	p := rep.Parcels[0]
	if len(p.Zoning) != 1 || len(p.ZoningBorder) != 1 || p.ZoningBorder[0].ZoneCode != "B1" || math.Abs(p.Totals.ZonedPct-100) > 0.1 {
		t.Fatalf("with a 35 %% threshold: zones %+v, border %+v", p.Zoning, p.ZoningBorder)
	}
}

// TestZoningReproducible: the same data gives the same report, byte for byte.
func TestZoningReproducible(t *testing.T) {
	f := newZoningFixture(t)
	var prev []byte
	for i := 0; i < 3; i++ {
		rep, err := f.svc.Zoning(context.Background(), ZoningRequest{Parcels: []string{"37/125", "37/126", "37/127"}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(rep)
		if prev != nil && string(b) != string(prev) {
			t.Fatalf("run %d differs:\n%s\n%s", i, b, prev)
		}
		prev = b
	}
}

func TestZoningErrors(t *testing.T) {
	f := newZoningFixture(t)
	// A second parcel 37/125 in allegato A makes "37/125" ambiguous.
	amb := parcel(4, rect(px0, py0+0.002, px0+pw, py0+0.002+ph), "125")
	amb.Props["allegato"], amb.Props["ref"] = "A", "E715_0037A0.125"
	f.load(t, layers.ImportSpec{Layer: "t_parcels", Kind: layers.KindCadastral, Mode: layers.ModeAppend}, []layers.Feature{amb})
	many := make([]string, 21)
	for i := range many {
		many[i] = fmt.Sprintf("37/%d", 125+i)
	}
	tests := []struct {
		name       string
		parcels    []string
		wantStatus int
		wantText   string
	}{
		{"none", nil, 400, "required"},
		{"blank", []string{" "}, 400, "required"},
		{"not a reference", []string{"hello"}, 400, "cannot read"},
		{"unknown parcel", []string{"37/999"}, 404, "no parcel"},
		{"ambiguous", []string{"37/125"}, 400, "several parcels"},
		{"too many", many, 400, "at most 20"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.Zoning(context.Background(), ZoningRequest{Parcels: tc.parcels})
			var p *httpx.Problem
			if !errors.As(err, &p) || p.Status != tc.wantStatus || p.Parameter != "parcel" || !strings.Contains(p.Detail, tc.wantText) {
				t.Fatalf("error %v, want %d naming parcel saying %q", err, tc.wantStatus, tc.wantText)
			}
		})
	}
}
