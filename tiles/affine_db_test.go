package tiles

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/layers"
)

// vertices are a tile geometry's points in order, ring by ring.
func vertices(g orb.Geometry) []orb.Point {
	switch g := g.(type) {
	case orb.Point:
		return []orb.Point{g}
	case orb.MultiPoint:
		return g
	case orb.LineString:
		return g
	case orb.Ring:
		return g
	case orb.Polygon:
		var out []orb.Point
		for _, r := range g {
			out = append(out, r...)
		}
		return out
	case orb.MultiPolygon:
		var out []orb.Point
		for _, p := range g {
			out = append(out, vertices(p)...)
		}
		return out
	case orb.MultiLineString:
		var out []orb.Point
		for _, l := range g {
			out = append(out, l...)
		}
		return out
	}
	return nil
}

// TestPublishedAffineMatchesExact: at z12-z18, the fits of EPSG:4326, 3003
// and 6707 map most of a tile's rows, every vertex within the bound (0.25
// unit) of ST_Transform's; tiles of published tables made through them
// (3003 and 6707: 4326 tables keep ST_Transform, no slower) have the
// features of the tiles made with ST_Transform of every row, every vertex
// within one tile unit (the bound plus the grid's snapping). At z10 no
// fit of a projected CRS is within the bound: the tile is the exact one, byte
// for byte.
func TestPublishedAffineMatchesExact(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	names := publishTransformed(t, db, 4326, 3003, 6707)
	srids := []int{4326, 3003, 6707}
	fast := New(db.pool, access.NewCatalog(db.cat), Options{})
	exact := New(db.pool, access.NewCatalog(db.cat), Options{})
	exact.affineBound = 0
	for i, name := range names {
		for z := 12; z <= 18; z++ {
			t.Run(fmt.Sprintf("%s/z%d", name, z), func(t *testing.T) {
				tile := tileAt(z)
				fit := fast.affineFor(ctx, srids[i], tile)
				if len(fit.cells) == 0 {
					t.Fatal("no affine fit within the bound")
				}
				mapped, total, dev := affineShare(t, db, name, tile, fit)
				if mapped*2 < total {
					t.Errorf("the fits map %d of the tile's %d rows", mapped, total)
				}
				if dev > fast.affineBound {
					t.Errorf("a mapped vertex %.3f units from the exact one", dev)
				}
				same, n := compareTiles(t, fast, exact, name, tile)
				t.Logf("%d cells (worst %.3f units at the fit's points, %.3f at the rows' vertices), %d/%d rows mapped, %d/%d vertices identical",
					len(fit.cells), worst(fit), dev, mapped, total, same, n)
			})
		}
	}
	tile := tileAt(10)
	if fit := fast.affineFor(ctx, 3003, tile); len(fit.cells) != 0 {
		t.Errorf("EPSG:3003 at z10: a fit within the bound (worst %.3f)", worst(fit))
	}
	a, err := fast.Tile(ctx, TileRequest{Layers: names[1], Tile: tile})
	if err != nil {
		t.Fatal(err)
	}
	b, err := exact.Tile(ctx, TileRequest{Layers: names[1], Tile: tile})
	if err != nil || string(a.Body) != string(b.Body) || len(a.Body) == 0 {
		t.Errorf("z10 fallback: %d bytes against the exact %d (%v)", len(a.Body), len(b.Body), err)
	}
}

func worst(f affineFit) float64 {
	w := 0.0
	for _, c := range f.cells {
		w = max(w, c.err)
	}
	return w
}

// affineShare counts the rows the tile statement reads and those mapped
// by a fit (ST_Affine, not ST_Transform: not bit for bit the transformed
// geometry), and measures the largest distance between a mapped vertex and
// the exactly transformed one, in tile units, before any snapping.
func affineShare(t *testing.T, db *testDB, name string, tile TileID, fit affineFit) (mapped, total int, dev float64) {
	t.Helper()
	l, _ := db.cat.Layer(name)
	args := append([]any{tile.Z, tile.X, tile.Y}, fit.args(l.SRID())...)
	q := fmt.Sprintf(`SELECT count(*) FILTER (WHERE ST_AsBinary(a) <> ST_AsBinary(e)), count(*), coalesce(max(d.dev), 0) / %g
		FROM (SELECT %s AS a, ST_Transform(t.geom, 3857) AS e FROM %s t WHERE %s) s,
		LATERAL (SELECT max(ST_Distance(pa.geom, pe.geom)) AS dev FROM ST_DumpPoints(s.a) pa JOIN ST_DumpPoints(s.e) pe USING (path)) d`,
		tile.Span()/Extent, affineSQL(l.Native("t"), 4), l.Ident().Sanitize(), tileFilter(l, "t", tile.Z, bufferMargin))
	if err := db.pool.QueryRow(context.Background(), q, args...).Scan(&mapped, &total, &dev); err != nil {
		t.Fatal(err)
	}
	return mapped, total, dev
}

