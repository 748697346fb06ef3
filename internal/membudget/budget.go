// Package membudget keeps sit serve within a memory budget: the resident
// memory of the whole process, that is the binary's mapped pages, the Go
// runtime, the requests' working set and the tile cache. From the budget
// it derives the Go runtime's soft memory limit (the budget less what
// lies outside the runtime, measured while serving) and the tile cache's
// capacity (what the limit leaves once the rest of the heap has its
// share), and it adjusts both as the rest grows or shrinks: the cache
// yields room, least recently used tiles first, so that the heap stays
// under the limit without the collector running continuously.
package membudget

import (
	"bufio"
	"bytes"
	"context"
	"log/slog"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Cache is the tile cache as the budget sees it.
type Cache interface {
	// Bytes is what the cache holds.
	Bytes() int64
	// SetCapacity bounds the cache, evicting what no longer fits, and
	// returns the capacity in force.
	SetCapacity(int64) int64
}

// Options configure a Controller.
type Options struct {
	// Budget is the resident bytes the whole process keeps to.
	Budget int64
	// Limit fixes the Go memory limit (--memory-limit, GOMEMLIMIT);
	// 0: derived from Budget and adjusted while serving.
	Limit int64
	// CacheMax is the tile cache's own bound (--tile-cache-bytes).
	CacheMax int64
	// Headroom is the heap left for the garbage of requests between two
	// collections; 0: Budget/16, at least 16 MiB.
	Headroom int64
	// WorkingSet is the least the heap outside the cache is assumed to
	// need before it is measured larger; 0: 16 MiB.
	WorkingSet int64
	// Interval is how often the budget is shared again; 0: 500 ms.
	Interval time.Duration
	Log      *slog.Logger
}

// window is how many samples the working set's peak is kept for (a
// minute at the default interval): a burst of large pages shrinks the
// cache at once, and the cache grows back only after a quiet minute.
const window = 120

// Controller shares the budget between the Go heap and the tile cache.
// Step is safe for concurrent use; Run calls it every interval.
type Controller struct {
	b        budget
	cache    Cache
	interval time.Duration
	log      *slog.Logger
	prev     int64 // the memory limit in force before, restored by Run

	mu      sync.Mutex
	samples []metrics.Sample
	working [window]int64 // the working set of the last samples, a ring
	next    int
	starved bool // the last split left the cache nothing

	limit    atomic.Int64
	capacity atomic.Int64
	peak     atomic.Int64
}

// New makes a controller; nothing changes until the first Step.
func New(o Options, cache Cache) *Controller {
	h := o.Headroom
	if h <= 0 {
		h = max(o.Budget/16, minHeadroom)
	}
	if o.Interval <= 0 {
		o.Interval = 500 * time.Millisecond
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	names := []string{"/memory/classes/total:bytes", "/memory/classes/heap/released:bytes", "/memory/classes/heap/objects:bytes",
		"/memory/classes/heap/free:bytes", "/gc/heap/live:bytes"}
	if o.WorkingSet <= 0 {
		o.WorkingSet = minWorkingSet
	}
	c := &Controller{b: budget{total: o.Budget, limit: o.Limit, cacheMax: max(o.CacheMax, 0), headroom: h, working: o.WorkingSet}, cache: cache,
		interval: o.Interval, log: o.Log, prev: debug.SetMemoryLimit(-1)}
	for _, n := range names {
		c.samples = append(c.samples, metrics.Sample{Name: n})
	}
	return c
}

// Budget is the resident bytes the process keeps to.
func (c *Controller) Budget() int64 { return c.b.total }

// Limit is the Go memory limit in force (0 before the first Step).
func (c *Controller) Limit() int64 { return c.limit.Load() }

// Capacity is the tile cache's capacity in force.
func (c *Controller) Capacity() int64 { return c.capacity.Load() }

// WorkingSet is the peak of the live heap outside the tile cache over the
// last window of samples.
func (c *Controller) WorkingSet() int64 { return c.peak.Load() }

// Run shares the budget every interval until ctx ends, then restores the
// memory limit it found.
func (c *Controller) Run(ctx context.Context) {
	defer debug.SetMemoryLimit(c.prev)
	t := time.NewTicker(c.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.Step()
		}
	}
}

// Restore puts back the memory limit in force before the controller (for
// a caller that steps it without Run).
func (c *Controller) Restore() { debug.SetMemoryLimit(c.prev) }

// Step samples the process, shares the budget and applies the split: the
// Go memory limit, then the cache's capacity (evicting what no longer
// fits).
func (c *Controller) Step() Split {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.sample()
	c.working[c.next%window] = s.other()
	c.next++
	peak := int64(0)
	for _, w := range c.working {
		peak = max(peak, w)
	}
	sp := split(c.b, s, peak)
	if c.limit.Load() != sp.Limit {
		debug.SetMemoryLimit(sp.Limit)
	}
	first := c.next == 1
	c.limit.Store(sp.Limit)
	c.peak.Store(peak)
	c.capacity.Store(c.cache.SetCapacity(sp.Capacity))
	c.report(first, sp, s)
	return sp
}

// report logs the first split, and each time the budget starts or stops
// leaving the cache nothing.
func (c *Controller) report(first bool, sp Split, s Sample) {
	if first {
		c.log.Info("memory budget", "budget", c.b.total, "memory_limit", sp.Limit, "tile_cache", sp.Capacity,
			"tile_cache_max", c.b.cacheMax, "file_pages", s.FileRSS)
	}
	starved := sp.Room <= 0 && c.b.cacheMax > 0
	if starved != c.starved {
		c.starved = starved
		if starved {
			c.log.Warn("the memory budget leaves the tile cache nothing: raise --memory-budget", "budget", c.b.total,
				"memory_limit", sp.Limit, "working_set", max(s.other(), c.b.working), "file_pages", s.FileRSS)
		} else {
			c.log.Info("the memory budget leaves the tile cache room again", "tile_cache", sp.Capacity)
		}
	}
}

// sample reads the runtime's figures, the cache's and the file pages.
func (c *Controller) sample() Sample {
	metrics.Read(c.samples)
	v := func(i int) int64 {
		if c.samples[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return int64(c.samples[i].Value.Uint64())
	}
	total, released, objects, free, live := v(0), v(1), v(2), v(3), v(4)
	return Sample{FileRSS: fileRSS(), GoOverhead: max(total-released-objects-free, 0), HeapLive: live, CacheBytes: c.cache.Bytes()}
}

// assumedFileRSS stands for the file pages where /proc cannot tell them
// (not Linux): what sit's binary was measured to keep resident.
const assumedFileRSS = 48 << 20

// fileRSS is the process's resident pages mapped from files (RssFile of
// /proc/self/status).
func fileRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return assumedFileRSS
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		if len(f) == 3 && string(f[0]) == "RssFile:" && string(f[2]) == "kB" {
			if kb, err := strconv.ParseInt(string(f[1]), 10, 64); err == nil {
				return kb << 10
			}
		}
	}
	return assumedFileRSS
}
