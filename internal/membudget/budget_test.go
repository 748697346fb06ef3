package membudget

import (
	"context"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"
)

// fakeCache holds a byte count and evicts down to its capacity.
type fakeCache struct {
	mu              sync.Mutex
	bytes, capacity int64
}

func (f *fakeCache) Bytes() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.bytes
}

func (f *fakeCache) SetCapacity(n int64) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.capacity = n
	f.bytes = min(f.bytes, n)
	return n
}

// TestStepYieldsToTheHeap runs the controller on this process's own
// runtime figures: when the heap outside the cache grows by a live
// ballast, the cache's capacity shrinks by as much (and the cache evicts
// down to it); once the ballast is gone the capacity comes back only after
// a window of samples has passed without it.
func TestStepYieldsToTheHeap(t *testing.T) {
	const mib = 1 << 20
	const ballast = 96 * mib
	prev := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(prev) })
	// The fake's bytes are not in the heap: few, so that the heap outside
	// the cache (live heap less the cache's bytes) is the test process's.
	cache := &fakeCache{bytes: 1 * mib}
	// The cache's own bound is above what the limit leaves: the limit decides.
	c := New(Options{Budget: 2048 * mib, Limit: 1024 * mib, CacheMax: 2048 * mib, Headroom: 16 * mib}, cache)
	runtime.GC()
	before := c.Step()
	if before.Limit != 1024*mib || debug.SetMemoryLimit(-1) != 1024*mib || c.Limit() != 1024*mib {
		t.Fatalf("limit %d, in force %d, want the fixed 1 GiB", before.Limit, debug.SetMemoryLimit(-1))
	}
	if before.Capacity <= ballast || cache.Bytes() != 1*mib {
		t.Fatalf("capacity %d MiB before the ballast, the cache holds %d MiB", before.Capacity/mib, cache.Bytes()/mib)
	}
	b := make([]byte, ballast) // live heap, whether its pages are touched or not
	runtime.GC()
	during := c.Step()
	runtime.KeepAlive(b)
	if shrunk := before.Capacity - during.Capacity; shrunk < ballast-minWorkingSet-8*mib || shrunk > ballast+8*mib {
		t.Fatalf("the heap grew by %d MiB, the cache's capacity by %d MiB (%d → %d MiB)", ballast/mib, -shrunk/mib,
			before.Capacity/mib, during.Capacity/mib)
	}
	if cache.Bytes() > during.Capacity || c.Capacity() != during.Capacity || c.WorkingSet() < ballast-2*mib {
		t.Fatalf("the cache holds %d MiB over a capacity of %d MiB (reported %d), working set %d MiB", cache.Bytes()/mib,
			during.Capacity/mib, c.Capacity()/mib, c.WorkingSet()/mib)
	}
	b = nil
	runtime.GC()
	if after := c.Step(); after.Capacity > during.Capacity+8*mib {
		t.Fatalf("the capacity came back at once: %d MiB, %d MiB with the ballast", after.Capacity/mib, during.Capacity/mib)
	}
	var after Split
	for range window {
		after = c.Step()
	}
	if after.Capacity < before.Capacity-8*mib {
		t.Fatalf("after a window without the ballast the capacity is %d MiB, %d MiB before it", after.Capacity/mib, before.Capacity/mib)
	}
}

// TestRunRestoresTheLimit: Run applies the budget's limit and puts back
// the one it found when the server stops.
func TestRunRestoresTheLimit(t *testing.T) {
	const mib = 1 << 20
	prev := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(prev) })
	debug.SetMemoryLimit(3000 * mib)
	c := New(Options{Budget: 2048 * mib, CacheMax: 64 * mib}, &fakeCache{})
	sp := c.Step()
	if got := debug.SetMemoryLimit(-1); got != sp.Limit || sp.Limit >= 2048*mib || sp.Capacity != 64*mib {
		t.Fatalf("limit in force %d, split %+v", got, sp)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	cancel()
	<-done
	if got := debug.SetMemoryLimit(-1); got != 3000*mib {
		t.Fatalf("limit %d after Run, want the 3000 MiB found", got)
	}
}