// nearest is the largest distance (the larger coordinate difference)
// from a vertex of a to the nearest vertex of b, and how many vertices of
// a are also in b.
func nearest(a, b []orb.Point) (float64, int) {
	worst, same := 0.0, 0
	for _, p := range a {
		best := math.Inf(1)
		for _, q := range b {
			best = min(best, max(math.Abs(p[0]-q[0]), math.Abs(p[1]-q[1])))
		}
		if best == 0 {
			same++
		}
		worst = max(worst, best)
	}
	return worst, same
}

// compareTiles decodes both services' tile of a layer and checks that they
// have the same features, each with its vertices within one unit; it
// returns how many vertices are identical, of how many.
func compareTiles(t *testing.T, fast, exact *Service, name string, tile TileID) (same, n int) {
	t.Helper()
	ctx := context.Background()
	a, err := fast.Tile(ctx, TileRequest{Layers: name, Tile: tile})
	if err != nil {
		t.Fatal(err)
	}
	b, err := exact.Tile(ctx, TileRequest{Layers: name, Tile: tile})
	if err != nil {
		t.Fatal(err)
	}
	// Features by id, or in their order (outlines have no id).
	key := func(i int, f *geojson.Feature) string {
		if f.ID == nil {
			return fmt.Sprint("#", i)
		}
		return fmt.Sprint(f.ID)
	}
	want := map[string]orb.Geometry{}
	for i, f := range layerByName(decode(t, b), name).Features {
		want[key(i, f)] = f.Geometry
	}
	got := layerByName(decode(t, a), name).Features
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("%d features, exact %d", len(got), len(want))
	}
	for i, f := range got {
		gv, wv := vertices(f.Geometry), vertices(want[key(i, f)])
		// Clipping may start a ring at another vertex: each vertex is
		// matched to the nearest of the other tile's, both ways.
		d1, s1 := nearest(gv, wv)
		d2, _ := nearest(wv, gv)
		if d := max(d1, d2); d > 1 || len(gv) != len(wv) {
			t.Errorf("feature %v: %d vertices, exact %d, %.2f units apart", f.ID, len(gv), len(wv), d)
		}
		same += s1
		n += len(gv)
	}
	return same, n
}

// TestPublishedAffineOutlines: a published cadastral table in EPSG:3003 is
// drawn as its fogli's outlines below z15 through the same fits; the
// outlines are those of the exact transform, within one unit.
func TestPublishedAffineOutlines(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	name := publishTransformed(t, db, 3003)[0]
	if _, err := db.store.Publish(ctx, layers.PublishSpec{Schema: "ufficio", Relation: "particelle_3003", Kind: layers.KindCadastral, NoTileCopy: true}); err != nil {
		t.Fatal(err)
	}
	if err := db.cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	fast := New(db.pool, access.NewCatalog(db.cat), Options{})
	exact := New(db.pool, access.NewCatalog(db.cat), Options{})
	exact.affineBound = 0
	tile := tileAt(13)
	if l, _ := db.cat.Layer(name); l.Kind != layers.KindCadastral {
		t.Fatalf("kind %q", l.Kind)
	}
	p, err := fast.planFor([]layers.Layer{mustLayer(t, db, name)}, 13, nil)
	if err != nil || !strings.Contains(p.sql, "ST_Boundary") || !strings.Contains(p.sql, "ST_Affine") {
		t.Fatalf("not outlined through the fits (%v): %s", err, p.sql)
	}
	same, n := compareTiles(t, fast, exact, name, tile)
	t.Logf("%d/%d vertices identical", same, n)
}

func mustLayer(t *testing.T, db *testDB, name string) layers.Layer {
	t.Helper()
	l, ok := db.cat.Layer(name)
	if !ok {
		t.Fatalf("no layer %s", name)
	}
	return l
}
