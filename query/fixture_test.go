package query

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sit-gis/sit/access"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/layers"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// sliceReader serves in-memory features to the loader.
type sliceReader struct {
	items []layers.Feature
	i     int
}

func (r *sliceReader) Next() (layers.Feature, error) {
	if r.i >= len(r.items) {
		return layers.Feature{}, io.EOF
	}
	r.i++
	return r.items[r.i-1], nil
}
func (r *sliceReader) Close() error { return nil }

func square(x, y, d float64) orb.Polygon {
	return orb.Polygon{{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}}
}

// Fixture geometry: a grid of parcels near Lucca.
const (
	gridX0, gridY0 = 10.49, 43.83
	gridStep       = 0.001
	gridCols       = 20
	gridRows       = 15
	nParcels       = gridCols * gridRows
)

// fixture is a database with three layers and a service over it.
type fixture struct {
	pool *pgxpool.Pool
	cat  *layers.Catalog
	svc  *Service
	h    http.Handler
}

func parcelFeatures() []layers.Feature {
	var out []layers.Feature
	names := []string{"Città", "Pietà", "Via Roma", "via roma", "Lucca"}
	for i := 0; i < nParcels; i++ {
		col, row := i%gridCols, i/gridCols
		out = append(out, layers.Feature{
			Record:   int64(i + 1),
			ID:       fmt.Sprint(i + 1),
			Geometry: square(gridX0+float64(col)*gridStep, gridY0+float64(row)*gridStep, gridStep*0.9),
			Props: map[string]any{
				"comune": "E715", "foglio": fmt.Sprint(30 + i%10), "particella": fmt.Sprint(100 + i),
				"nome": names[i%len(names)], "n": int64(i % 7), "h": float64(i) / 4,
			},
		})
	}
	return out
}

func newFixture(t *testing.T, opt Options) *fixture {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.Pool(t)
	if err := layers.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	store := layers.NewStore(pool, nil)
	imp := func(spec layers.ImportSpec, feats []layers.Feature) {
		t.Helper()
		spec.SRID = 4326
		if _, err := store.Import(ctx, spec, &sliceReader{items: feats}); err != nil {
			t.Fatalf("import %s: %v", spec.Layer, err)
		}
	}
	imp(layers.ImportSpec{Layer: "particelle", Title: "Particelle", Kind: layers.KindCadastral}, parcelFeatures())
	var bb []layers.Feature
	for i := 0; i < 40; i++ {
		snap := "2024-01-15"
		if i%2 == 1 {
			snap = "2025-01-15"
		}
		bb = append(bb, layers.Feature{Record: int64(i + 1), Geometry: orb.Point{gridX0 + float64(i)*0.0005, gridY0 + 0.005},
			Props: map[string]any{"snapshot": snap, "technology": "FTTH", "max_down_mbps": 1000.0, "address": fmt.Sprintf("Via %d", i)}})
	}
	imp(layers.ImportSpec{Layer: "copertura", Title: "Copertura", Kind: layers.KindBroadband}, bb)
	var zones []layers.Feature
	for i := 0; i < 12; i++ {
		zones = append(zones, layers.Feature{Record: int64(i + 1), ID: fmt.Sprintf("Z-%02d", i),
			Geometry: square(gridX0+float64(i)*0.002, gridY0, 0.002), Props: map[string]any{"zone_code": fmt.Sprintf("B%d", i%3)}})
	}
	imp(layers.ImportSpec{Layer: "zone", Title: "Zone", Kind: layers.KindZoning}, zones)
	cat := layers.NewCatalog(pool, nil)
	if err := cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if opt.StatementTimeout == 0 {
		opt.StatementTimeout = 20 * time.Second
	}
	log := slog.New(slog.DiscardHandler)
	if os.Getenv("SIT_TEST_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	svc, err := New(access.NewCatalog(cat), PGData{Pool: pool, Timeout: opt.StatementTimeout}, opt, log)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{pool: pool, cat: cat, svc: svc, h: svc.Handler()}
}

// get runs a request against the fixture's handler.
func (f *fixture) get(t *testing.T, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	if path, raw, ok := strings.Cut(target, "?"); ok {
		// Tests write queries readably; encode them as a client would.
		q, err := url.ParseQuery(strings.ReplaceAll(raw, "+", "%2B"))
		if err != nil {
			t.Fatalf("test query %q: %v", raw, err)
		}
		target = path + "?" + q.Encode()
	}
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}
