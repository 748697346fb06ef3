package layers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/layers"
)

// points makes n point features whose attribute v is tag.
func points(n int, tag string) []layers.Feature {
	feats := make([]layers.Feature, n)
	for i := range feats {
		feats[i] = layers.Feature{Record: int64(i + 1), Geometry: orb.Point{10.5 + float64(i)*0.001, 43.8}, Props: map[string]any{"v": tag}}
	}
	return feats
}

func importPoints(t *testing.T, store *layers.Store, layer string, n int, tag string) layers.ImportResult {
	t.Helper()
	res, err := store.Import(context.Background(), layers.ImportSpec{Layer: layer, SRID: 4326}, layers.NewSliceReader(points(n, tag)))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// liveTables lists the layer's version tables that exist, by version.
func liveTables(t *testing.T, pool *pgxpool.Pool, layer string) string {
	t.Helper()
	var s string
	if err := pool.QueryRow(context.Background(), `SELECT coalesce(string_agg(version::text, ',' ORDER BY version), '')
		FROM sit.layer_versions WHERE layer = $1 AND to_regclass(format('sit_versions.%I', table_name)) IS NOT NULL
		AND dropped_at IS NULL`, layer).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestVersionsKeptAndCollected: every replace makes a table of its own;
// the view follows the current one; old tables go once Retention lets
// them; version numbers never repeat, even after the layer is removed.
func TestVersionsKeptAndCollected(t *testing.T) {
	ctx := context.Background()
	store, pool := newStore(t)
	store = store.WithRetention(layers.Retention{Keep: 2})
	for i := 1; i <= 3; i++ {
		res := importPoints(t, store, "punti", i, fmt.Sprint("v", i))
		if res.Version != int64(i) {
			t.Fatalf("import %d made version %d", i, res.Version)
		}
	}
	l, err := layers.GetLayer(ctx, pool, "punti")
	if err != nil {
		t.Fatal(err)
	}
	if l.Table != "punti_v3" || l.Ident().Sanitize() != `"sit_versions"."punti_v3"` {
		t.Fatalf("current table %s (%s)", l.Table, l.Ident().Sanitize())
	}
	if got := liveTables(t, pool, "punti"); got != "2,3" {
		t.Fatalf("tables of versions %s exist, want 2,3 (keep 2)", got)
	}
	var n int
	var v string
	if err := pool.QueryRow(ctx, "SELECT count(*), min(v) FROM sit_data.punti").Scan(&n, &v); err != nil || n != 3 || v != "v3" {
		t.Fatalf("the view reads %d rows of %q (%v), want 3 of v3", n, v, err)
	}
	if err := store.Delete(ctx, "punti"); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_class WHERE relnamespace IN ('sit_versions'::regnamespace, 'sit_data'::regnamespace)
		AND relname LIKE 'punti%' AND relkind IN ('r', 'v')`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d tables or views of a removed layer left (%v)", left, err)
	}
	if res := importPoints(t, store, "punti", 1, "again"); res.Version != 4 {
		t.Fatalf("a removed layer imported again starts at version %d, want 4 (tile ETags key on versions)", res.Version)
	}
}

// TestReplaceDoesNotWaitForReaders: a reader in the middle of a long
// transaction on the current version neither delays a replace nor loses
// its version: it keeps reading it, and its table is dropped only after it
// let go. (Before versioned tables the replace waited for it, then readers
// waited for the replace.)
func TestReplaceDoesNotWaitForReaders(t *testing.T) {
	ctx := context.Background()
	store, pool := newStore(t)
	store = store.WithRetention(layers.Retention{Keep: 1})
	importPoints(t, store, "punti", 2, "old")
	l, err := layers.GetLayer(ctx, pool, "punti")
	if err != nil {
		t.Fatal(err)
	}
	reader, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Release()
	tx, err := reader.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	var n int
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM "+l.Ident().Sanitize()).Scan(&n); err != nil || n != 2 {
		t.Fatalf("reader: %d rows, %v", n, err)
	}
	// The import would wait for the reader's lock (60 s lock_timeout) if
	// it touched its table: it must finish while the reader holds on.
	ictx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	if _, err := store.Import(ictx, layers.ImportSpec{Layer: "punti", SRID: 4326}, layers.NewSliceReader(points(5, "new"))); err != nil {
		t.Fatalf("replace while a reader holds the current version: %v", err)
	}
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM "+l.Ident().Sanitize()).Scan(&n); err != nil || n != 2 {
		t.Fatalf("the reader lost its version: %d rows, %v", n, err)
	}
	if got := liveTables(t, pool, "punti"); got != "1,2" {
		t.Fatalf("tables of versions %s, want 1,2: version 1 is in use, its drop waits", got)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	importPoints(t, store, "punti", 1, "newer")
	if got := liveTables(t, pool, "punti"); got != "3" {
		t.Fatalf("tables of versions %s, want 3 once nobody reads the old ones", got)
	}
}

// TestAppendKeepsTheTable: an append makes a new version on the same
// table, and the view shows the columns it added or widened.
func TestAppendKeepsTheTable(t *testing.T) {
	ctx := context.Background()
	store, pool := newStore(t)
	first := points(2, "a")
	for i := range first {
		first[i].Props["n"] = int64(i)
	}
	if _, err := store.Import(ctx, layers.ImportSpec{Layer: "punti", SRID: 4326}, layers.NewSliceReader(first)); err != nil {
		t.Fatal(err)
	}
	// "nuovo" is a new column, "n" is widened from integer to text.
	feats := []layers.Feature{{Record: 1, Geometry: orb.Point{10.6, 43.9}, Props: map[string]any{"v": "b", "nuovo": int64(7), "n": "sette"}}}
	res, err := store.Import(ctx, layers.ImportSpec{Layer: "punti", SRID: 4326, Mode: layers.ModeAppend}, layers.NewSliceReader(feats))
	if err != nil {
		t.Fatal(err)
	}
	l, err := layers.GetLayer(ctx, pool, "punti")
	if err != nil {
		t.Fatal(err)
	}
	if res.Version != 2 || l.Table != "punti_v1" || l.FeatureCount != 3 {
		t.Fatalf("after the append: version %d, table %s, %d features", res.Version, l.Table, l.FeatureCount)
	}
	var nuovo int
	var n string
	if err := pool.QueryRow(ctx, "SELECT sum(nuovo), max(n) FROM sit_data.punti").Scan(&nuovo, &n); err != nil || nuovo != 7 || n != "sette" {
		t.Fatalf("the view's new and widened columns: %d %q, %v", nuovo, n, err)
	}
}

// TestMigrationMovesTablesToVersions: a database whose layers live in
// sit_data (before migration 0501) comes out with each table in
// sit_versions, a view in its place and its version recorded.
func TestMigrationMovesTablesToVersions(t *testing.T) {
	ctx := context.Background()
	_, pool := newStore(t)
	// Undo 0501 by hand to rebuild the old layout, then run it again.
	if _, err := pool.Exec(ctx, `DROP TABLE sit.layer_versions CASCADE; DROP SCHEMA sit_versions CASCADE;
		DELETE FROM sit.schema_migrations WHERE version >= 501;
		CREATE TABLE sit_data.vecchio (fid bigint PRIMARY KEY, nome text, geom geometry(Point, 4326), geom_3857 geometry(Point, 3857));
		INSERT INTO sit_data.vecchio VALUES (1, 'Lucca', 'SRID=4326;POINT(10.5 43.8)', NULL);
		INSERT INTO sit.layers (name, table_name, version, feature_count) VALUES ('vecchio', 'vecchio', 3, 1)`); err != nil {
		t.Fatal(err)
	}
	if err := layers.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	l, err := layers.GetLayer(ctx, pool, "vecchio")
	if err != nil {
		t.Fatal(err)
	}
	var nome, kind string
	if err := pool.QueryRow(ctx, "SELECT nome, (SELECT relkind::text FROM pg_class WHERE oid = 'sit_data.vecchio'::regclass) FROM "+l.Ident().Sanitize()).Scan(&nome, &kind); err != nil {
		t.Fatal(err)
	}
	if l.Table != "vecchio_v3" || nome != "Lucca" || kind != "v" || liveTables(t, pool, "vecchio") != "3" {
		t.Fatalf("after 0501: table %s, row %q, sit_data.vecchio kind %q, versions %s", l.Table, nome, kind, liveTables(t, pool, "vecchio"))
	}
}

// TestCatalogIgnoresForgedNotifications: NOTIFY needs no privilege, so a
// notification is only a hint to re-read the catalog table: a flood of
// forged ones changes nothing, and a real import is still seen.
func TestCatalogIgnoresForgedNotifications(t *testing.T) {
	ctx := context.Background()
	store, pool := newStore(t)
	importPoints(t, store, "punti", 1, "a")
	cat := layers.NewCatalog(pool, nil)
	if err := cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	changes := make(chan struct{}, 100)
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	go cat.Watch(wctx, func() { changes <- struct{}{} })
	forged := make([]string, 2000)
	for i := range forged {
		b, _ := json.Marshal(map[string]any{"layer": "intruso", "version": 1000 + i})
		forged[i] = string(b)
	}
	if _, err := pool.Exec(ctx, "SELECT pg_notify($1, p) FROM unnest($2::text[]) p", layers.NotifyChannel, forged); err != nil {
		t.Fatal(err)
	}
	importPoints(t, store, "punti", 2, "b")
	deadline := time.After(2 * time.Minute)
	for {
		if l, _ := cat.Layer("punti"); l.Version == 2 {
			break
		}
		select {
		case <-changes:
		case <-deadline:
			t.Fatal("the catalog never saw version 2")
		}
	}
	if _, ok := cat.Layer("intruso"); ok || len(cat.Layers()) != 1 {
		t.Fatalf("forged notifications changed the catalog: %d layers", len(cat.Layers()))
	}
	if n := len(changes); n > 1 {
		t.Fatalf("%d more changes reported than the one import", n)
	}
}
