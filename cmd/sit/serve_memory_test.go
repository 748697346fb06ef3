package main

import (
	"log/slog"
	"math"
	"runtime/debug"
	"testing"

	"github.com/sit-gis/sit/internal/config"
)

// TestApplyMemoryLimit: the limit follows the tile cache unless set, and
// GOMEMLIMIT wins.
func TestApplyMemoryLimit(t *testing.T) {
	t.Cleanup(func() { debug.SetMemoryLimit(math.MaxInt64) })
	log := slog.New(slog.DiscardHandler)
	s := config.DefaultServer()
	cases := []struct {
		name          string
		cache, memory int64
		env           string
		want          int64
	}{
		{"default: the cache and its headroom", s.TileCacheBytes, 0, "", s.TileCacheBytes + memoryHeadroom},
		{"no cache", 0, 0, "", memoryHeadroom},
		{"set", s.TileCacheBytes, 300 << 20, "", 300 << 20},
		{"GOMEMLIMIT wins", s.TileCacheBytes, 300 << 20, "200MiB", 200 << 20},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetMemoryLimit(math.MaxInt64)
			if tc.env != "" {
				// The runtime reads GOMEMLIMIT at start; a process started
				// with it has this limit in force.
				debug.SetMemoryLimit(tc.want)
			}
			t.Setenv("GOMEMLIMIT", tc.env)
			s.TileCacheBytes, s.MemoryLimit = tc.cache, tc.memory
			if got := applyMemoryLimit(s, log); got != tc.want || debug.SetMemoryLimit(-1) != tc.want {
				t.Fatalf("limit %d (in force %d), want %d", got, debug.SetMemoryLimit(-1), tc.want)
			}
		})
	}
}
