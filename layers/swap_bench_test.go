package layers_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/layers"
)

// BenchmarkSwapReadLatency re-imports a cadastral layer of N parcels
// (SIT_BENCH_SWAP_N, default 300 000) while readers query it through a
// watched catalog, as `sit serve` does: each read takes the layer's table
// from the catalog snapshot and fetches a page of parcels in a random box.
// It reports the slowest and the 99th-percentile read over the whole
// import, and over its swap: from the moment the import starts indexing
// (the old loader swapped tables just before) until every reader has moved
// to the new version.
//
//	go test -run '^$' -bench SwapReadLatency -benchtime 1x ./layers
func BenchmarkSwapReadLatency(b *testing.B) {
	n := 300000
	if v, err := strconv.Atoi(os.Getenv("SIT_BENCH_SWAP_N")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	url := dbtest.URL(b)
	owner, err := pgxpool.New(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer owner.Close()
	if err := layers.Migrate(ctx, owner); err != nil {
		b.Fatal(err)
	}
	store := layers.NewStore(owner, nil)
	feats := benchParcels(n)
	spec := layers.ImportSpec{Layer: "particelle", Kind: layers.KindCadastral, SRID: 4326, Mode: layers.ModeReplace}
	if _, err := store.Import(ctx, spec, layers.NewSliceReader(feats)); err != nil {
		b.Fatal(err)
	}
	rcfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		b.Fatal(err)
	}
	rcfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	rcfg.MaxConns = 8
	readers, err := pgxpool.NewWithConfig(ctx, rcfg)
	if err != nil {
		b.Fatal(err)
	}
	defer readers.Close()
	cat := layers.NewCatalog(readers, nil)
	if err := cat.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	go cat.Watch(wctx, nil)
	var all, swap []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := measureSwap(b, store, owner, readers, cat, spec, feats)
		all, swap = append(all, r.all...), append(swap, r.swap...)
	}
	b.StopTimer()
	for _, m := range []struct {
		name string
		d    []time.Duration
	}{{"import", all}, {"swap", swap}} {
		slices.Sort(m.d)
		if len(m.d) == 0 {
			b.Fatalf("no reads during the %s", m.name)
		}
		b.ReportMetric(float64(m.d[len(m.d)-1].Microseconds())/1000, "max-ms-"+m.name)
		b.ReportMetric(float64(m.d[len(m.d)*99/100].Microseconds())/1000, "p99-ms-"+m.name)
		b.ReportMetric(float64(len(m.d)), "reads-"+m.name)
	}
}

// swapReads are the read latencies of one re-import.
type swapReads struct{ all, swap []time.Duration }

// measureSwap re-imports the layer under four reader loops and sorts their
// reads into the whole import and its swap window.
func measureSwap(b *testing.B, store *layers.Store, owner, readers *pgxpool.Pool, cat *layers.Catalog, spec layers.ImportSpec, feats []layers.Feature) swapReads {
	ctx := context.Background()
	before, _ := cat.Layer(spec.Layer)
	type read struct {
		end time.Time
		d   time.Duration
	}
	var mu sync.Mutex
	var reads []read
	rctx, stopReads := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(seed, 1))
			for rctx.Err() == nil {
				l, _ := cat.Layer(spec.Layer)
				x, y := 10.40+rnd.Float64()*0.2, 43.80+rnd.Float64()*0.12
				t0 := time.Now()
				var cnt int
				err := readers.QueryRow(rctx, "SELECT count(*) FROM (SELECT fid FROM "+l.Ident().Sanitize()+
					" WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) ORDER BY fid LIMIT 100) p", x, y, x+0.004, y+0.003).Scan(&cnt)
				if err != nil && rctx.Err() == nil {
					b.Errorf("read during the import: %v", err)
					return
				}
				mu.Lock()
				reads = append(reads, read{time.Now(), time.Since(t0)})
				mu.Unlock()
			}
		}(uint64(w))
	}
	indexing := make(chan time.Time, 1)
	go watchPhase(rctx, owner, "indexing", indexing)
	start := time.Now()
	res, err := store.Import(ctx, spec, layers.NewSliceReader(feats))
	if err != nil {
		b.Fatal(err)
	}
	// The swap is over when the readers' catalog serves the new version.
	for l, _ := cat.Layer(spec.Layer); l.Version == before.Version; l, _ = cat.Layer(spec.Layer) {
		time.Sleep(time.Millisecond)
	}
	switched := time.Now()
	stopReads()
	wg.Wait()
	swapStart := switched
	select {
	case t := <-indexing:
		swapStart = t
	default:
	}
	b.Logf("import of %d features: %s, indexing from %s, readers on version %d after %s",
		res.Loaded, time.Since(start).Round(time.Millisecond), swapStart.Sub(start).Round(time.Millisecond), res.Version, switched.Sub(start).Round(time.Millisecond))
	var out swapReads
	for _, r := range reads {
		if r.end.Before(start) {
			continue
		}
		out.all = append(out.all, r.d)
		if !r.end.Before(swapStart) {
			out.swap = append(out.swap, r.d)
		}
	}
	return out
}

// watchPhase sends the first time the latest import is seen in phase.
func watchPhase(ctx context.Context, pool *pgxpool.Pool, phase string, at chan<- time.Time) {
	for ctx.Err() == nil {
		var p string
		if err := pool.QueryRow(ctx, "SELECT phase FROM sit.imports ORDER BY id DESC LIMIT 1").Scan(&p); err == nil && p == phase {
			at <- time.Now()
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// benchParcels lays n small cadastral parcels on a grid over Lucca.
func benchParcels(n int) []layers.Feature {
	feats := make([]layers.Feature, n)
	for i := range feats {
		x, y := 10.40+float64(i%700)*0.0003, 43.80+float64(i/700)*0.0003
		feats[i] = layers.Feature{Record: int64(i + 1), ID: strconv.Itoa(i + 1),
			Geometry: orb.Polygon{{{x, y}, {x + 0.00025, y}, {x + 0.00025, y + 0.00025}, {x, y + 0.00025}, {x, y}}},
			Props: map[string]any{"comune": "E715", "foglio": strconv.Itoa(1 + i/500), "particella": strconv.Itoa(1 + i%500),
				"ref": fmt.Sprintf("E715_%06d.%d", 1+i/500, 1+i%500)}}
	}
	return feats
}
