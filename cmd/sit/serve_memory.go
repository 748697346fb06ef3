package main

import (
	"log/slog"
	"os"
	"runtime/debug"

	"github.com/sit-gis/sit/internal/config"
)

// memoryHeadroom is what the server needs beside its tile cache: live
// pages, spools, connections and the runtime under 64 connections
// (docs/SCALING.md has the measurement).
const memoryHeadroom = 32 << 20

// applyMemoryLimit sets the Go runtime's soft memory limit of the server:
// server.memory_limit, or the tile cache's budget plus memoryHeadroom.
// Without it the heap may grow to twice what is live before a collection,
// and a full tile cache alone would double the resident size. GOMEMLIMIT,
// Go's own variable, wins when set. It returns the limit in force.
func applyMemoryLimit(s config.Server, log *slog.Logger) int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		limit := debug.SetMemoryLimit(-1)
		log.Info("memory limit from GOMEMLIMIT", "bytes", limit)
		return limit
	}
	limit := s.MemoryLimit
	if limit == 0 {
		limit = s.TileCacheBytes + memoryHeadroom
	}
	debug.SetMemoryLimit(limit)
	return limit
}
