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
type Cache struct {
	seed   maphash.Seed
	shards [cacheShards]cacheShard
	hits   atomic.Int64
	misses atomic.Int64
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
	c := &Cache{seed: maphash.MakeSeed()}
	per := maxBytes / cacheShards
	if per < 1 {
		per = 1
	}
	for i := range c.shards {
		c.shards[i].items = map[string]*cacheItem{}
		c.shards[i].max = per
	}
	return c
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
	Hits, Misses int64
}

// Stats sums the shards.
func (c *Cache) Stats() CacheStats {
	if c == nil {
		return CacheStats{}
	}
	st := CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load()}
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
