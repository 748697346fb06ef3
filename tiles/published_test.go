package tiles

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/tiles/internal/fixture"
)

// publishCopies loads the test parcels as a generic imported layer,
// "particelle" (drawn at every zoom, with all its columns, as a published
// table is), and publishes copies of it as an office keeps them: one table
// per SRID, ufficio.particelle_<srid>, with its geometry column in that
// SRID, a primary key, a GiST index and statistics. sit publish installs
// the change trigger and builds SIT's tile copies. It returns the
// published names, in srids' order.
func publishCopies(tb testing.TB, db *testDB, srids ...int) []string {
	tb.Helper()
	return publishTables(tb, db, layers.PublishSpec{Schema: "ufficio"}, srids...)
}

// publishTransformed is publishCopies without tile copies: tiles
// transform the rows (the affine fits).
func publishTransformed(tb testing.TB, db *testDB, srids ...int) []string {
	tb.Helper()
	return publishTables(tb, db, layers.PublishSpec{Schema: "ufficio", NoTileCopy: true}, srids...)
}

// publishTables makes the tables of publishCopies and publishes them as
// spec says.
func publishTables(tb testing.TB, db *testDB, spec layers.PublishSpec, srids ...int) []string {
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
	if _, err := db.store.Publish(ctx, spec); err != nil {
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
// Mercator copy and its index itself; unasked it only advises them, and
// only without a tile copy.
func TestPublishMercator(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	name := publishCopies(t, db, 3003)[0]
	rep, err := db.store.Publish(ctx, layers.PublishSpec{Schema: "ufficio", Relation: "particelle_3003"})
	if err != nil || len(rep.Advice) != 0 || len(rep.Copied) != 1 {
		t.Fatalf("with a tile copy: advice %q, copied %q, %v", rep.Advice, rep.Copied, err)
	}
	rep, err = db.store.Publish(ctx, layers.PublishSpec{Schema: "ufficio", Relation: "particelle_3003", NoTileCopy: true})
	if err != nil || len(rep.Advice) != 2 || len(rep.Copied) != 0 {
		t.Fatalf("without: advice %q, copied %q, %v", rep.Advice, rep.Copied, err)
	}
	rep, err = db.store.Publish(ctx, layers.PublishSpec{Schema: "ufficio", Relation: "particelle_3003", Mercator: true, NoTileCopy: true})
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

// tileOf makes one tile of a layer (the service's cache is off unless
// svc has one) and fails the test on an error.
func tileOf(t *testing.T, svc *Service, name string, tile TileID) *Response {
	t.Helper()
	resp, err := svc.Tile(context.Background(), TileRequest{Layers: name, Tile: tile})
	if err != nil || (resp.Status != http.StatusOK && resp.Status != http.StatusNoContent) {
		t.Fatalf("tile %s of %s: %v %+v", tile, name, err, resp)
	}
	return resp
}

// TestTileCopyMatchesTable: tables in EPSG:3003, 6707 and 4326 get SIT's
// tile copy at sit publish; their tiles read it (no transform, no fit)
// and have the features of the tiles made from the table itself (the
// transform path), every box within one tile unit.
func TestTileCopyMatchesTable(t *testing.T) {
	db := newTestDB(t)
	names := publishCopies(t, db, 3003, 6707, 4326)
	svc := New(db.pool, access.NewCatalog(db.cat), Options{})
	for _, name := range names {
		l := mustLayer(t, db, name)
		if l.Source.TileCopy == "" || !strings.Contains(l.Source.TilePath, "tile copy") {
			t.Fatalf("%s: no tile copy: %s", name, l.Source.TilePath)
		}
		direct, _ := withoutCopies([]layers.Layer{l})
		for _, z := range []int{12, 15, 17} {
			p, err := svc.planFor([]layers.Layer{l}, z, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(p.sql, "sit_copies") || strings.Contains(p.sql, "ST_Transform(t.") || len(p.fits) > 0 {
				t.Fatalf("%s z%d: the copy is not read as a Web Mercator column: %s", name, z, p.sql)
			}
			copied, _, err := svc.render(context.Background(), p, tileAt(z), nil)
			if err != nil {
				t.Fatal(err)
			}
			dp, err := svc.planFor(direct, z, nil)
			if err != nil {
				t.Fatal(err)
			}
			raw, _, err := svc.render(context.Background(), dp, tileAt(z), nil)
			if err != nil {
				t.Fatal(err)
			}
			want := featureBoxes(t, &Response{Status: http.StatusOK, Body: raw}, name)
			got := featureBoxes(t, &Response{Status: http.StatusOK, Body: copied}, name)
			if len(want) < 10 || len(got) != len(want) {
				t.Fatalf("%s z%d: %d features from the copy, %d from the table", name, z, len(got), len(want))
			}
			for id, w := range want {
				if g, ok := got[id]; !ok || math.Abs(g.Min[0]-w.Min[0]) > 1 || math.Abs(g.Min[1]-w.Min[1]) > 1 ||
					math.Abs(g.Max[0]-w.Max[0]) > 1 || math.Abs(g.Max[1]-w.Max[1]) > 1 {
					t.Fatalf("%s z%d feature %s: %v from the copy, %v from the table", name, z, id, g, w)
				}
			}
		}
	}
}

// officeWriter makes a role that may only write the office's table (no
// right on SIT's schemas) and returns a function running SQL as it.
func officeWriter(t *testing.T, db *testDB, table string) func(sql string) {
	ctx := context.Background()
	role := fmt.Sprintf("ufficio_editor_%d", time.Now().UnixNano())
	for _, sql := range []string{"CREATE ROLE " + role, "GRANT USAGE ON SCHEMA ufficio TO " + role,
		"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON " + table + " TO " + role} {
		if _, err := db.pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	t.Cleanup(func() {
		db.pool.Exec(context.Background(), "DROP OWNED BY "+role)       //nolint:errcheck
		db.pool.Exec(context.Background(), "DROP ROLE IF EXISTS "+role) //nolint:errcheck
	})
	return func(sql string) {
		t.Helper()
		err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SET LOCAL ROLE "+role); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, sql)
			return err
		})
		if err != nil {
			t.Fatalf("the office's write %q failed: %v", sql, err)
		}
	}
}

// copyState reads a table's tile copy: its state and its row count
// against the table's ("" and -1 without a copy).
func copyState(t *testing.T, db *testDB, table string) (state string, rows, want int) {
	t.Helper()
	ctx := context.Background()
	var oid uint32
	if err := db.pool.QueryRow(ctx, "SELECT $1::regclass::oid", table).Scan(&oid); err != nil {
		t.Fatal(err)
	}
	if err := db.pool.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&want); err != nil {
		t.Fatal(err)
	}
	err := db.pool.QueryRow(ctx, "SELECT state FROM sit.tile_copies WHERE relid = $1", oid).Scan(&state)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", -1, want
	} else if err != nil {
		t.Fatal(err)
	}
	if err := db.pool.QueryRow(ctx, fmt.Sprintf("SELECT count(*) FROM sit_copies.t_%d", oid)).Scan(&rows); err != nil {
		rows = -1
	}
	return state, rows, want
}

// copyTile refreshes the catalog, checks whether the layer reads its tile
// copy, and returns its tile's ETag and features by id.
func copyTile(t *testing.T, db *testDB, svc *Service, name string, tile TileID, copied bool) (string, map[string]*geojson.Feature) {
	t.Helper()
	if err := db.cat.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if l := mustLayer(t, db, name); (l.Source.TileCopy != "") != copied {
		t.Fatalf("tile copy read: %v, want %v (%s)", l.Source.TileCopy != "", copied, l.Source.TilePath)
	}
	resp := tileOf(t, svc, name, tile)
	out := map[string]*geojson.Feature{}
	if l := layerByName(decode(t, resp), name); l != nil {
		for _, f := range l.Features {
			out[fmt.Sprint(f.ID)] = f
		}
	}
	return resp.Header.Get("ETag"), out
}

// TestTileCopyKeptByOfficeEdits: INSERT, UPDATE, DELETE and TRUNCATE by an
// office role with no right on SIT's schemas show in the next tile, under
// a new ETag, and the copy has the table's rows after each.
func TestTileCopyKeptByOfficeEdits(t *testing.T) {
	db := newTestDB(t)
	name := publishCopies(t, db, 3003)[0]
	write := officeWriter(t, db, name)
	svc := New(db.pool, access.NewCatalog(db.cat), Options{CacheBytes: 1 << 20})
	tile := tileAt(17)
	etag, fs := copyTile(t, db, svc, name, tile, true)
	var id string
	for k := range fs {
		id = k
		break
	}
	if id == "" {
		t.Fatal("an empty tile")
	}
	steps := []struct {
		name, sql string
		shows     func(fs map[string]*geojson.Feature) bool
	}{
		{"update", "UPDATE %s SET ref = 'modificata' WHERE fid = " + id,
			func(fs map[string]*geojson.Feature) bool {
				return fs[id] != nil && fs[id].Properties["ref"] == "modificata"
			}},
		{"insert", "INSERT INTO %[1]s (fid, ref, geom) SELECT fid + 1000000, 'nuova', geom FROM %[1]s WHERE fid = " + id,
			func(fs map[string]*geojson.Feature) bool { return hasProp(fs, "ref", "nuova") }},
		{"delete", "DELETE FROM %s WHERE fid = " + id,
			func(fs map[string]*geojson.Feature) bool { return fs[id] == nil && hasProp(fs, "ref", "nuova") }},
		{"truncate", "TRUNCATE %s", func(fs map[string]*geojson.Feature) bool { return len(fs) == 0 }},
	}
	for _, s := range steps {
		write(fmt.Sprintf(s.sql, name))
		next, fs := copyTile(t, db, svc, name, tile, true)
		if next == "" || next == etag {
			t.Errorf("%s: ETag %q after the edit, %q before", s.name, next, etag)
		}
		if !s.shows(fs) {
			t.Errorf("%s: the tile does not show the edit", s.name)
		}
		if state, rows, want := copyState(t, db, name); state != "ok" || rows != want {
			t.Errorf("%s: copy %s with %d rows, the table %d", s.name, state, rows, want)
		}
		etag = next
	}
}

// TestTileCopyStaleBeforeCatalog: the copy goes stale in an edit the
// catalog has not heard of: the tile statement sees it in its own
// snapshot and the tile is made from the table (it shows the edit the
// copy missed).
func TestTileCopyStaleBeforeCatalog(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	name := publishCopies(t, db, 3003)[0]
	svc := New(db.pool, access.NewCatalog(db.cat), Options{})
	l := mustLayer(t, db, name)
	// The copy's triggers off for one transaction (as a replica's apply
	// would), and the copy marked stale as a failing trigger marks it.
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		for _, sql := range []string{"SET LOCAL session_replication_role = replica", "UPDATE " + name + " SET ref = 'mancata'",
			fmt.Sprintf("UPDATE sit.tile_copies SET state = 'stale' WHERE relid = %d", l.Source.Relid)} {
			if _, err := tx.Exec(ctx, sql); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	resp := tileOf(t, svc, name, tileAt(17))
	if lay := layerByName(decode(t, resp), name); lay == nil || len(lay.Features) == 0 || lay.Features[0].Properties["ref"] != "mancata" {
		t.Fatalf("the tile was made from the stale copy: %+v", lay)
	}
}

func hasProp(fs map[string]*geojson.Feature, key string, v any) bool {
	for _, f := range fs {
		if f.Properties[key] == v {
			return true
		}
	}
	return false
}

// TestTileCopyPaths: a keyless table, a view, a partitioned table and a
// table published with no_tile_copy have no copy (their tiles transform the rows, and the
// source says why); a table dropped and made again (ogr2ogr -overwrite:
// a new oid) gets a new copy and the old one goes; unpublishing drops the
// copy and its triggers.
func TestTileCopyPaths(t *testing.T) {
	db := newTestDB(t)
	ctx := context.Background()
	name := publishCopies(t, db, 3003)[0]
	for _, sql := range []string{
		"CREATE TABLE ufficio.senza_chiave AS SELECT ref, geom FROM " + name,
		"CREATE VIEW ufficio.vista AS SELECT fid, ref, geom FROM " + name,
		"CREATE TABLE ufficio.rifiutata AS SELECT * FROM " + name, "ALTER TABLE ufficio.rifiutata ADD PRIMARY KEY (fid)",
		"CREATE TABLE ufficio.partita (fid bigint PRIMARY KEY, ref text, geom geometry(MultiPolygon, 3003)) PARTITION BY RANGE (fid)",
		"CREATE TABLE ufficio.partita_1 PARTITION OF ufficio.partita FOR VALUES FROM (0) TO (1000000)",
		"INSERT INTO ufficio.partita SELECT fid, ref, geom FROM " + name,
	} {
		if _, err := db.pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	for _, spec := range []layers.PublishSpec{{Schema: "ufficio"}, {Schema: "ufficio", Relation: "rifiutata", NoTileCopy: true}} {
		if _, err := db.store.Publish(ctx, spec); err != nil {
			t.Fatal(err)
		}
	}
	catalogPass(t, db)
	for table, why := range map[string]string{"ufficio.senza_chiave": "without a key", "ufficio.vista": "a view has no tile copy",
		"ufficio.rifiutata": "no_tile_copy", "ufficio.partita": "a partitioned table has no tile copy"} {
		l := mustLayer(t, db, table)
		if l.Source.TileCopy != "" || !strings.Contains(l.Source.TilePath, "transform every row") || !strings.Contains(l.Source.TilePath, why) {
			t.Errorf("%s: %q (copy %q)", table, l.Source.TilePath, l.Source.TileCopy)
		}
		if state, _, _ := copyState(t, db, table); state != "" {
			t.Errorf("%s: a copy row %q", table, state)
		}
	}
	old := mustLayer(t, db, name).Source.Relid
	if _, err := db.store.Unpublish(ctx, "ufficio", "rifiutata"); err != nil { // its opt-out goes
		t.Fatal(err)
	}
	for _, sql := range []string{"DROP VIEW ufficio.vista", "DROP TABLE " + name, "ALTER TABLE ufficio.rifiutata RENAME TO particelle_3003"} {
		if _, err := db.pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	catalogPass(t, db)
	if l := mustLayer(t, db, name); l.Source.TileCopy == "" || l.Source.Relid == old {
		t.Errorf("the table made again: %s", l.Source.TilePath)
	}
	if copies(t, db) != 1 {
		t.Errorf("%d copies left for one table", copies(t, db))
	}
	if _, err := db.store.Unpublish(ctx, "ufficio", ""); err != nil {
		t.Fatal(err)
	}
	var triggers int
	if err := db.pool.QueryRow(ctx, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'sit\\_tile\\_copy\\_%'").Scan(&triggers); err != nil {
		t.Fatal(err)
	}
	if n := copies(t, db); n != 0 || triggers != 0 {
		t.Errorf("unpublished: %d copies, %d triggers left", n, triggers)
	}
}

// copies counts the tile copies: tables in sit_copies, rows of sit.tile_copies.
func copies(t *testing.T, db *testDB) int {
	t.Helper()
	var tables, rows int
	if err := db.pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = 'sit_copies'),
		(SELECT count(*) FROM sit.tile_copies)`).Scan(&tables, &rows); err != nil {
		t.Fatal(err)
	}
	if tables != rows {
		t.Errorf("%d copy tables, %d rows", tables, rows)
	}
	return tables
}

// catalogPass is what sit serve's catalog pass does: read the catalog
// again, then build the tile copies it asks for and drop the stale ones.
func catalogPass(t *testing.T, db *testDB) {
	t.Helper()
	ctx := context.Background()
	if err := db.cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.cat.KeepCopies(ctx); err != nil {
		t.Fatal(err)
	}
}
