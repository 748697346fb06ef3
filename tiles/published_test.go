package tiles

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/tiles/internal/fixture"
)

// publishCopies loads the test parcels as a generic imported layer,
// "particelle" (drawn at every zoom, with all its columns, as a published
// table is), and publishes copies of it as an office keeps them: one table
// per SRID, ufficio.particelle_<srid>, with its geometry column in that
// SRID, a primary key, a GiST index and statistics. sit publish installs
// the change trigger. It returns the published names, in srids' order.
func publishCopies(tb testing.TB, db *testDB, srids ...int) []string {
	tb.Helper()
	ctx := context.Background()
	db.load(tb, "particelle", layers.KindGeneric, fixture.Parcels(2000, small, 1))
	imported, ok := db.cat.Layer("particelle")
	if !ok {
		tb.Fatal("no particelle")
	}
	sqls := []string{"CREATE SCHEMA ufficio"}
	var names []string
	for _, srid := range srids {
		rel := fmt.Sprintf("ufficio.particelle_%d", srid)
		names = append(names, rel)
		sqls = append(sqls,
			"CREATE TABLE "+rel+" AS SELECT * FROM "+imported.Ident().Sanitize(),
			"ALTER TABLE "+rel+" DROP COLUMN geom_3857, ADD PRIMARY KEY (fid)",
			fmt.Sprintf("ALTER TABLE %s ALTER COLUMN geom TYPE geometry(MultiPolygon, %d) USING ST_Multi(ST_Transform(geom, %[2]d))", rel, srid),
			"CREATE INDEX ON "+rel+" USING gist (geom)",
			"ANALYZE "+rel)
	}
	for _, sql := range sqls {
		if _, err := db.pool.Exec(ctx, sql); err != nil {
			tb.Fatalf("%s: %v", sql, err)
		}
	}
	if _, err := db.store.Publish(ctx, layers.PublishSpec{Schema: "ufficio"}); err != nil {
		tb.Fatal(err)
	}
	if err := db.cat.Refresh(ctx); err != nil {
		tb.Fatal(err)
	}
	for _, n := range names {
		if l, ok := db.cat.Layer(n); !ok || !l.Source.Tracked {
			tb.Fatalf("%s not published and tracked: %+v", n, l.Source)
		}
	}
	return names
}

// TestPublishedEditBeforeCatalog: an edit commits and a tile is made before
// the catalog hears of it (between the commit and the notification). The
// tile shows the edit but is neither cached nor given an ETag under the old
// version; once the catalog has the new version, tiles are cached again
// under new ETags. No timing: this catalog only changes when told to.
func TestPublishedEditBeforeCatalog(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	name := publishCopies(t, db, 3003)[0]
	cdb := &countingDB{DB: db.pool}
	svc := New(cdb, access.NewCatalog(db.cat), Options{CacheBytes: 1 << 20})
	tile := tileAt(16)
	next := TileID{Z: tile.Z, X: tile.X + 1, Y: tile.Y}
	get := func(id TileID) *Response {
		t.Helper()
		resp, err := svc.Tile(ctx, TileRequest{Layers: name, Tile: id})
		if err != nil || resp.Status != http.StatusOK {
			t.Fatalf("tile %s: %v %+v", id, err, resp)
		}
		return resp
	}
	before := get(tile).Header.Get("ETag")
	if before == "" {
		t.Fatal("a tracked layer's tile has no ETag")
	}
	if _, err := db.pool.Exec(ctx, "UPDATE "+name+" SET ref = 'nuova'"); err != nil {
		t.Fatal(err)
	}
	n := cdb.n.Load()
	for i := 0; i < 2; i++ {
		resp := get(next)
		if resp.Header.Get("ETag") != "" || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("a tile newer than the catalog: ETag %q, Cache-Control %q", resp.Header.Get("ETag"), resp.Header.Get("Cache-Control"))
		}
		if l := layerByName(decode(t, resp), name); l == nil || len(l.Features) == 0 || l.Features[0].Properties["ref"] != "nuova" {
			t.Fatalf("the tile does not show the edit: %+v", l)
		}
	}
	if got := cdb.n.Load() - n; got != 2 {
		t.Errorf("a tile newer than the catalog was cached: %d statements for two requests", got)
	}
	if err := db.cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	after := get(tile).Header.Get("ETag")
	if after == "" || after == before {
		t.Errorf("ETag after the catalog heard: %q (before %q)", after, before)
	}
	if get(next).Header.Get("ETag") == "" {
		t.Error("no ETag once the catalog has the version")
	}
	n = cdb.n.Load()
	get(next)
	if cdb.n.Load() != n {
		t.Error("a fresh tile was not cached")
	}
}

