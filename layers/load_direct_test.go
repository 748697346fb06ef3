package layers

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/internal/dbtest"
)

// TestDirectLoadAsStaged imports the same records the direct way (or as
// far as it goes) and the staging way, and checks that both give the same
// result, catalog and table, row by row: with repairs and rejections, the
// projections PostGIS must make, and every reason the direct load stops
// at (the rows it copied then go on the staging way).
func TestDirectLoadAsStaged(t *testing.T) {
	pool := dbtest.Pool(t)
	ctx := context.Background()
	if err := Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	sq := func(x, y, d float64) orb.Polygon {
		return orb.Polygon{{{x, y}, {x + d, y}, {x + d, y + d*0.7}, {x, y + d}, {x, y}}}
	}
	bowtie := orb.Polygon{{{10.6, 43.8}, {10.601, 43.801}, {10.601, 43.8}, {10.6, 43.801}, {10.6, 43.8}}}
	collapsed := orb.Polygon{{{10.62, 43.8}, {10.62, 43.8}, {10.62, 43.8}, {10.62, 43.8}}}
	parcel := func(rec int64, id string, g orb.Geometry, extra map[string]any) Feature {
		p := map[string]any{"comune": "E715", "foglio": fmt.Sprint(rec % 7), "particella": int64(rec), "ref": fmt.Sprintf("E715_%04d00.%d", rec%7, rec), "tipo": "particella"}
		for k, v := range extra {
			p[k] = v
		}
		return Feature{Record: rec, ID: id, Geometry: g, Props: p}
	}
	// base: everything the direct load takes, including what PostGIS does
	// after the COPY (repair, rejection, Web Mercator beyond 85°, areas of
	// large polygons).
	base := func() []Feature {
		return []Feature{
			parcel(1, "10", sq(10.5, 43.8, 0.001), nil),
			parcel(2, "11", bowtie, map[string]any{"tipo": "strada"}),
			parcel(3, "12", orb.MultiPolygon{sq(10.51, 43.8, 0.001), sq(10.52, 43.8, 0.001)}, map[string]any{"sezione": nil, "allegato": true}),
			parcel(4, "13", collapsed, nil),
			parcel(5, "14", nil, nil),
			parcel(6, "15", sq(10.53, 85.5, 0.001), nil),
			parcel(7, "16", sq(10.54, 43.8, 0.05), map[string]any{"tipo": int64(5)}),
			parcel(8, "20", sq(10.55, 43.8, 0.001), map[string]any{"tipo": "", "area_m2": 12.5}),
		}
	}
	change := func(i int, fn func(*Feature)) []Feature {
		fs := base()
		fn(&fs[i])
		return fs
	}
	tests := []struct {
		name  string
		feats []Feature
		stop  string // "" when the direct load goes all the way
	}{
		{"direct", base(), ""},
		{"direct, nothing dropped by the repair", append(base()[:3], base()[4:]...), ""},
		{"no ids", func() []Feature {
			fs := base()
			for i := range fs {
				fs[i].ID = ""
			}
			fs[4].ID = "x"
			return fs
		}(), ""},
		{"a new attribute", change(5, func(f *Feature) { f.Props["note"] = "nuova" }), "first appears"},
		{"a point", change(6, func(f *Feature) { f.Geometry = orb.Point{10.5, 43.8} }), "Point geometry"},
		{"ids not increasing", change(6, func(f *Feature) { f.ID = "11" }), "ids not increasing"},
		{"an id not a number", change(2, func(f *Feature) { f.ID = "0012" }), "no integer id"},
		{"a number in a text column", change(6, func(f *Feature) { f.Props["foglio"] = 12.5 }), "not stored as it is written"},
		{"json in an attribute", change(2, func(f *Feature) { f.Props["tipo"] = map[string]any{"a": int64(1)} }), "not stored as it is written"},
		{"an attribute typed by its first value", change(0, func(f *Feature) { f.Props["tipo"] = "7" }), "the first record"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logged bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
			store := NewStore(pool, log)
			layer := fmt.Sprintf("direct_%d", i)
			spec := ImportSpec{Layer: layer, Kind: KindCadastral, SRID: 4326, Source: SourceInfo{Name: "mem"}}
			got, err := store.Import(ctx, spec, NewSliceReader(tc.feats))
			if err != nil {
				t.Fatal(err)
			}
			switch out := logged.String(); {
			case tc.stop == "" && !strings.Contains(out, "msg=copied"):
				t.Fatalf("the direct load did not go all the way:\n%s", out)
			case tc.stop != "" && !strings.Contains(out, tc.stop):
				t.Fatalf("the direct load did not stop for %q:\n%s", tc.stop, out)
			}
			spec.Layer, spec.stageOnly = layer+"_staged", true
			want, err := store.Import(ctx, spec, NewSliceReader(tc.feats))
			if err != nil {
				t.Fatal(err)
			}
			got.ImportID, want.ImportID, got.Layer, want.Layer, got.Duration, want.Duration = 0, 0, "", "", 0, 0
			if !reflect.DeepEqual(got, want) {
				t.Errorf("result\n%+v\nstaged\n%+v", got, want)
			}
			// The bowtie is repaired; the empty geometry rejected, and the
			// collapsed polygon (which a layer of mixed geometries keeps).
			rejected := int64(2)
			if len(tc.feats) == 7 {
				rejected = 1
			}
			if mixed := tc.stop == "Point geometry"; !mixed && (got.Repaired != 1 || got.Rejected != rejected || got.Loaded != 6) {
				t.Errorf("repaired %d, rejected %d, loaded %d: want 1, %d, 6", got.Repaired, got.Rejected, got.Loaded, rejected)
			}
			sameLayer(t, pool, layer, layer+"_staged")
		})
	}
}

