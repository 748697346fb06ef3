package tiles

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
)

// cacheShards spreads the lock: warm tiles are served at tens of
// thousands a second, and a single LRU mutex would serialise them.
const cacheShards = 16

// entryOverhead approximates the bytes an entry costs beyond its key and
// body (list links, map slot, struct), so that many empty tiles still count.
const entryOverhead = 96

// Cache is an in-process LRU of tiles bounded in bytes. It is safe for
// concurrent use. Keys carry the layer versions, so entries never need
// invalidating: stale keys simply stop being asked for and age out.
//
// Its capacity can change while it serves (SetCapacity): the server's
// memory budget shrinks it when the rest of the heap needs room, evicting
// the least recently used entries, and lets it grow back up to the bound
// it was made with.
type Cache struct {
	seed     maphash.Seed
	shards   [cacheShards]cacheShard
	max      int64 // the bound it was made with: capacity never exceeds it
	capacity atomic.Int64
	hits     atomic.Int64
	misses   atomic.Int64
}

type cacheShard struct {
	mu         sync.Mutex
	items      map[string]*cacheItem
	head, tail *cacheItem // head is the most recently used
	bytes, max int64
}

type cacheItem struct {
	key        string
	val        *tileData
	size       int64
	prev, next *cacheItem
}

// NewCache makes a cache of at most maxBytes; maxBytes <= 0 gives nil, a
// cache that stores nothing (all methods accept a nil *Cache).
func NewCache(maxBytes int64) *Cache {
	if maxBytes <= 0 {
		return nil
	}
	c := &Cache{seed: maphash.MakeSeed(), max: maxBytes}
	for i := range c.shards {
		c.shards[i].items = map[string]*cacheItem{}
	}
	c.SetCapacity(maxBytes)
	return c
}

// SetCapacity bounds the cache to capacity bytes (at most the bound it was
// made with; 0 or less: it holds nothing) and evicts, least recently used
// first, what no longer fits. It returns the capacity in force.
func (c *Cache) SetCapacity(capacity int64) int64 {
	if c == nil {
		return 0
	}
	capacity = min(max(capacity, 0), c.max)
	c.capacity.Store(capacity)
	per := capacity / cacheShards
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		s.max = per
		s.evict()
		s.mu.Unlock()
	}
	return capacity
}

// Capacity is the bytes the cache may hold now.
func (c *Cache) Capacity() int64 {
	if c == nil {
		return 0
	}
	return c.capacity.Load()
}

// Bytes is what the cache holds now, counted as Add counts it.
func (c *Cache) Bytes() int64 {
	if c == nil {
		return 0
	}
	var n int64
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		n += s.bytes
		s.mu.Unlock()
	}
	return n
}

func (c *Cache) shard(key string) *cacheShard {
	return &c.shards[maphash.String(c.seed, key)%cacheShards]
}

// Get returns the entry and marks it recently used.
func (c *Cache) Get(key string) (*tileData, bool) {
	if c == nil {
		return nil, false
	}
	s := c.shard(key)
	s.mu.Lock()
	it, ok := s.items[key]
	if ok {
		s.moveToFront(it)
	}
	s.mu.Unlock()
	if !ok {
		c.misses.Add(1)
		return nil, false
	}
	c.hits.Add(1)
	return it.val, true
}

// Add stores an entry, evicting the least recently used ones to stay
// within the bound. An entry larger than a shard's share is not stored.
func (c *Cache) Add(key string, v *tileData) {
	if c == nil {
		return
	}
	// cap, not len: the whole array stays alive as long as the entry.
	size := int64(len(key)+cap(v.body)) + entryOverhead
	s := c.shard(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if size > s.max {
		return
	}
	if old, ok := s.items[key]; ok {
		s.unlink(old)
		delete(s.items, key)
		s.bytes -= old.size
	}
	it := &cacheItem{key: key, val: v, size: size}
	s.items[key] = it
	s.pushFront(it)
	s.bytes += size
	s.evict()
}

// evict drops the least recently used entries until the shard is within
// its share; the caller holds s.mu.
func (s *cacheShard) evict() {
	for s.bytes > s.max && s.tail != nil {
		old := s.tail
		s.unlink(old)
		delete(s.items, old.key)
		s.bytes -= old.size
	}
}

// CacheStats are counters for /metrics and benchmarks.
type CacheStats struct {
	Entries      int
	Bytes        int64
	Capacity     int64
	Hits, Misses int64
}

// Stats sums the shards.
func (c *Cache) Stats() CacheStats {
	if c == nil {
		return CacheStats{}
	}
	st := CacheStats{Capacity: c.capacity.Load(), Hits: c.hits.Load(), Misses: c.misses.Load()}
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		st.Entries += len(s.items)
		st.Bytes += s.bytes
		s.mu.Unlock()
	}
	return st
}

func (s *cacheShard) pushFront(it *cacheItem) {
	it.prev, it.next = nil, s.head
	if s.head != nil {
		s.head.prev = it
	}
	s.head = it
	if s.tail == nil {
		s.tail = it
	}
}

func (s *cacheShard) unlink(it *cacheItem) {
	if it.prev != nil {
		it.prev.next = it.next
	} else {
		s.head = it.next
	}
	if it.next != nil {
		it.next.prev = it.prev
	} else {
		s.tail = it.prev
	}
	it.prev, it.next = nil, nil
}

func (s *cacheShard) moveToFront(it *cacheItem) {
	if s.head == it {
		return
	}
	s.unlink(it)
	s.pushFront(it)
}

// Purge drops every entry and says how many there were.
func (c *Cache) Purge() int {
	if c == nil {
		return 0
	}
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		n += len(s.items)
		s.items = map[string]*cacheItem{}
		s.head, s.tail, s.bytes = nil, nil, 0
		s.mu.Unlock()
	}
	return n
}
