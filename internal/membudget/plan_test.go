package membudget

import "testing"

// TestSplit: the cache gets what the rest of the server leaves of the
// budget, within its own bound; every byte the working set grows comes out
// of it; a fixed limit replaces the derived one.
func TestSplit(t *testing.T) {
	const mib = 1 << 20
	b512 := budget{total: 512 * mib, cacheMax: 512 * mib, headroom: 32 * mib, working: minWorkingSet}
	s := Sample{FileRSS: 44 * mib, GoOverhead: 12 * mib, HeapLive: 400 * mib, CacheBytes: 380 * mib}
	limit512 := int64(512-44-4) * mib
	room512 := limit512 - limit512/32 - 12*mib - 20*mib - 32*mib
	tests := []struct {
		name         string
		b            budget
		s            Sample
		peak         int64
		wantLimit    int64
		wantCapacity int64
	}{
		{"512 MiB: the cache gets the rest", b512, s, 0, limit512, room512},
		{"the working set's recent peak counts", b512, s, 50 * mib, limit512, room512 - 30*mib},
		{"a working set grown now counts at once", b512, Sample{FileRSS: 44 * mib, GoOverhead: 12 * mib, HeapLive: 450 * mib, CacheBytes: 380 * mib},
			25 * mib, limit512, room512 - 50*mib},
		{"more file pages, less Go limit and cache", b512, Sample{FileRSS: 60 * mib, GoOverhead: 12 * mib, HeapLive: 400 * mib, CacheBytes: 380 * mib},
			0, limit512 - 16*mib, room512 - 16*mib + (16*mib)/32},
		{"a small working set counts as the floor", b512, Sample{FileRSS: 44 * mib, GoOverhead: 12 * mib, HeapLive: 385 * mib, CacheBytes: 380 * mib},
			0, limit512, room512 + 20*mib - minWorkingSet},
		{"the cache's own bound", budget{total: 4096 * mib, cacheMax: 32 * mib, headroom: 256 * mib, working: minWorkingSet}, s, 0, int64(4096-48) * mib, 32 * mib},
		{"a budget below the rest: no cache", budget{total: 96 * mib, cacheMax: 32 * mib, headroom: 16 * mib, working: minWorkingSet},
			Sample{FileRSS: 44 * mib, GoOverhead: 8 * mib, HeapLive: 30 * mib}, 0, 48 * mib, 0},
		{"a budget below the binary: the lowest limit", budget{total: 40 * mib, cacheMax: 32 * mib, headroom: 16 * mib, working: minWorkingSet}, s, 0, minLimit, 0},
		{"a fixed limit", budget{total: 512 * mib, limit: 300 * mib, cacheMax: 512 * mib, headroom: 32 * mib, working: minWorkingSet}, s, 0,
			300 * mib, 300*mib - (300*mib)/32 - 12*mib - 20*mib - 32*mib},
		{"no cache", budget{total: 128 * mib, headroom: 16 * mib, working: minWorkingSet}, s, 0, 80 * mib, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := split(tc.b, tc.s, tc.peak)
			if got.Limit != tc.wantLimit || got.Capacity != tc.wantCapacity {
				t.Fatalf("limit %d MiB, capacity %.2f MiB; want %d MiB, %.2f MiB", got.Limit/mib, float64(got.Capacity)/mib,
					tc.wantLimit/mib, float64(tc.wantCapacity)/mib)
			}
			if got.Capacity > 0 && got.Capacity < tc.b.cacheMax && got.Capacity != got.Room {
				t.Fatalf("capacity %d short of its room %d", got.Capacity, got.Room)
			}
		})
	}
}
