package main

import (
	"log/slog"
	"os"
	"runtime/debug"

	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/internal/membudget"
	"github.com/sit-gis/sit/tiles"
)

// memoryBudget makes the controller that keeps the server within its
// memory budget (server.memory_budget) and shares it once, before the
// server answers anything: the Go memory limit (fixed by
// server.memory_limit or by GOMEMLIMIT, Go's own variable, which wins;
// otherwise derived from the budget) and the tile cache's capacity. The
// caller runs it while serving.
func memoryBudget(s config.Server, cache *tiles.Cache, log *slog.Logger) *membudget.Controller {
	limit := s.MemoryLimit
	if os.Getenv("GOMEMLIMIT") != "" {
		limit = debug.SetMemoryLimit(-1)
		log.Info("memory limit from GOMEMLIMIT", "bytes", limit)
	}
	c := membudget.New(membudget.Options{Budget: s.Budget(), Limit: limit, CacheMax: s.TileCacheBytes, Log: log}, cache)
	c.Step()
	return c
}
