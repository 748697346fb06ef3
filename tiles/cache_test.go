package tiles

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
)

func TestCacheBoundedInBytes(t *testing.T) {
	tests := []struct {
		name     string
		max      int64
		bodySize int
		adds     int
	}{
		{"small tiles", 64 << 10, 100, 5000},
		{"large tiles", 1 << 20, 20 << 10, 500},
		{"empty tiles still count", 16 << 10, 0, 10000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCache(tc.max)
			for i := 0; i < tc.adds; i++ {
				c.Add("k"+strconv.Itoa(i), &tileData{body: make([]byte, tc.bodySize), fresh: true})
			}
			st := c.Stats()
			if st.Bytes > tc.max {
				t.Fatalf("cache holds %d bytes, bound %d", st.Bytes, tc.max)
			}
			if st.Entries == 0 || st.Entries == tc.adds {
				t.Fatalf("%d entries after %d adds: eviction did not happen or stored nothing", st.Entries, tc.adds)
			}
			// The last entry added is always there; the first is long gone.
			if _, ok := c.Get("k" + strconv.Itoa(tc.adds-1)); !ok {
				t.Error("the newest entry was evicted")
			}
			if _, ok := c.Get("k0"); ok {
				t.Error("the oldest entry survived")
			}
		})
	}
}

func TestCacheLRUOrder(t *testing.T) {
	c := NewCache(cacheShards * (3*(entryOverhead+2+10) + 10)) // three 10-byte entries a shard
	s := c.shard("a")
	// Keys that land in the same shard as "a".
	var keys []string
	for i := 0; len(keys) < 4; i++ {
		k := fmt.Sprint("k", i)
		if c.shard(k) == s {
			keys = append(keys, k)
		}
	}
	for _, k := range keys[:3] {
		c.Add(k, &tileData{body: make([]byte, 10)})
	}
	c.Get(keys[0]) // now keys[1] is the least recently used
	c.Add(keys[3], &tileData{body: make([]byte, 10)})
	if _, ok := c.Get(keys[1]); ok {
		t.Error("the least recently used entry was kept")
	}
	for _, k := range []string{keys[0], keys[2], keys[3]} {
		if _, ok := c.Get(k); !ok {
			t.Errorf("%s was evicted", k)
		}
	}
}

func TestCacheDisabledAndOversized(t *testing.T) {
	var nilCache *Cache = NewCache(0)
	nilCache.Add("a", &tileData{body: []byte("x")})
	if _, ok := nilCache.Get("a"); ok {
		t.Fatal("a disabled cache returned an entry")
	}
	c := NewCache(cacheShards * 1000)
	c.Add("big", &tileData{body: make([]byte, 5000)})
	if _, ok := c.Get("big"); ok {
		t.Fatal("an entry larger than a shard was stored")
	}
}

func TestCacheConcurrent(t *testing.T) {
	c := NewCache(1 << 20)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				k := strconv.Itoa((g * i) % 3000)
				if _, ok := c.Get(k); !ok {
					c.Add(k, &tileData{body: make([]byte, i%500)})
				}
			}
		}(g)
	}
	wg.Wait()
	if st := c.Stats(); st.Bytes > 1<<20 || st.Hits+st.Misses != 16000 {
		t.Fatalf("stats %+v", st)
	}
}

// BenchmarkCacheGet is the warm path's cache lookup under parallel load.
func BenchmarkCacheGet(b *testing.B) {
	c := NewCache(256 << 20)
	keys := make([]string, 4096)
	for i := range keys {
		keys[i] = fmt.Sprintf("parcels@3,zoning@7/3f2a9c1b0d4e5f6a7b8c9d0e/15/%d/%d", 17000+i%64, 11900+i/64)
		c.Add(keys[i], &tileData{body: make([]byte, 8<<10), gzip: true, fresh: true})
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, ok := c.Get(keys[i&4095]); !ok {
				b.Fatal("miss")
			}
			i++
		}
	})
}

// BenchmarkCacheAdd measures a miss's store with eviction.
func BenchmarkCacheAdd(b *testing.B) {
	c := NewCache(8 << 20)
	d := &tileData{body: make([]byte, 8<<10)}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		c.Add("parcels@3/3f2a9c1b0d4e/17/"+strconv.Itoa(i), d)
	}
}

// TestCacheSetCapacity: the memory budget resizes the cache while it
// serves: shrinking evicts the least recently used entries down to the new
// capacity, growing never goes past the bound the cache was made with, and
// what it holds afterwards stays within the capacity in force.
func TestCacheSetCapacity(t *testing.T) {
	const bound = cacheShards * 8 << 10 // 128 KiB: 8 KiB a shard
	const body = 200
	tests := []struct {
		name         string
		capacity     int64
		wantCapacity int64
		keepsNewest  bool // the most recently used entry survives
		keepsOldest  bool // the least recently used entry survives
	}{
		{"unchanged", bound, bound, true, false},
		{"halved: the oldest go", bound / 2, bound / 2, true, false},
		{"a tenth", bound / 10, bound / 10, true, false},
		{"above the bound: the bound", 4 * bound, bound, true, false},
		{"zero: empty", 0, 0, false, false},
		{"negative: empty", -1, 0, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCache(bound)
			const adds = 2000 // ~650 KB of entries: the cache is full
			for i := range adds {
				c.Add("k"+strconv.Itoa(i), &tileData{body: make([]byte, body)})
			}
			full := c.Stats()
			if got := c.SetCapacity(tc.capacity); got != tc.wantCapacity || c.Capacity() != tc.wantCapacity {
				t.Fatalf("capacity %d (Capacity() %d), want %d", got, c.Capacity(), tc.wantCapacity)
			}
			st := c.Stats()
			if st.Bytes > tc.wantCapacity || st.Bytes != c.Bytes() || st.Capacity != tc.wantCapacity {
				t.Fatalf("holds %d bytes (Bytes() %d) under a capacity of %d (stats %d)", st.Bytes, c.Bytes(), tc.wantCapacity, st.Capacity)
			}
			if tc.wantCapacity < full.Bytes && st.Bytes >= full.Bytes {
				t.Fatalf("shrunk to %d, still holds %d of %d", tc.wantCapacity, st.Bytes, full.Bytes)
			}
			if _, ok := c.Get("k" + strconv.Itoa(adds-1)); ok != tc.keepsNewest {
				t.Errorf("newest entry kept: %v, want %v", ok, tc.keepsNewest)
			}
			if _, ok := c.Get("k0"); ok != tc.keepsOldest {
				t.Errorf("oldest entry kept: %v, want %v", ok, tc.keepsOldest)
			}
			// Refilled, it stays within the capacity in force.
			for i := range adds {
				c.Add("r"+strconv.Itoa(i), &tileData{body: make([]byte, body)})
			}
			if b := c.Bytes(); b > tc.wantCapacity {
				t.Fatalf("refilled to %d bytes over a capacity of %d", b, tc.wantCapacity)
			}
		})
	}
	var none *Cache
	if none.SetCapacity(1<<20) != 0 || none.Capacity() != 0 || none.Bytes() != 0 {
		t.Fatal("a disabled cache has a capacity")
	}
}