// sameLayer compares two layers' catalog rows and tables.
func sameLayer(t *testing.T, pool *pgxpool.Pool, a, b string) {
	t.Helper()
	ctx := context.Background()
	la, err := GetLayer(ctx, pool, a)
	if err != nil {
		t.Fatal(err)
	}
	lb, err := GetLayer(ctx, pool, b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(la.Properties, lb.Properties) || la.GeometryType != lb.GeometryType || la.FIDType != lb.FIDType ||
		la.FeatureCount != lb.FeatureCount || !reflect.DeepEqual(la.Extent, lb.Extent) {
		t.Errorf("layer\n%+v\nstaged\n%+v", la, lb)
	}
	rows := func(l Layer) []string {
		q := "SELECT concat_ws(' | ', (to_jsonb(t) - 'geom' - 'geom_3857')::text, ST_AsEWKT(geom), ST_AsEWKT(geom_3857)) FROM " + l.Ident().Sanitize() + " t ORDER BY fid"
		r, err := pool.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for r.Next() {
			var s string
			if err := r.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	ra, rb := rows(la), rows(lb)
	if !reflect.DeepEqual(ra, rb) {
		t.Errorf("rows\n%s\nstaged\n%s", strings.Join(ra, "\n"), strings.Join(rb, "\n"))
	}
	next := func(l Layer) (n int64) {
		// The next id of a new feature (none for text ids).
		if err := pool.QueryRow(ctx, "SELECT coalesce(nextval(pg_get_serial_sequence($1, 'fid')), -1)", "sit_versions."+l.Table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if na, nb := next(la), next(lb); na != nb {
		t.Errorf("next fid %d, staged %d", na, nb)
	}
	cols := func(l Layer) (out []string) {
		r, err := pool.Query(ctx, `SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END || a.attidentity::text
			FROM pg_attribute a JOIN sit.layers c ON c.table_name = a.attrelid::regclass::text OR 'sit_versions.' || c.table_name = a.attrelid::regclass::text
			WHERE c.name = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, l.Name)
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			var s string
			if err := r.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	if ca, cb := cols(la), cols(lb); !reflect.DeepEqual(ca, cb) || len(ca) == 0 {
		t.Errorf("columns %v, staged %v", ca, cb)
	}
}
