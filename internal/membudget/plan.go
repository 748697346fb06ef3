package membudget

// The parts of a budget that are not the tile cache, and how they are
// estimated; docs/SCALING.md ("Memory") has the measurements behind them.
const (
	// nonGoAnon is the anonymous memory outside the Go runtime's
	// accounting: the C library, the loader, the operating system threads'
	// own stacks.
	nonGoAnon = 4 << 20
	// minWorkingSet is the least the heap outside the tile cache is
	// assumed to need (pools, the catalog, connections' buffers, the
	// requests in progress): 18 MiB were measured live at 64 connections;
	// larger figures measured while serving replace it.
	minWorkingSet = 16 << 20
	// minHeadroom is the least room left for the garbage of the requests
	// between two collections (also Budget/16).
	minHeadroom = 16 << 20
	// minLimit is the lowest Go memory limit a budget can give: below it
	// the collector would run without pause.
	minLimit = 32 << 20
)

// Sample is one look at the process.
type Sample struct {
	// FileRSS is the resident pages mapped from files: the binary's code
	// and data (embedded viewer, fonts), the C library.
	FileRSS int64
	// GoOverhead is what the Go runtime holds beyond heap objects and
	// free heap pages: goroutine stacks, its own structures, the unused
	// parts of spans in use.
	GoOverhead int64
	// HeapLive is the heap the last collection found live.
	HeapLive int64
	// CacheBytes is what the tile cache holds.
	CacheBytes int64
}

// other is the live heap outside the tile cache.
func (s Sample) other() int64 { return max(s.HeapLive-s.CacheBytes, 0) }

// budget is the operator's configuration, with defaults resolved.
type budget struct {
	total    int64 // the resident bytes of the whole process
	limit    int64 // a fixed Go memory limit (0: derived from total)
	cacheMax int64 // the tile cache's own bound
	headroom int64 // room for garbage between collections
	working  int64 // the least the working set is assumed to be
}

// Split is how the budget is shared at one moment.
type Split struct {
	// Limit is the Go runtime's soft memory limit: the budget less the
	// memory outside the runtime (file pages, nonGoAnon).
	Limit int64
	// Capacity is the tile cache's: what the limit leaves once the
	// runtime's overhead, the collector's own margin, the working set
	// (its peak over the last minute) and the headroom are set aside, at
	// most the cache's bound, at least 0.
	Capacity int64
	// Room is that remainder before the bounds: negative when the budget
	// does not even cover the rest of the server.
	Room int64
}

// split shares the budget given a sample and the working set's recent
// peak. It is the cache's yielding rule: every byte the rest of the
// server needs more comes out of the cache's capacity, so that the heap
// stays under the limit without the collector running continuously, and
// the process within its budget.
func split(b budget, s Sample, workingPeak int64) Split {
	limit := b.limit
	if limit <= 0 {
		limit = max(b.total-s.FileRSS-nonGoAnon, minLimit)
	}
	// The runtime aims the heap 3 % under the limit (its own headroom,
	// runtime/mgcpacer.go): a collector margin of limit/32.
	room := limit - limit/32 - s.GoOverhead - max(workingPeak, s.other(), b.working) - b.headroom
	return Split{Limit: limit, Capacity: min(max(room, 0), b.cacheMax), Room: room}
}
