package reports

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// importAt loads one version of a layer valid from the given day.
func (f *fixture) importAt(t *testing.T, spec layers.ImportSpec, day string, feats []layers.Feature) {
	t.Helper()
	d, err := layers.ParseDay(day)
	if err != nil {
		t.Fatal(err)
	}
	from := layers.StartOfDay(d)
	spec.ValidFrom = &from
	f.load(t, spec, feats)
}

// zoningV is the zoning of parcel A with its B1/E1 boundary at split (a
// fraction of the parcel's width from its west edge).
func zoningV(split float64) []layers.Feature {
	x := px0 + split*pw
	return []layers.Feature{
		zone(1, rect(px0-0.001, py0-0.001, x, planTop), "B1", "B", "Zona B1", "Art. 12 NTA"),
		zone(2, rect(x, py0-0.001, px0+0.003, planTop), "E1", "E", "Zona E1", "Art. 26 NTA"),
	}
}

// TestZoningAtDates: zoning v1 (B1 30 %), then v2 (B1 60 %): a report
// about a date before v2 shows v1's zones and areas, one after v2 shows
// v2's, and both stay the same after a third import (B1 90 %).
func TestZoningAtDates(t *testing.T) {
	f := newDB(t)
	ctx := context.Background()
	f.importAt(t, layers.ImportSpec{Layer: "h_parcels", Kind: layers.KindCadastral, Roles: []string{layers.RoleCadastre}}, "2020-01-01",
		[]layers.Feature{parcel(1, parcelA, "125")})
	zspec := layers.ImportSpec{Layer: "h_zoning", Kind: layers.KindZoning, Roles: []string{layers.RoleZoning}}
	f.importAt(t, zspec, "2024-01-01", zoningV(0.3))
	f.importAt(t, zspec, "2025-01-01", zoningV(0.6))
	b1At := func(day string) (float64, int64) {
		t.Helper()
		at, err := f.svc.AsOf(day)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := f.svc.Zoning(ctx, ZoningRequest{Parcels: []string{"37/125"}, At: at})
		if err != nil {
			t.Fatalf("at %s: %v", day, err)
		}
		for _, pc := range rep.Parcels[0].Zoning {
			if pc.ZoneCode == "B1" {
				return pc.Pct, pc.PlanVersion
			}
		}
		t.Fatalf("at %s: no B1 in %+v", day, rep.Parcels[0].Zoning)
		return 0, 0
	}
	check := func(stage string) {
		t.Helper()
		for _, c := range []struct {
			day     string
			pct     float64
			version int64
		}{{"2024-06-30", 30, 1}, {"2024-12-31", 30, 1}, {"2025-01-01", 60, 2}, {"2025-03-01", 60, 2}} {
			pct, v := b1At(c.day)
			if pct < c.pct-0.1 || pct > c.pct+0.1 || v != c.version {
				t.Errorf("%s, at %s: B1 %.2f %% (version %d), want %.0f %% (version %d)", stage, c.day, pct, v, c.pct, c.version)
			}
		}
	}
	check("after v2")
	f.importAt(t, zspec, "2025-06-01", zoningV(0.9))
	check("after v3")
	if pct, v := b1At("2025-06-02"); pct < 89.9 || v != 3 {
		t.Errorf("after v3: B1 %.2f %% (version %d)", pct, v)
	}
	// Before the zoning existed: a 404 naming at, saying when it begins.
	at, _ := f.svc.AsOf("2023-06-01")
	_, err := f.svc.Zoning(ctx, ZoningRequest{Parcels: []string{"37/125"}, At: at})
	var p *httpx.Problem
	if !errors.As(err, &p) || p.Status != http.StatusNotFound || p.Parameter != "at" {
		t.Fatalf("before the zoning: %v", err)
	}
}

// TestZoningAtDroppedVersion: a version the retention policy dropped is a
// 404 naming at that says so; a version pinned by a certificate is kept.
func TestZoningAtDroppedVersion(t *testing.T) {
	f := newDB(t)
	f.store = f.store.WithRetention(layers.Retention{Keep: 2})
	ctx := context.Background()
	f.importAt(t, layers.ImportSpec{Layer: "h_parcels", Kind: layers.KindCadastral, Roles: []string{layers.RoleCadastre}}, "2020-01-01",
		[]layers.Feature{parcel(1, parcelA, "125")})
	zspec := layers.ImportSpec{Layer: "h_zoning", Kind: layers.KindZoning, Roles: []string{layers.RoleZoning}}
	for i, day := range []string{"2024-01-01", "2025-01-01", "2025-06-01"} {
		f.importAt(t, zspec, day, zoningV(0.3+0.3*float64(i)))
	}
	at, _ := f.svc.AsOf("2024-06-30")
	_, err := f.svc.Zoning(ctx, ZoningRequest{Parcels: []string{"37/125"}, At: at})
	var p *httpx.Problem
	if !errors.As(err, &p) || p.Parameter != "at" || !strings.Contains(p.Detail, "dropped by the retention policy") {
		t.Fatalf("dropped version: %v", err)
	}
	hist, err := layers.History(ctx, f.pool, "h_zoning")
	if err != nil || len(hist) != 3 || hist[0].DroppedAt == nil || hist[1].DroppedAt != nil || hist[0].ValidTo == nil || !hist[0].ValidTo.Equal(hist[1].ValidFrom) {
		b, _ := json.Marshal(hist)
		t.Fatalf("history %s %v", b, err)
	}
}
