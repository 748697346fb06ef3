package query

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/sit-gis/sit/layers"
)

// TestOffsetSeeks: a page end is used only for the same layer version and
// a whole-layer page in fid order; the entries are bounded.
func TestOffsetSeeks(t *testing.T) {
	l := layers.Layer{Name: "particelle", Version: 3}
	o := newOffsetSeeks()
	o.record(ItemsRequest{Layer: l, Offset: 100, Limit: 50}, page{Returned: 50, First: "728", Last: "777", More: true})
	cases := []struct {
		name       string
		q          ItemsRequest
		wantAfter  string
		wantOffset int64 // skipped after wantAfter
	}{
		{"the next page", ItemsRequest{Layer: l, Offset: 150, Limit: 50}, "777", 0},
		{"another limit, same position", ItemsRequest{Layer: l, Offset: 150, Limit: 10}, "777", 0},
		{"three pages on", ItemsRequest{Layer: l, Offset: 300, Limit: 50}, "777", 150},
		{"too many pages on", ItemsRequest{Layer: l, Offset: 150 + (seekBack+1)*50, Limit: 50}, "", 150 + (seekBack+1)*50},
		{"another position", ItemsRequest{Layer: l, Offset: 151, Limit: 50}, "", 151},
		{"before the known end", ItemsRequest{Layer: l, Offset: 100, Limit: 50}, "", 100},
		{"another version", ItemsRequest{Layer: layers.Layer{Name: "particelle", Version: 4}, Offset: 150}, "", 150},
		{"sorted", ItemsRequest{Layer: l, Offset: 150, SortBy: []SortKey{{Property: "foglio"}}}, "", 150},
		{"filtered", ItemsRequest{Layer: l, Offset: 150, Equals: []Equality{{}}}, "", 150},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := o.seek(tc.q)
			if got.After != tc.wantAfter || got.Offset != tc.wantOffset {
				t.Fatalf("after %q offset %d, want after %q offset %d", got.After, got.Offset, tc.wantAfter, tc.wantOffset)
			}
		})
	}
	for i := range 2 * seekEntries {
		o.record(ItemsRequest{Layer: l, Offset: int64(1000 + i)}, page{Returned: 1, Last: strconv.Itoa(i), More: true})
	}
	if len(o.fids) != seekEntries {
		t.Fatalf("%d entries, want at most %d", len(o.fids), seekEntries)
	}
	if got := o.seek(ItemsRequest{Layer: l, Offset: 150}); got.After != "" {
		t.Fatal("the oldest entry was not evicted")
	}
}

// TestOffsetSeeksStart: with integer keys a page's start is remembered
// too (fid > first-1), the last page's end is not (nothing follows).
func TestOffsetSeeksStart(t *testing.T) {
	l := layers.Layer{Name: "particelle", Version: 3, FIDType: layers.TypeInteger}
	o := newOffsetSeeks()
	o.record(ItemsRequest{Layer: l, Offset: 500, Limit: 50}, page{Returned: 20, First: "601", Last: "620"})
	if got := o.seek(ItemsRequest{Layer: l, Offset: 500, Limit: 50}); got.After != "600" || got.Offset != 0 {
		t.Fatalf("the page again: after %q offset %d, want after 600", got.After, got.Offset)
	}
	if got := o.seek(ItemsRequest{Layer: l, Offset: 520, Limit: 10}); got.After != "600" || got.Offset != 20 {
		t.Fatalf("two pages of 10 on: after %q offset %d, want after 600 offset 20", got.After, got.Offset)
	}
	if len(o.fids) != 1 {
		t.Fatalf("%d entries, want only the start (the last page has no next)", len(o.fids))
	}
}

// TestOffsetPagingSeeks: paging by offset through a layer gives every
// feature once, in order, and a page whose start is known is read by key.
func TestOffsetPagingSeeks(t *testing.T) {
	f := newFixture(t, Options{})
	var ids []string
	for off := 0; off < 300; off += 70 {
		rec := f.get(t, fmt.Sprintf("/collections/particelle/items?limit=70&offset=%d", off))
		if rec.Code != http.StatusOK {
			t.Fatalf("offset %d: %d %s", off, rec.Code, rec.Body.String())
		}
		ids = append(ids, decodeFC(t, rec.Body.Bytes()).ids()...)
	}
	for i, id := range ids {
		if id != strconv.Itoa(i+1) || len(ids) != 300 {
			t.Fatalf("feature %d is %s (of %d)", i, id, len(ids))
		}
	}
	// White box: make the remembered end of the page before offset 140
	// lie; the page at 140 then starts after it, which shows the seek.
	l, _ := f.cat.Layer("particelle")
	f.svc.seeks.fids[keyOf(l, 140)] = "200"
	d := decodeFC(t, f.get(t, "/collections/particelle/items?limit=5&offset=140").Body.Bytes())
	if got := d.ids(); len(got) != 5 || got[0] != "201" || *d.NumberMatched != 300 {
		t.Fatalf("page at 140 by key: %v, matched %v", got, *d.NumberMatched)
	}
	if !strings.Contains(d.link("prev"), "offset=135") {
		t.Errorf("the links keep the offset asked: prev %s", d.link("prev"))
	}
	// Two pages of 5 further on: the same end, then 10 keys skipped.
	d = decodeFC(t, f.get(t, "/collections/particelle/items?limit=5&offset=150").Body.Bytes())
	if got := d.ids(); len(got) != 5 || got[0] != "211" || *d.NumberMatched != 300 {
		t.Fatalf("page at 150 from the end known at 140: %v, matched %v", got, *d.NumberMatched)
	}
}
