package layers_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sit-gis/sit/layers"
)

// fakeGate stands for replicas that have replayed up to a position.
type fakeGate struct {
	replayed  atomic.Uint64
	published atomic.Uint64
}

func (g *fakeGate) Replayed(lsn uint64) bool { return g.replayed.Load() >= lsn }
func (g *fakeGate) Publish(lsn uint64)       { g.published.Store(lsn) }

// TestCatalogGate: with a gate, a changed catalog waits (Pending) until the
// gate says the replicas have replayed its WAL position, and readers keep
// the snapshot before it meanwhile; the floor is raised to that position
// when readers switch. After maxLag it switches even without the replicas.
func TestCatalogGate(t *testing.T) {
	ctx := context.Background()
	store, pool := newStore(t)
	importPoints(t, store, "punti", 2, "v1")
	cases := []struct {
		name    string
		maxLag  time.Duration
		replay  bool // the replicas replay the change
		waiting bool // the change waits after a refresh
	}{
		{"waits for replay", time.Hour, false, true},
		{"switches once replayed", time.Hour, true, false},
		{"switches after the maximum lag", 0, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := &fakeGate{}
			cat := layers.NewCatalog(pool, nil)
			cat.SetGate(g, tc.maxLag)
			if err := cat.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			before, _ := cat.Layer("punti")
			first := g.published.Load()
			if first == 0 || cat.Pending() {
				t.Fatalf("the first snapshot is published at once: floor %d, pending %v", first, cat.Pending())
			}
			res := importPoints(t, store, "punti", 3, "next")
			if tc.replay {
				g.replayed.Store(^uint64(0))
			}
			if err := cat.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			l, _ := cat.Layer("punti")
			if cat.Pending() != tc.waiting {
				t.Fatalf("pending %v, want %v", cat.Pending(), tc.waiting)
			}
			if tc.waiting {
				if l.Version != before.Version || g.published.Load() != first {
					t.Fatalf("readers switched to v%d (floor %d → %d) before the replicas replayed it", l.Version, first, g.published.Load())
				}
				return
			}
			if l.Version != res.Version || g.published.Load() <= first {
				t.Fatalf("readers on v%d (want v%d), floor %d → %d", l.Version, res.Version, first, g.published.Load())
			}
		})
	}
}
