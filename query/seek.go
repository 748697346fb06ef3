package query

import (
	"math"
	"strconv"
	"sync"

	"github.com/sit-gis/sit/layers"
)

// seekEntries bounds the remembered page ends: a few hundred bytes each,
// enough for many clients paging many layers at once.
const seekEntries = 4096

// seekBack is how many pages before an offset seek looks for a known end:
// a client that asks several consecutive pages at once (or one that lost
// a page) starts from the nearest one and skips at most this many pages'
// keys, instead of every key before the offset.
const seekBack = 16

// offsetSeeks remembers where the pages of a whole layer (no filter, no
// sort: fid order) end, so that the page an offset-paging client asks next
// (offset = the previous offset + its limit, as @camptocamp/ogc-client and
// scripts that count pages do) starts with a key seek (fid > the last fid
// before it) instead of skipping offset rows: every page then costs what
// the first costs, at any depth. A layer version's rows before a position
// never change (an append makes a new version with higher fids), so an
// entry stays true for its version; other versions have other keys.
// Bounded: the oldest entry goes when a new one needs room.
type offsetSeeks struct {
	mu   sync.Mutex
	fids map[seekKey]string
	ring [seekEntries]seekKey
	next int
}

// seekKey names the position offset of a layer version.
type seekKey struct {
	layer   string
	version int64
	offset  int64
}

func newOffsetSeeks() *offsetSeeks {
	return &offsetSeeks{fids: make(map[seekKey]string, seekEntries)}
}

// seekable reports whether q reads a whole layer in fid order by offset
// or from its start, and the layer's rows are SIT's own versioned ones (a
// published table may change under the same version).
func seekable(q ItemsRequest) bool {
	return q.After == "" && q.Before == "" && len(q.SortBy) == 0 && !q.filtered() && !q.Layer.Published()
}

// seek turns an offset page of q into a key page when the fid before that
// offset, or before one of the seekBack pages before it, is known: the
// page then reads the keys after that fid and skips only those between
// it and the offset. The caller keeps q's own Offset for the links and
// numberMatched.
func (o *offsetSeeks) seek(q ItemsRequest) ItemsRequest {
	if o == nil || q.Offset == 0 || !seekable(q) {
		return q
	}
	step := max(int64(q.Limit), 1)
	o.mu.Lock()
	defer o.mu.Unlock()
	for j := int64(0); j <= seekBack; j++ {
		at := q.Offset - j*step
		if at <= 0 {
			break
		}
		if fid, ok := o.fids[keyOf(q.Layer, at)]; ok {
			q.After, q.Offset = fid, q.Offset-at
			return q
		}
	}
	return q
}

// record remembers where the page of q ends (when more follow) and, for
// integer keys, where it starts: fid > first-1 is fid >= first, so a page
// asked again, or the next one of a client that started deep, seeks too.
func (o *offsetSeeks) record(q ItemsRequest, pg page) {
	if o == nil || !seekable(q) || pg.Returned == 0 {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if pg.More {
		o.put(keyOf(q.Layer, q.Offset+int64(pg.Returned)), pg.Last)
	}
	if q.Offset > 0 && q.Layer.FIDType == layers.TypeInteger {
		if first, err := strconv.ParseInt(pg.First, 10, 64); err == nil && first > math.MinInt64 {
			o.put(keyOf(q.Layer, q.Offset), strconv.FormatInt(first-1, 10))
		}
	}
}

// put adds an entry unless known, the oldest going when full; o.mu held.
func (o *offsetSeeks) put(k seekKey, fid string) {
	if _, ok := o.fids[k]; ok {
		return
	}
	delete(o.fids, o.ring[o.next])
	o.ring[o.next] = k
	o.next = (o.next + 1) % seekEntries
	o.fids[k] = fid
}

func keyOf(l layers.Layer, offset int64) seekKey {
	return seekKey{layer: l.Name, version: l.Version, offset: offset}
}
