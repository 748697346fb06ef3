package layers_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/layers"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// sliceReader serves features from memory; fail, when set, is returned after them.
type sliceReader struct {
	items []any // layers.Feature or error
	i     int
}

func (r *sliceReader) Next() (layers.Feature, error) {
	if r.i >= len(r.items) {
		return layers.Feature{}, io.EOF
	}
	it := r.items[r.i]
	r.i++
	if err, ok := it.(error); ok {
		return layers.Feature{}, err
	}
	return it.(layers.Feature), nil
}
func (r *sliceReader) Close() error { return nil }

func square(x, y, d float64) orb.Polygon {
	return orb.Polygon{{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}}
}

// bowtie is a self-intersecting polygon that ST_MakeValid repairs.
func bowtie(x, y, d float64) orb.Polygon {
	return orb.Polygon{{{x, y}, {x + d, y + d}, {x + d, y}, {x, y + d}, {x, y}}}
}

func newStore(t *testing.T) (*layers.Store, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.Pool(t)
	if err := layers.Migrate(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	return layers.NewStore(pool, nil), pool
}

func TestMigrateIdempotent(t *testing.T) {
	_, pool := newStore(t)
	if err := layers.Migrate(context.Background(), pool); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	ms, _ := layers.Migrations()
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM sit.schema_migrations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(ms) {
		t.Fatalf("applied %d migrations, embedded %d", n, len(ms))
	}
}

func TestImportReplaceTypesAndVersions(t *testing.T) {
	ctx := context.Background()
	store, pool := newStore(t)
	feats := []any{
		layers.Feature{Record: 1, ID: "10", Geometry: square(10.50, 43.84, 0.001), Props: map[string]any{"Nome": "Città", "n": int64(3), "h": 2.5, "ok": true, "codice": "0037", "data": "2025-06-30", "it": "12,5"}},
		layers.Feature{Record: 2, ID: "11", Geometry: bowtie(10.51, 43.84, 0.001), Props: map[string]any{"Nome": "Pietà", "n": int64(4), "h": int64(3), "ok": false, "codice": "12", "data": "2024-01-31", "it": "3"}},
		&layers.RecordError{Record: 3, Reason: "bad record"},
		layers.Feature{Record: 4, ID: "12", Props: map[string]any{"Nome": "senza geometria"}},
		layers.Feature{Record: 5, ID: "13", Geometry: orb.Polygon{{{10.52, 43.84}, {10.52, 43.84}, {10.52, 43.84}, {10.52, 43.84}}}, Props: map[string]any{"Nome": "collassato"}},
	}
	res, err := store.Import(ctx, layers.ImportSpec{Layer: "test_layer", Kind: layers.KindGeneric, SRID: 4326, Source: layers.SourceInfo{Name: "mem"}}, &sliceReader{items: feats})
	if err != nil {
		t.Fatal(err)
	}
	if res.Read != 5 || res.Loaded != 2 || res.Rejected != 3 || res.Repaired != 1 || res.Version != 1 {
		t.Fatalf("result = %+v", res)
	}
	wantRecs := []int64{3, 4, 5}
	for i, e := range res.Errors {
		if e.Record != wantRecs[i] {
			t.Errorf("error %d is record %d, want %d (%s)", i, e.Record, wantRecs[i], e.Reason)
		}
	}
	l, err := layers.GetLayer(ctx, pool, "test_layer")
	if err != nil {
		t.Fatal(err)
	}
	wantTypes := map[string]layers.FieldType{"nome": layers.TypeText, "n": layers.TypeInteger, "h": layers.TypeDouble, "ok": layers.TypeBoolean, "codice": layers.TypeText, "data": layers.TypeDate, "it": layers.TypeDouble}
	for name, ft := range wantTypes {
		p, ok := l.Property(name)
		if !ok || p.Type != ft {
			t.Errorf("property %s = %+v, want type %s", name, p, ft)
		}
	}
	if l.GeometryType != "MultiPolygon" || l.FeatureCount != 2 || l.Extent == nil || l.FIDType != layers.TypeInteger {
		t.Fatalf("layer = %+v", l)
	}
	var nome string
	var it float64
	if err := pool.QueryRow(ctx, "SELECT nome, it FROM sit_data.test_layer WHERE fid = 10").Scan(&nome, &it); err != nil {
		t.Fatal(err)
	}
	if nome != "Città" || it != 12.5 {
		t.Fatalf("row fid 10 = %q %v", nome, it)
	}
	// Re-import: version 2, same fids.
	res2, err := store.Import(ctx, layers.ImportSpec{Layer: "test_layer", SRID: 4326}, &sliceReader{items: feats[:1]})
	if err != nil {
		t.Fatal(err)
	}
	if res2.Version != 2 || res2.Loaded != 1 {
		t.Fatalf("second import = %+v", res2)
	}
}

func TestImportFailureKeepsPreviousVersion(t *testing.T) {
	ctx := context.Background()
	store, pool := newStore(t)
	good := []any{
		layers.Feature{Record: 1, Geometry: orb.Point{10.5, 43.8}, Props: map[string]any{"a": "x"}},
		layers.Feature{Record: 2, Geometry: orb.Point{10.6, 43.9}, Props: map[string]any{"a": "y"}},
	}
	if _, err := store.Import(ctx, layers.ImportSpec{Layer: "pts", SRID: 4326}, &sliceReader{items: good}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		spec   layers.ImportSpec
		items  []any
		reason string
	}{
		{"fatal reader error", layers.ImportSpec{Layer: "pts", SRID: 4326},
			[]any{good[0], errors.New("pts.geojson: truncated GeoJSON")}, "truncated"},
		{"fail on reject", layers.ImportSpec{Layer: "pts", SRID: 4326, FailOnReject: true},
			[]any{good[0], &layers.RecordError{Record: 2, Reason: "bad"}}, "--fail-on-reject"},
		{"nothing usable", layers.ImportSpec{Layer: "pts", SRID: 4326},
			[]any{&layers.RecordError{Record: 1, Reason: "bad"}}, "no usable features"},
		{"unknown srid", layers.ImportSpec{Layer: "pts", SRID: 999999}, good, "EPSG:999999"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := store.Import(ctx, tc.spec, &sliceReader{items: tc.items})
			if err == nil || !strings.Contains(err.Error(), tc.reason) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.reason)
			}
			l, err := layers.GetLayer(ctx, pool, "pts")
			if err != nil {
				t.Fatal(err)
			}
			var n int
			if err := pool.QueryRow(ctx, "SELECT count(*) FROM sit_data.pts").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if l.Version != 1 || n != 2 {
				t.Fatalf("after failure: version %d, rows %d; want 1, 2", l.Version, n)
			}
		})
	}
	var failed int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM sit.imports WHERE layer = 'pts' AND status = 'failed'").Scan(&failed); err != nil {
		t.Fatal(err)
	}
	if failed != 3 { // the unknown SRID is refused before an import starts
		t.Fatalf("failed imports recorded = %d, want 3", failed)
	}
}

