package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestBulkGC checks that an import collects at a fixed heap unless the
// environment says how.
func TestBulkGC(t *testing.T) {
	pct, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	defer func() { debug.SetGCPercent(pct); debug.SetMemoryLimit(limit) }()
	bulkGC(func(k string) string { return map[string]string{"GOGC": "200"}[k] })
	if p := debug.SetGCPercent(100); p != 100 {
		t.Errorf("with GOGC set, GC percent became %d", p)
	}
	bulkGC(func(string) string { return "" })
	if p, l := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64); p != -1 || l != 40<<20 {
		t.Errorf("GC percent %d, memory limit %d: want off and 40 MiB", p, l)
	}
}
