package query

import (
	"sync"

	"github.com/sit-gis/sit/layers"
)

// seekEntries bounds the remembered page ends: a few hundred bytes each,
// enough for many clients paging many layers at once.
const seekEntries = 4096

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
// offset is known; q's Offset stays for the links and numberMatched.
func (o *offsetSeeks) seek(q ItemsRequest) ItemsRequest {
	if o == nil || q.Offset == 0 || !seekable(q) {
		return q
	}
	o.mu.Lock()
	fid, ok := o.fids[keyOf(q.Layer, q.Offset)]
	o.mu.Unlock()
	if ok {
		q.After, q.Offset = fid, 0
	}
	return q
}

// record remembers that the page of q ends with fid (and more follow).
func (o *offsetSeeks) record(q ItemsRequest, returned int, last string) {
	if o == nil || !seekable(q) || returned == 0 {
		return
	}
	k := keyOf(q.Layer, q.Offset+int64(returned))
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.fids[k]; ok {
		return
	}
	delete(o.fids, o.ring[o.next])
	o.ring[o.next] = k
	o.next = (o.next + 1) % seekEntries
	o.fids[k] = last
}

func keyOf(l layers.Layer, offset int64) seekKey {
	return seekKey{layer: l.Name, version: l.Version, offset: offset}
}