// blockingReader yields one feature, then waits for ctx: a Ctrl-C mid-import.
type blockingReader struct {
	ctx  context.Context
	sent bool
}

func (r *blockingReader) Next() (layers.Feature, error) {
	if !r.sent {
		r.sent = true
		return layers.Feature{Record: 1, Geometry: orb.Point{10, 43}}, nil
	}
	<-r.ctx.Done()
	return layers.Feature{}, r.ctx.Err()
}
func (r *blockingReader) Close() error { return nil }

func TestImportCancelledKeepsPreviousVersion(t *testing.T) {
	ctx := context.Background()
	store, pool := newStore(t)
	if _, err := store.Import(ctx, layers.ImportSpec{Layer: "pts", SRID: 4326}, &sliceReader{items: []any{layers.Feature{Record: 1, Geometry: orb.Point{1, 2}}}}); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	_, err := store.Import(cctx, layers.ImportSpec{Layer: "pts", SRID: 4326}, &blockingReader{ctx: cctx})
	if err == nil {
		t.Fatal("cancelled import succeeded")
	}
	var v int64
	if err := pool.QueryRow(ctx, "SELECT version FROM sit.layers WHERE name = 'pts'").Scan(&v); err != nil {
		t.Fatal(err)
	}
	var status string
	if err := pool.QueryRow(ctx, "SELECT status FROM sit.imports ORDER BY id DESC LIMIT 1").Scan(&status); err != nil {
		t.Fatal(err)
	}
	if v != 1 || status != "interrupted" {
		t.Fatalf("version %d status %s, want 1 interrupted", v, status)
	}
}

