package tiles

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/layers"

	"github.com/sit-gis/sit/internal/httpx"
)

// BenchmarkTileCold runs the whole miss path against PostGIS: plan,
// statement (prepared by pgx), gzip, response. The cache is off.
func BenchmarkTileCold(b *testing.B) {
	db := newTestDBB(b)
	svc := New(db.pool, access.NewCatalog(db.cat), Options{})
	tile := tileAt(17)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := svc.Tile(ctx, TileRequest{Layers: "parcels", Tile: TileID{Z: 17, X: tile.X + i%3, Y: tile.Y + i/3%3}, AcceptEncoding: "gzip"})
		if err != nil || resp.Status == 500 {
			b.Fatal(err)
		}
	}
}

// BenchmarkTileWarm is the hit path through the HTTP handler (router,
// parse, key, ETag, cache lookup, write), without a network.
func BenchmarkTileWarm(b *testing.B) {
	body := make([]byte, 12<<10)
	for i := range body {
		body[i] = byte(i * 7)
	}
	svc := New(bytesDB{body: body}, access.NewCatalog(testCatalog()), Options{CacheBytes: 64 << 20})
	h := router(svc)
	req := httptest.NewRequest("GET", "/tiles/parcels/16/34680/23870.mvt", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	h.ServeHTTP(httptest.NewRecorder(), req)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatal(w.Code)
			}
		}
	})
}

