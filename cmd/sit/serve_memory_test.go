package main

import (
	"log/slog"
	"runtime/debug"
	"testing"

	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/tiles"
)

// TestMemoryBudget: the budget follows a large tile cache unless set; the
// Go limit is derived from it unless --memory-limit fixes it, and
// GOMEMLIMIT wins over both; the cache never gets more than its bound nor
// more than the budget leaves.
func TestMemoryBudget(t *testing.T) {
	prev := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(prev) })
	const mib = 1 << 20
	log := slog.New(slog.DiscardHandler)
	cases := []struct {
		name                  string
		cache, budget, memory int64
		env                   string
		wantBudget, wantLimit int64 // wantLimit 0: below the budget
	}{
		{"default", 32 * mib, 0, 0, "", 128 * mib, 0},
		{"a large cache is the budget", 512 * mib, 0, 0, "", 512 * mib, 0},
		{"a budget set", 32 * mib, 1024 * mib, 0, "", 1024 * mib, 0},
		{"a limit set", 512 * mib, 0, 300 * mib, "", 512 * mib, 300 * mib},
		{"GOMEMLIMIT wins", 512 * mib, 0, 300 * mib, "200MiB", 512 * mib, 200 * mib},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetMemoryLimit(prev)
			if tc.env != "" {
				// The runtime reads GOMEMLIMIT at start; a process started
				// with it has this limit in force.
				debug.SetMemoryLimit(tc.wantLimit)
			}
			t.Setenv("GOMEMLIMIT", tc.env)
			s := config.DefaultServer()
			s.TileCacheBytes, s.MemoryBudget, s.MemoryLimit = tc.cache, tc.budget, tc.memory
			cache := tiles.NewCache(s.TileCacheBytes)
			c := memoryBudget(s, cache, log)
			inForce := debug.SetMemoryLimit(-1)
			if c.Budget() != tc.wantBudget || inForce != c.Limit() {
				t.Fatalf("budget %d, limit %d (in force %d); want budget %d", c.Budget(), c.Limit(), inForce, tc.wantBudget)
			}
			if tc.wantLimit != 0 && c.Limit() != tc.wantLimit || tc.wantLimit == 0 && c.Limit() >= tc.wantBudget {
				t.Fatalf("limit %d MiB, want %d MiB (0: under the budget of %d MiB)", c.Limit()/mib, tc.wantLimit/mib, tc.wantBudget/mib)
			}
			if got := cache.Capacity(); got != c.Capacity() || got > tc.cache || got >= c.Limit() {
				t.Fatalf("cache capacity %d MiB (controller %d MiB), bound %d MiB, limit %d MiB", got/mib, c.Capacity()/mib, tc.cache/mib, c.Limit()/mib)
			}
		})
	}
}
