package reports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// The broadband fixture: zones Nord (fid 1, north of y=43.841), Sud (fid 2)
// and Vuota (fid 3, far away, no address); address points with a speed and
// households at two snapshots. One point lies on the Nord/Sud boundary and
// one outside every zone.
var bbZones = []struct {
	fid        int64
	name, code string
	b          orb.Bound
}{
	{1, "Nord", "N", orb.Bound{Min: orb.Point{10.50, 43.841}, Max: orb.Point{10.51, 43.85}}},
	{2, "Sud", "S", orb.Bound{Min: orb.Point{10.50, 43.83}, Max: orb.Point{10.51, 43.841}}},
	{3, "Vuota", "V", orb.Bound{Min: orb.Point{10.60, 43.83}, Max: orb.Point{10.61, 43.84}}},
}

type bbPoint struct {
	pt       orb.Point
	hh       int64
	before   float64 // Mbit/s at 2025-03-31
	after    float64 // at 2025-06-30
	tech     string
	address  string
	classSrc string // an Infratel-style colour overriding the speed rule, "" for none
}

var bbPoints = []bbPoint{
	{orb.Point{10.501, 43.845}, 2, 0, 0, "none", "VIA A 1", ""},
	{orb.Point{10.502, 43.845}, 1, 20, 100, "ADSL", "VIA A 2", ""},
	{orb.Point{10.503, 43.845}, 1, 50, 50, "FWA", "VIA A 3", ""},
	{orb.Point{10.504, 43.845}, 3, 1000, 1000, "FTTH", "VIA A 4", ""},
	{orb.Point{10.505, 43.841}, 1, 1000, 1000, "FTTH", "VIA CONFINE 1", ""}, // on the boundary
	{orb.Point{10.501, 43.835}, 1, 100, 20, "FTTC", "VIA B 1", ""},
	{orb.Point{10.502, 43.835}, 2, 200, 200, "FTTC", "VIA B 2", ""},
	{orb.Point{10.503, 43.835}, 4, 25, 25, "ADSL", "VIA B 3", "grigia"}, // grey by the source despite 25 Mbit/s
	{orb.Point{10.70, 43.70}, 1, 0, 0, "none", "VIA FUORI 1", ""},
}

// bandOf and classOf restate the band and class rules in Go, to check the
// SQL-derived columns the report aggregates.
func bandOf(v float64) string {
	switch {
	case v < 30:
		return "<30"
	case v < 100:
		return "30-100"
	case v < 1000:
		return "100-1000"
	}
	return ">=1000"
}

func classOf(v float64, src string) string {
	switch src {
	case "grigia":
		return "grey"
	}
	switch {
	case v < 30:
		return "white"
	case v < 100:
		return "grey"
	}
	return "black"
}

// zoneOf is the first zone (by fid) whose closed rectangle has the point.
func zoneOf(p orb.Point) int64 {
	for _, z := range bbZones {
		if z.b.Contains(p) {
			return z.fid
		}
	}
	return 0
}

func newBroadbandFixture(t testing.TB) *fixture {
	t.Helper()
	f := newDB(t)
	var zones []layers.Feature
	for _, z := range bbZones {
		zones = append(zones, layers.Feature{Record: z.fid, ID: fmt.Sprint(z.fid), Geometry: z.b.ToPolygon(), Props: map[string]any{"name": z.name, "code": z.code}})
	}
	f.load(t, layers.ImportSpec{Layer: "t_zones", Kind: layers.KindBoundary, Roles: []string{layers.RoleZones}}, zones)
	var cov []layers.Feature
	for i, p := range bbPoints {
		for k, snap := range []string{"2025-03-31", "2025-06-30"} {
			v := p.before
			if k == 1 {
				v = p.after
			}
			props := map[string]any{"snapshot": snap, "technology": p.tech, "max_down_mbps": v, "address": p.address, "households": p.hh}
			if p.classSrc != "" {
				props["area_class"] = p.classSrc
			}
			cov = append(cov, layers.Feature{Record: int64(2*i + k + 1), Geometry: p.pt, Props: props})
		}
	}
	f.load(t, layers.ImportSpec{Layer: "t_coverage", Kind: layers.KindBroadband, Roles: []string{layers.RoleCoverage}}, cov)
	return f
}