func TestImportBroadbandAppendsSnapshots(t *testing.T) {
	ctx := context.Background()
	store, pool := newStore(t)
	snap := func(date string, speeds ...float64) []any {
		var out []any
		for i, s := range speeds {
			out = append(out, layers.Feature{Record: int64(i + 1), Geometry: orb.Point{10.5 + float64(i)*0.001, 43.84},
				Props: map[string]any{"max_down_mbps": s, "technology": "FTTH", "address": fmt.Sprintf("VIA ROMA %d", i+1)}})
		}
		return out
	}
	d1, _ := time.Parse("2006-01-02", "2025-03-31")
	d2, _ := time.Parse("2006-01-02", "2025-06-30")
	for _, step := range []struct {
		date time.Time
		mode layers.Mode
		feat []any
	}{
		{d1, layers.ModeAppend, snap("", 20, 50, 200)},
		{d2, layers.ModeAppend, snap("", 20, 1000)},
		{d2, layers.ModeAppend, snap("", 25, 1000)}, // same snapshot again: replaces it
	} {
		if _, err := store.Import(ctx, layers.ImportSpec{Layer: "bb", Kind: layers.KindBroadband, Mode: step.mode, SRID: 4326, Snapshot: step.date}, &sliceReader{items: step.feat}); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := pool.Query(ctx, "SELECT snapshot::text, speed_band, area_class, count(*) FROM sit_data.bb GROUP BY 1,2,3 ORDER BY 1,2,3")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var s, b, c string
		var n int
		if err := rows.Scan(&s, &b, &c, &n); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %s %s %d", s, b, c, n))
	}
	want := []string{
		"2025-03-31 100-1000 black 1", "2025-03-31 30-100 grey 1", "2025-03-31 <30 white 1",
		"2025-06-30 <30 white 1", "2025-06-30 >=1000 black 1",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("snapshots:\n got %v\nwant %v", got, want)
	}
	l, err := layers.GetLayer(ctx, pool, "bb")
	if err != nil {
		t.Fatal(err)
	}
	if l.Version != 3 || l.TemporalProperty != "snapshot" || l.TemporalExtent == nil || l.FeatureCount != 5 {
		t.Fatalf("layer = %+v", l)
	}
}

func TestImportTransformsFromProjectedCRS(t *testing.T) {
	ctx := context.Background()
	store, pool := newStore(t)
	// A parcel in Gauss-Boaga Ovest (EPSG:3003) near Lucca's walls.
	p := square(1620000, 4854000, 50)
	if _, err := store.Import(ctx, layers.ImportSpec{Layer: "gb", Kind: layers.KindCadastral, SRID: 3003}, &sliceReader{items: []any{
		layers.Feature{Record: 1, Geometry: p, Props: map[string]any{"foglio": int64(37), "particella": "125"}},
	}}); err != nil {
		t.Fatal(err)
	}
	var lon, lat, area float64
	var foglio string
	if err := pool.QueryRow(ctx, "SELECT ST_X(ST_Centroid(geom)), ST_Y(ST_Centroid(geom)), area_m2, foglio FROM sit_data.gb").Scan(&lon, &lat, &area, &foglio); err != nil {
		t.Fatal(err)
	}
	if lon < 10.3 || lon > 10.7 || lat < 43.7 || lat > 44.0 {
		t.Fatalf("centroid %f %f is not near Lucca", lon, lat)
	}
	if area < 2450 || area > 2550 || foglio != "37" {
		t.Fatalf("area %f foglio %q", area, foglio)
	}
}