// featureBoxes decodes a tile's layer into each feature's bounding box in
// tile units, by feature id.
func featureBoxes(t *testing.T, resp *Response, layer string) map[string]orb.Bound {
	t.Helper()
	out := map[string]orb.Bound{}
	l := layerByName(decode(t, resp), layer)
	if l == nil {
		return out
	}
	for _, f := range l.Features {
		out[fmt.Sprint(f.ID)] = f.Geometry.Bound()
	}
	return out
}

// TestPublishedTilesMatchImported: tiles of a published table, in each
// SRID and through a generated Web Mercator copy, have the features of the
// imported layer's tiles, each within a tile unit (1/4096 of the tile).
func TestPublishedTilesMatchImported(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	names := publishCopies(t, db, 4326, 3003, 6707, 3857)
	// The office adds a Web Mercator copy to one table, without an index
	// at first: the catalog notices the column (not a collection).
	copied := "ufficio.particelle_6707"
	if _, err := db.pool.Exec(ctx, "ALTER TABLE "+copied+" ADD COLUMN geom_3857 geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED"); err != nil {
		t.Fatal(err)
	}
	if err := db.cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if l, _ := db.cat.Layer(copied); l.Source.Geom3857 != "geom_3857" || l.Source.Indexed3857 || len(l.Source.MercatorDDL) != 1 {
		t.Fatalf("the copy: %+v", l.Source)
	}
	if _, err := db.pool.Exec(ctx, "CREATE INDEX ON "+copied+" USING gist (geom_3857)"); err != nil {
		t.Fatal(err)
	}
	if err := db.cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	l, _ := db.cat.Layer(copied)
	if !l.Source.Indexed3857 || len(l.Source.MercatorDDL) != 0 || !l.Has3857() {
		t.Fatalf("the indexed copy: %+v", l.Source)
	}
	if _, ok := db.cat.Layer(copied + ".geom_3857"); ok {
		t.Error("a Web Mercator copy is listed as a collection")
	}
	if l, _ := db.cat.Layer("ufficio.particelle_3003"); len(l.Source.MercatorDDL) != 2 || !strings.Contains(l.Source.MercatorDDL[0], "GENERATED ALWAYS AS (ST_Transform(\"geom\", 3857)) STORED") {
		t.Errorf("advice for a 3003 table: %q", l.Source.MercatorDDL)
	}
	svc := New(db.pool, access.NewCatalog(db.cat), Options{})
	for z := 12; z <= 17; z += 5 {
		tile := tileAt(z)
		imported, err := svc.Tile(ctx, TileRequest{Layers: "particelle", Tile: tile})
		if err != nil {
			t.Fatal(err)
		}
		want := featureBoxes(t, imported, "particelle")
		if len(want) < 10 {
			t.Fatalf("z%d: %d imported features (by id)", z, len(want))
		}
		for _, name := range names {
			resp, err := svc.Tile(ctx, TileRequest{Layers: name, Tile: tile})
			if err != nil {
				t.Fatal(err)
			}
			got := featureBoxes(t, resp, name)
			if len(got) != len(want) {
				t.Errorf("%s z%d: %d features, imported %d", name, z, len(got), len(want))
			}
			for id, w := range want {
				g, ok := got[id]
				if !ok || math.Abs(g.Min[0]-w.Min[0]) > 1 || math.Abs(g.Min[1]-w.Min[1]) > 1 || math.Abs(g.Max[0]-w.Max[0]) > 1 || math.Abs(g.Max[1]-w.Max[1]) > 1 {
					t.Errorf("%s z%d feature %s: %v, imported %v", name, z, id, g, w)
					break
				}
			}
		}
	}
	// The copy's tiles read it: no transform of the table's geometry.
	p, err := svc.planFor([]layers.Layer{l}, 17, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.sql, `t."geom_3857" && ST_TileEnvelope`) || strings.Contains(p.sql, `ST_Transform(t."geom"`) {
		t.Errorf("the copy is not read: %s", p.sql)
	}
}

// TestPublishMercator: asked to (sit publish --mercator), SIT adds the Web
// Mercator copy and its index itself; unasked it only advises them.
func TestPublishMercator(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	name := publishCopies(t, db, 3003)[0]
	rep, err := db.store.Publish(ctx, layers.PublishSpec{Schema: "ufficio", Relation: "particelle_3003"})
	if err != nil || len(rep.Advice) != 2 {
		t.Fatalf("advice: %q %v", rep.Advice, err)
	}
	rep, err = db.store.Publish(ctx, layers.PublishSpec{Schema: "ufficio", Relation: "particelle_3003", Mercator: true})
	if err != nil || len(rep.Advice) != 0 || len(rep.Pending) != 0 {
		t.Fatalf("--mercator: advice %q, pending %q, %v", rep.Advice, rep.Pending, err)
	}
	if err := db.cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if l, _ := db.cat.Layer(name); l.Source.Geom3857 != "geom_3857" || !l.Has3857() {
		t.Errorf("after --mercator: %+v", l.Source)
	}
}