// expected recomputes a zone's counts from the fixture.
func expected(zone int64, after bool) Counts {
	c := newCounts("")
	for _, p := range bbPoints {
		if zoneOf(p.pt) != zone {
			continue
		}
		v := p.before
		if after {
			v = p.after
		}
		c.add(bandOf(v), classOf(v, p.classSrc), 1, p.hh)
	}
	return c
}

func TestBroadbandByZone(t *testing.T) {
	f := newBroadbandFixture(t)
	rep, err := f.svc.Broadband(context.Background(), BroadbandRequest{Zones: "t_zones", Compare: "2025-03-31"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Snapshot != "2025-06-30" || rep.Compare != "2025-03-31" || !rep.HasHouseholds || len(rep.Rows) != 3 {
		t.Fatalf("report header %+v", rep)
	}
	var sumAddr int64
	for _, z := range rep.Rows {
		fid := z.FID.(int64)
		for _, when := range []struct {
			got   Counts
			after bool
		}{{z.Current, true}, {*z.Previous, false}} {
			want := expected(fid, when.after)
			if when.got.Addresses != want.Addresses || when.got.Households != want.Households {
				t.Fatalf("zone %s (after=%v): %d addresses %d households, want %d, %d", z.Name, when.after, when.got.Addresses, when.got.Households, want.Addresses, want.Households)
			}
			var bandSum, classSum float64
			for _, b := range domain.SpeedBands() {
				g, w := when.got.ByBand[b], want.ByBand[b]
				if g.Addresses != w.Addresses || g.Households != w.Households {
					t.Fatalf("zone %s band %s: %+v, want %+v", z.Name, b, g, w)
				}
				bandSum += g.AddressesPct
			}
			for _, k := range domain.AreaClasses() {
				g, w := when.got.ByClass[k], want.ByClass[k]
				if g.Addresses != w.Addresses || g.Households != w.Households {
					t.Fatalf("zone %s class %s: %+v, want %+v", z.Name, k, g, w)
				}
				classSum += g.AddressesPct
			}
			if want.Addresses > 0 && (math.Abs(bandSum-100) > 0.05 || math.Abs(classSum-100) > 0.05) {
				t.Fatalf("zone %s shares sum to %v and %v", z.Name, bandSum, classSum)
			}
		}
		sumAddr += z.Current.Addresses
	}
	// The boundary point counts once; the far point is outside; totals add up.
	if rep.Outside.Current.Addresses != 1 || rep.Total.Current.Addresses != int64(len(bbPoints)) || sumAddr+1 != rep.Total.Current.Addresses {
		t.Fatalf("outside %d, total %d, zones %d; want 1, %d, %d", rep.Outside.Current.Addresses, rep.Total.Current.Addresses, sumAddr, len(bbPoints), len(bbPoints)-1)
	}
	status := map[string]string{}
	for _, z := range rep.Rows {
		status[z.Name] = z.Change.Status
	}
	if status["Nord"] != "improved" || status["Sud"] != "worsened" || status["Vuota"] != "unchanged" {
		t.Fatalf("statuses %v", status)
	}
	if len(rep.Improved) != 1 || rep.Improved[0] != "Nord (N)" || len(rep.NotImproved) != 2 {
		t.Fatalf("improved %v, not improved %v", rep.Improved, rep.NotImproved)
	}
	nord := rep.Rows[0]
	if nord.Name != "Nord" || nord.Change.ByBand["<30"].Addresses != -1 || nord.Change.ByBand["100-1000"].Addresses != 1 {
		t.Fatalf("Nord change %+v", nord.Change)
	}
}

func TestBroadbandErrors(t *testing.T) {
	f := newBroadbandFixture(t)
	tests := []struct {
		name       string
		req        BroadbandRequest
		wantStatus int
		wantParam  string
	}{
		{"unknown zones layer", BroadbandRequest{Zones: "nope"}, 404, "zones"},
		{"zones not polygons", BroadbandRequest{Zones: "t_coverage"}, 400, "zones"},
		{"bad snapshot", BroadbandRequest{Zones: "t_zones", Snapshot: "30/06/2025"}, 400, "snapshot"},
		{"absent snapshot", BroadbandRequest{Zones: "t_zones", Snapshot: "2024-12-31"}, 404, "snapshot"},
		{"bad compare", BroadbandRequest{Zones: "t_zones", Compare: "yesterday"}, 400, "compare"},
		{"compare with itself", BroadbandRequest{Zones: "t_zones", Snapshot: "2025-06-30", Compare: "2025-06-30"}, 400, "compare"},
		{"coverage not broadband", BroadbandRequest{Zones: "t_zones", Coverage: "t_zones"}, 400, "coverage"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.Broadband(context.Background(), tc.req)
			var p *httpx.Problem
			if !errors.As(err, &p) || p.Status != tc.wantStatus || p.Parameter != tc.wantParam {
				t.Fatalf("error %v, want %d naming %s", err, tc.wantStatus, tc.wantParam)
			}
		})
	}
	// The only layer with the role zones is the default.
	rep, err := f.svc.Broadband(context.Background(), BroadbandRequest{})
	if err != nil || rep.Zones.Name != "t_zones" {
		t.Fatalf("default zones: %v, %v", rep.Zones, err)
	}
}

func TestWhite(t *testing.T) {
	f := newBroadbandFixture(t)
	var want []string
	for _, p := range bbPoints {
		if classOf(p.after, p.classSrc) == "white" {
			want = append(want, p.address)
		}
	}
	l, err := f.svc.White(context.Background(), WhiteRequest{Zones: "t_zones", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if int(l.NumberMatched) != len(want) || len(l.Addresses) != len(want) {
		t.Fatalf("%d white addresses (%d matched), want %d: %+v", len(l.Addresses), l.NumberMatched, len(want), l.Addresses)
	}
	got := map[string]WhiteAddress{}
	for _, a := range l.Addresses {
		got[a.Address] = a
	}
	for _, w := range want {
		if _, ok := got[w]; !ok {
			t.Fatalf("%s missing from %+v", w, l.Addresses)
		}
	}
	if got["VIA A 1"].ZoneName != "Nord" || got["VIA FUORI 1"].ZoneName != "" || got["VIA B 1"].ZoneName != "Sud" {
		t.Fatalf("zones of the addresses: %+v", got)
	}
	one, err := f.svc.White(context.Background(), WhiteRequest{Zones: "t_zones", Zone: "2", Limit: 100})
	if err != nil || len(one.Addresses) != 1 || one.Addresses[0].Address != "VIA B 1" {
		t.Fatalf("zone 2: %+v, %v", one.Addresses, err)
	}
	page, err := f.svc.White(context.Background(), WhiteRequest{Limit: 1, Offset: 1})
	if err != nil || len(page.Addresses) != 1 || int(page.NumberMatched) != len(want) {
		t.Fatalf("page: %+v, %v", page, err)
	}
}

// TestBroadbandPublishedZones: a table of the office's own database,
// published as it is (key gid, geometry the_geom; the same polygons, so
// that a point on a shared edge stays on it), aggregates the coverage as
// the imported zones do; one without a key is refused, naming the
// parameter.
func TestBroadbandPublishedZones(t *testing.T) {
	f := newBroadbandFixture(t)
	ctx := context.Background()
	zl, ok := f.cat.Layer("t_zones")
	if !ok {
		t.Fatal("no t_zones")
	}
	if _, err := f.pool.Exec(ctx, `CREATE SCHEMA ufficio;
		CREATE TABLE ufficio.zone (gid int PRIMARY KEY, nome text, codice text, the_geom geometry(MultiPolygon, 4326));
		INSERT INTO ufficio.zone SELECT fid, name, code, ST_Multi(geom) FROM `+zl.Ident().Sanitize()+`;
		CREATE TABLE ufficio.zone_senza_chiave AS SELECT nome, the_geom FROM ufficio.zone`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Publish(ctx, layers.PublishSpec{Schema: "ufficio"}); err != nil {
		t.Fatal(err)
	}
	if err := f.cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	for _, compare := range []string{"", "2025-03-31"} {
		imported, err := f.svc.Broadband(ctx, BroadbandRequest{Zones: "t_zones", Compare: compare})
		if err != nil {
			t.Fatal(err)
		}
		published, err := f.svc.Broadband(ctx, BroadbandRequest{Zones: "ufficio.zone", Compare: compare})
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal([]any{imported.Rows, imported.Outside, imported.Improved})
		b, _ := json.Marshal([]any{published.Rows, published.Outside, published.Improved})
		if string(a) != string(b) || len(imported.Rows) != 3 {
			t.Errorf("compare %q: imported zones %s, published %s", compare, a, b)
		}
	}
	wi, err := f.svc.White(ctx, WhiteRequest{Zones: "t_zones", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	wp, err := f.svc.White(ctx, WhiteRequest{Zones: "ufficio.zone", Zone: "1", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range wi.Addresses {
		if fmt.Sprint(a.ZoneFID) == "1" {
			n++
		}
	}
	if n == 0 || len(wp.Addresses) != n {
		t.Errorf("white addresses of zone 1: imported %d, published %d", n, len(wp.Addresses))
	}
	_, err = f.svc.Broadband(ctx, BroadbandRequest{Zones: "ufficio.zone_senza_chiave"})
	var p *httpx.Problem
	if !errors.As(err, &p) || p.Status != 400 || p.Parameter != "zones" {
		t.Errorf("zones without a key: %v", err)
	}
}

// TestBroadbandPublishedCoverage: the coverage itself kept in the office's
// database — key gid, geometry the_geom, the snapshot as text in one table
// and as a date in EPSG:3003 in another, one without a key — published
// with kind broadband gives the imported layer's snapshots, totals, counts
// by zone (where the points are the same) and white list.
func TestBroadbandPublishedCoverage(t *testing.T) {
	f := newBroadbandFixture(t)
	ctx := context.Background()
	cl, ok := f.cat.Layer("t_coverage")
	if !ok {
		t.Fatal("no t_coverage")
	}
	cols := `address, technology, max_down_mbps, speed_band, area_class, households`
	if _, err := f.pool.Exec(ctx, `CREATE SCHEMA rete;
		CREATE TABLE rete.copertura AS SELECT fid::int AS gid, snapshot::text AS snapshot, `+cols+`, geom::geometry(Point, 4326) AS the_geom
			FROM `+cl.Ident().Sanitize()+`;
		ALTER TABLE rete.copertura ADD PRIMARY KEY (gid);
		CREATE TABLE rete.copertura_gb AS SELECT fid AS id, snapshot, `+cols+`, ST_Transform(geom, 3003)::geometry(Point, 3003) AS wkb_geometry
			FROM `+cl.Ident().Sanitize()+`;
		ALTER TABLE rete.copertura_gb ADD PRIMARY KEY (id);
		CREATE TABLE rete.copertura_senza_chiave AS SELECT snapshot, `+cols+`, geom AS the_geom FROM `+cl.Ident().Sanitize()); err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{"copertura", "copertura_gb", "copertura_senza_chiave"} {
		if _, err := f.store.Publish(ctx, layers.PublishSpec{Schema: "rete", Relation: rel, Kind: layers.KindBroadband}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	summary := func(r BroadbandReport) string {
		b, _ := json.Marshal([]any{r.Snapshot, r.Snapshots, r.Total, r.Outside.Current.Addresses + sumAddresses(r.Rows)})
		return string(b)
	}
	// white lists the addresses as a set: fid (when keyed), address, place.
	white := func(name string, keyed bool) []string {
		w, err := f.svc.White(ctx, WhiteRequest{Coverage: name, Limit: 100})
		if err != nil {
			t.Fatalf("%s white: %v", name, err)
		}
		var out []string
		for _, a := range w.Addresses {
			fid := fmt.Sprint(a.FID)
			if !keyed {
				fid = "-"
			}
			out = append(out, fmt.Sprintf("%s %s %.6f %.6f", fid, a.Address, a.Lon, a.Lat))
		}
		slices.Sort(out)
		return out
	}
	imported, err := f.svc.Broadband(ctx, BroadbandRequest{Zones: "t_zones", Compare: "2025-03-31"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name         string
		keyed, exact bool // exact: the same points, so the same zones (a transformed point may leave a shared edge)
	}{{"rete.copertura", true, true}, {"rete.copertura_gb", true, false}, {"rete.copertura_senza_chiave", false, true}} {
		rep, err := f.svc.Broadband(ctx, BroadbandRequest{Zones: "t_zones", Coverage: c.name, Compare: "2025-03-31"})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if rep.Coverage.Name != c.name || summary(rep) != summary(imported) {
			t.Errorf("%s: %s, imported %s", c.name, summary(rep), summary(imported))
		}
		a, _ := json.Marshal(imported.Rows)
		b, _ := json.Marshal(rep.Rows)
		if c.exact && string(a) != string(b) {
			t.Errorf("%s by zone: %s, imported %s", c.name, b, a)
		}
		if got, want := white(c.name, c.keyed), white("t_coverage", c.keyed); len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s white: %q, imported %q", c.name, got, want)
		}
	}
}

func sumAddresses(rows []ZoneStats) int64 {
	var n int64
	for _, r := range rows {
		n += r.Current.Addresses
	}
	return n
}
