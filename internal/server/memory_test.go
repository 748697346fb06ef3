package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/internal/membudget"
	"github.com/sit-gis/sit/internal/pg"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/tiles"
)

// gridLayer imports n×n small squares from (lon, lat), 0.001° apart, as a
// public layer into a fresh database, and returns the reader's pool and
// catalog.
func gridLayer(t *testing.T, name string, lon, lat float64, n int) (*pgxpool.Pool, *layers.Catalog) {
	t.Helper()
	ctx := context.Background()
	urls := dbtest.Roles(t)
	owner, err := pg.Open(ctx, urls.Owner, pg.PoolOptions{MaxConns: 2, AppName: "test owner"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(owner.Close)
	if err := layers.Migrate(ctx, owner); err != nil {
		t.Fatal(err)
	}
	var feats []layers.Feature
	for i := range n * n {
		x, y := lon+float64(i%n)*0.001, lat+float64(i/n)*0.001
		sq := orb.Polygon{{{x, y}, {x + 0.0006, y}, {x + 0.0006, y + 0.0006}, {x, y + 0.0006}, {x, y}}}
		feats = append(feats, layers.Feature{Record: int64(i + 1), ID: strconv.Itoa(i + 1), Geometry: sq, Props: map[string]any{"n": i}})
	}
	spec := layers.ImportSpec{Layer: name, SRID: 4326}
	if _, err := layers.NewStore(owner, nil).Import(ctx, spec, layers.NewSliceReader(feats)); err != nil {
		t.Fatal(err)
	}
	reader, err := pg.Open(ctx, urls.Reader, pg.PoolOptions{MaxConns: 8, AppName: "test reader", StatementTimeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(reader.Close)
	cat := layers.NewCatalog(reader, nil)
	if err := cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	return reader, cat
}

// TestMemoryBudgetShrinksTheCache: a server on a real PostGIS fills its
// tile cache; then the rest of the heap grows past what the budget leaves
// the cache, and the next sharing of the budget shrinks the cache to its
// new capacity (evicting what it held), tiles asked again are not kept
// beyond it, and /metrics says so. Once the heap is back the capacity
// returns, after a window of samples. The figures are the Go runtime's
// own (runtime/metrics), read at steps the test takes, not timed.
func TestMemoryBudgetShrinksTheCache(t *testing.T) {
	const mib = 1 << 20
	reader, cat := gridLayer(t, "griglia", 10.50, 43.84, 40)
	prev := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(prev) })
	const bound = 32 * mib
	cache := tiles.NewCache(bound)
	// A fixed limit (the test process's own size is not the server's) and
	// no assumed working set: the one measured decides.
	mem := membudget.New(membudget.Options{Budget: 256 * mib, Limit: 128 * mib, CacheMax: bound, Headroom: mib, WorkingSet: 1}, cache)
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv := httptest.NewServer(New(Deps{Config: config.DefaultServer(), Pool: reader, Catalog: cat, Log: log, Version: "test", TileCache: cache, Memory: mem}))
	t.Cleanup(srv.Close)

	paths := gridTiles("griglia", 10.50, 43.84, 0.04, 16, 17)
	fill := func(paths []string) {
		for _, p := range paths {
			if res := get(t, srv.URL+p); res.StatusCode != http.StatusOK && res.StatusCode != http.StatusNoContent {
				t.Fatalf("%s: %s", p, res.Status)
			}
		}
	}
	step := func() membudget.Split {
		runtime.GC() // the live heap as of now, not of the last collection
		return mem.Step()
	}
	if sp := step(); sp.Capacity != bound || sp.Limit != 128*mib {
		t.Fatalf("before: %+v, want the cache's whole bound under a 128 MiB limit", sp)
	}
	fill(paths)
	full := scrapeMetrics(t, srv.URL)
	held := full["sit_tile_cache_bytes"]
	if held <= 0 || full["sit_tile_cache_capacity_bytes"] != bound || full["sit_memory_budget_bytes"] != 256*mib {
		t.Fatalf("after %d tiles: %v", len(paths), full)
	}
	mid := step()

	// The rest of the heap grows by a little more than the room left.
	ballast := make([]byte, mid.Room+4*mib)
	during := step()
	m := scrapeMetrics(t, srv.URL)
	if during.Capacity >= int64(held) || m["sit_tile_cache_capacity_bytes"] != float64(during.Capacity) ||
		m["sit_tile_cache_bytes"] > float64(during.Capacity) || m["sit_tile_cache_bytes"] >= held {
		t.Fatalf("the heap grew by %d MiB (room was %d MiB): split %+v; metrics %v; the cache held %.0f bytes", len(ballast)/mib,
			mid.Room/mib, during, m, held)
	}
	if m["sit_memory_working_set_bytes"] < float64(len(ballast)) {
		t.Fatalf("working set %v, the ballast alone is %d", m["sit_memory_working_set_bytes"], len(ballast))
	}
	// Asked again, tiles are served but not kept beyond the capacity (a
	// few: at its limit the heap is collected at every turn).
	fill(paths[:min(len(paths), 40)])
	if b := cache.Bytes(); b > cache.Capacity() {
		t.Fatalf("the cache holds %d bytes over its capacity %d", b, cache.Capacity())
	}
	runtime.KeepAlive(ballast)
	ballast = nil

	// The heap is back: after a window of samples the cache has its bound again.
	var after membudget.Split
	for i := 0; i < 1000 && after.Capacity < bound; i++ {
		after = step()
	}
	if after.Capacity != bound {
		t.Fatalf("the capacity did not come back: %+v", after)
	}
	fill(paths)
	if got := cache.Bytes(); got < int64(held)/2 {
		t.Fatalf("refilled to %d bytes, %.0f before", got, held)
	}
}

// gridTiles are the paths of every tile of zooms z0 to z1 over a square of
// span degrees from (lon, lat).
func gridTiles(layer string, lon, lat, span float64, z0, z1 int) []string {
	var paths []string
	for z := z0; z <= z1; z++ {
		x0, y0 := tileXY(z, lon, lat+span)
		x1, y1 := tileXY(z, lon+span, lat)
		for x := x0; x <= x1; x++ {
			for y := y0; y <= y1; y++ {
				paths = append(paths, fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt", layer, z, x, y))
			}
		}
	}
	return paths
}

// tileXY is the tile of zoom z holding a point.
func tileXY(z int, lon, lat float64) (int, int) {
	n := math.Exp2(float64(z))
	r := lat * math.Pi / 180
	return int((lon + 180) / 360 * n), int((1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * n)
}

// get sends a GET and reads the body whole.
func get(t *testing.T, url string) *http.Response {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		t.Fatal(err)
	}
	return res
}

// scrapeMetrics reads /metrics: the value of each series without labels.
func scrapeMetrics(t *testing.T, base string) map[string]float64 {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 || strings.HasPrefix(f[0], "#") || strings.Contains(f[0], "{") {
			continue
		}
		if v, err := strconv.ParseFloat(f[1], 64); err == nil {
			out[f[0]] = v
		}
	}
	return out
}