// BenchmarkTileKey is the per-request work before the cache: layer
// resolution, plan lookup, key and ETag.
func BenchmarkTileKey(b *testing.B) {
	svc := New(bytesDB{body: []byte("x")}, access.NewCatalog(testCatalog()), Options{CacheBytes: 64 << 20})
	ctx := context.Background()
	req := TileRequest{Layers: "parcels,zoning", Tile: TileID{Z: 16, X: 34680, Y: 23870}, IfNoneMatch: `"nope"`}
	if _, err := svc.Tile(ctx, req); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := svc.Tile(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGzip compresses a z15-sized tile once, as a miss does.
func BenchmarkGzip(b *testing.B) {
	body := make([]byte, 30<<10)
	for i := range body {
		body[i] = byte((i * i) >> 5)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		httpx.Gzip(body)
	}
}

// BenchmarkTileColdPublished compares cold tiles of the same parcels
// imported (sit_versions, geom_3857 stored) and published as the office
// keeps them: a table in each of EPSG:4326, 3003, 6707 and 3857 (tiles of
// the first three map their rows with the per-tile affine fits, or, as
// "<table>:exact", transform every row; the tile's envelope is brought into
// the table's SRID for its index), and the 3003 table with the generated
// Web Mercator copy sit publish advises (ufficio.particelle_3003_wm), and
// the 3003 table with SIT's own tile copy (ufficio.particelle_3003_copy;
// the others are published with --no-tile-copy). The tiles are a 3×3 screen, each screen's fits made afresh; the metric
// server-us/op is the CPU time of the one connection's backend per tile.
func BenchmarkTileColdPublished(b *testing.B) {
	db := newTestDBB(b)
	ctx := context.Background()
	names := benchSources(b, db)
	one, pid := oneConnection(b, db)
	svc := New(one, access.NewCatalog(db.cat), Options{})
	exact := New(one, access.NewCatalog(db.cat), Options{})
	exact.affineBound = 0
	names = append(names, "ufficio.particelle_4326:exact", "ufficio.particelle_3003:exact", "ufficio.particelle_6707:exact")
	// Every source once at every zoom first: PROJ sets up each pair of
	// SRIDs once per session, and the first statements read the tables.
	for z := 12; z <= 17; z++ {
		for _, name := range names {
			layer, isExact := strings.CutSuffix(name, ":exact")
			s := svc
			if isExact {
				s = exact
			}
			if _, err := s.Tile(ctx, TileRequest{Layers: layer, Tile: tileAt(z)}); err != nil {
				b.Fatal(err)
			}
		}
	}
	svc.fits.Clear()
	// Zoom by zoom, so that a busy machine's drift falls on every source
	// of a row alike.
	for z := 12; z <= 17; z++ {
		for _, name := range names {
			layer, isExact := strings.CutSuffix(name, ":exact")
			svc := svc
			if isExact {
				svc = exact
			}
			b.Run(fmt.Sprintf("%s/z%d", name, z), func(b *testing.B) {
				tile := tileAt(z)
				cpu := backendCPU(pid)
				for i := 0; i < b.N; i++ {
					if i%9 == 0 {
						// A screen of 3×3 tiles seen for the first time:
						// no fit kept from before.
						svc.fits.Clear()
					}
					resp, err := svc.Tile(ctx, TileRequest{Layers: layer, Tile: TileID{Z: z, X: tile.X + i%3, Y: tile.Y + i/3%3}, AcceptEncoding: "gzip"})
					if err != nil || resp.Status == 500 {
						b.Fatal(err)
					}
				}
				if cpu >= 0 {
					b.ReportMetric(float64(backendCPU(pid)-cpu)/float64(b.N)/1e3, "server-us/op")
				}
			})
		}
	}
}

// benchSources publishes the tables of BenchmarkTileColdPublished and
// returns its sources, the imported layer first.
func benchSources(b *testing.B, db *testDB) []string {
	ctx := context.Background()
	names := append([]string{"particelle"}, publishTransformed(b, db, 4326, 3003, 6707, 3857)...)
	for _, sql := range []string{
		"CREATE TABLE ufficio.particelle_3003_wm (LIKE ufficio.particelle_3003 INCLUDING ALL)",
		"INSERT INTO ufficio.particelle_3003_wm SELECT * FROM ufficio.particelle_3003",
		"ALTER TABLE ufficio.particelle_3003_wm ADD COLUMN geom_3857 geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED",
		"CREATE INDEX ON ufficio.particelle_3003_wm USING gist (geom_3857)",
		"ANALYZE ufficio.particelle_3003_wm",
		"CREATE TABLE ufficio.particelle_3003_copy (LIKE ufficio.particelle_3003 INCLUDING ALL)",
		"INSERT INTO ufficio.particelle_3003_copy SELECT * FROM ufficio.particelle_3003",
		"ANALYZE ufficio.particelle_3003_copy",
	} {
		if _, err := db.pool.Exec(ctx, sql); err != nil {
			b.Fatalf("%s: %v", sql, err)
		}
	}
	for _, spec := range []layers.PublishSpec{{Schema: "ufficio", NoTileCopy: true}, {Schema: "ufficio", Relation: "particelle_3003_copy"}} {
		if _, err := db.store.Publish(ctx, spec); err != nil {
			b.Fatal(err)
		}
	}
	if err := db.cat.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	if l, _ := db.cat.Layer("ufficio.particelle_3003_wm"); !l.Has3857() {
		b.Fatalf("the copy is not used: %+v", l.Source)
	}
	if l, _ := db.cat.Layer("ufficio.particelle_3003_copy"); l.Source.TileCopy == "" {
		b.Fatalf("no tile copy: %s", l.Source.TilePath)
	}
	names = append(names, "ufficio.particelle_3003_wm", "ufficio.particelle_3003_copy")
	return names
}

// oneConnection is a pool of one connection to the test database and the
// process id of its backend, so that the CPU time of that process is the
// server's work for what runs through the pool, whatever else the machine
// runs.
func oneConnection(b *testing.B, db *testDB) (*pgxpool.Pool, int) {
	ctx := context.Background()
	cfg := db.pool.Config()
	cfg.MaxConns, cfg.MinConns = 1, 0
	one, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(one.Close)
	var pid int
	if err := one.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		b.Fatal(err)
	}
	return one, pid
}

// backendCPU is the CPU time a process has run, in nanoseconds (Linux's
// /proc/PID/schedstat); -1 where it cannot be read. Unlike a wall time it
// does not grow with the machine's load.
func backendCPU(pid int) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/schedstat", pid))
	if err != nil {
		return -1
	}
	f := strings.Fields(string(raw))
	if len(f) == 0 {
		return -1
	}
	n, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// BenchmarkTileCopyWrites is what SIT's tile copy costs the office's
// writes: the same statements on two copies of the 2 000 test parcels in
// EPSG:3003, one with the tile copy, one published with --no-tile-copy
// (both with the change trigger), on one connection; server-us/op is its
// backend's CPU time per statement.
func BenchmarkTileCopyWrites(b *testing.B) {
	db := newTestDBB(b)
	ctx := context.Background()
	publishTransformed(b, db, 3003)
	for _, sql := range []string{
		"CREATE TABLE ufficio.particelle_3003_copy (LIKE ufficio.particelle_3003 INCLUDING ALL)",
		"INSERT INTO ufficio.particelle_3003_copy SELECT * FROM ufficio.particelle_3003",
	} {
		if _, err := db.pool.Exec(ctx, sql); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := db.store.Publish(ctx, layers.PublishSpec{Schema: "ufficio", Relation: "particelle_3003_copy"}); err != nil {
		b.Fatal(err)
	}
	one, pid := oneConnection(b, db)
	for _, table := range []string{"ufficio.particelle_3003", "ufficio.particelle_3003_copy"} {
		for _, st := range []struct {
			name string
			sqls []string
		}{
			{"update one", []string{"UPDATE " + table + " SET ref = ref WHERE fid = 1 + $1::integer % 2000"}},
			{"update all 2000", []string{"UPDATE " + table + " SET ref = ref WHERE $1::integer >= 0"}},
			{"insert one, delete it", []string{"INSERT INTO " + table + " (fid, ref, geom) SELECT fid + 100000 + $1::integer, ref, geom FROM " + table + " WHERE fid = 1",
				"DELETE FROM " + table + " WHERE fid = 100001 + $1::integer"}},
		} {
			b.Run(table+"/"+st.name, func(b *testing.B) {
				cpu := backendCPU(pid)
				for i := 0; i < b.N; i++ {
					for _, sql := range st.sqls {
						if _, err := one.Exec(ctx, sql, i); err != nil {
							b.Fatal(err)
						}
					}
				}
				if cpu >= 0 {
					b.ReportMetric(float64(backendCPU(pid)-cpu)/float64(b.N)/1e3, "server-us/op")
				}
			})
		}
	}
}
