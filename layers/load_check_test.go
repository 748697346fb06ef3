package layers_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/crs"
	"github.com/sit-gis/sit/layers"
)

// Every geometry PostGIS could not build is a rejected record with its
// number and reason; the valid records load (issue 19: one unclosed ring
// used to fail the whole import).
func TestImportRejectsUnbuildableGeometries(t *testing.T) {
	ctx := context.Background()
	store, pool := newStore(t)
	feats := []any{
		layers.Feature{Record: 1, Geometry: square(10.50, 43.84, 0.001)},
		layers.Feature{Record: 2, Geometry: orb.Polygon{{{10.51, 43.84}, {10.52, 43.84}, {10.52, 43.85}, {10.51, 43.85}}}},
		layers.Feature{Record: 3, Geometry: orb.Polygon{{{10.51, 43.84}, {10.52, 43.84}, {10.51, 43.84}}}},
		layers.Feature{Record: 4, Geometry: orb.Polygon{{{10.51, 43.84}, {math.NaN(), 43.84}, {10.52, 43.85}, {10.51, 43.84}}}},
		layers.Feature{Record: 5, Geometry: orb.MultiPolygon{orb.Polygon(square(10.53, 43.84, 0.001)), {{{10.55, 43.84}, {10.56, 43.84}}}}},
		layers.Feature{Record: 6, Geometry: square(10.54, 43.84, 0.001)},
	}
	res, err := store.Import(ctx, layers.ImportSpec{Layer: "anelli", SRID: 4326}, &sliceReader{items: feats})
	if err != nil {
		t.Fatalf("import failed: %v", err)
	}
	if res.Loaded != 2 || res.Rejected != 4 {
		t.Fatalf("loaded %d rejected %d, want 2 and 4: %+v", res.Loaded, res.Rejected, res.Errors)
	}
	want := map[int64]string{2: "not closed", 3: "has 3 points", 4: "not a number", 5: "polygon 2: outer ring has 2 points"}
	for _, e := range res.Errors {
		if w, ok := want[e.Record]; !ok || !strings.Contains(e.Reason, w) {
			t.Errorf("record %d: %q; want %q", e.Record, e.Reason, w)
		}
	}
	var n int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM sit_data.anelli").Scan(&n); err != nil || n != 2 {
		t.Fatalf("rows %d, %v", n, err)
	}
}

// A projected file read as degrees (a GeoJSON without crs in Gauss-Boaga)
// fails with a message that says what to do, not a PostGIS error.
func TestImportProjectedCoordinatesReadAsDegrees(t *testing.T) {
	ctx := context.Background()
	store, _ := newStore(t)
	feats := []any{
		layers.Feature{Record: 1, Geometry: square(1620000, 4854000, 50)},
		layers.Feature{Record: 2, Geometry: square(1620100, 4854000, 50)},
	}
	_, err := store.Import(ctx, layers.ImportSpec{Layer: "gb", SRID: 4326, Source: layers.SourceInfo{Name: "zone.geojson"}}, &sliceReader{items: feats})
	var ie *layers.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v, want an ImportError", err)
	}
	for _, w := range []string{"not longitude/latitude", "x 1620000…1620150", "EPSG:4326", "--srid 3003"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("message lacks %q: %v", w, err)
		}
	}
	if strings.Contains(err.Error(), "SQLSTATE") {
		t.Errorf("a database error leaked: %v", err)
	}
}

// Check sees the staged import; a refusal keeps the previous version.
func TestImportCheckSeesStagedData(t *testing.T) {
	ctx := context.Background()
	store, pool := newStore(t)
	if _, err := store.Import(ctx, layers.ImportSpec{Layer: "civici", Kind: layers.KindAddress, SRID: 4326, Source: layers.SourceInfo{Name: "civici_2024.geojson"}},
		&sliceReader{items: []any{layers.Feature{Record: 1, Geometry: orb.Point{10.5, 43.84}}}}); err != nil {
		t.Fatal(err)
	}
	var got layers.Staged
	refuse := errors.New("not this one")
	gb := []any{
		layers.Feature{Record: 1, Geometry: square(1620000, 4854000, 50)},
		layers.Feature{Record: 2, Geometry: orb.Point{1620500, 4854500}},
	}
	_, err := store.Import(ctx, layers.ImportSpec{Layer: "civici", SRID: 3003, Source: layers.SourceInfo{Name: "zone.shp"},
		Check: func(st layers.Staged) error {
			got = st
			ll, err := st.LonLat(*st.Bounds)
			if err != nil {
				return err
			}
			if !crs.Italy().Contains(ll) || ll.W < 10.3 || ll.E > 10.7 {
				return errors.New("lon/lat not near Lucca: " + ll.String())
			}
			return refuse
		}}, &sliceReader{items: gb})
	if !errors.Is(err, refuse) {
		t.Fatalf("got %v, want the Check's refusal", err)
	}
	if got.Existing == nil || got.Existing.Kind != layers.KindAddress || got.LastSource != "civici_2024.geojson" ||
		got.GeometryType != "Geometry" || len(got.Types) != 2 || got.Types[0].Type != "Point" || got.Types[0].First != 2 || got.Read != 2 ||
		got.Bounds == nil || got.Bounds.W != 1620000 || got.Bounds.N != 4854500 {
		t.Fatalf("staged = %+v", got)
	}
	var v int
	var gt string
	if err := pool.QueryRow(ctx, "SELECT version, geometry_type FROM sit.layers WHERE name = 'civici'").Scan(&v, &gt); err != nil || v != 1 || gt != "Point" {
		t.Fatalf("after a refusal: version %d %s, %v", v, gt, err)
	}
}
