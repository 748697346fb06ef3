package tiles

import (
	"net/http/httptest"
	"testing"

	"github.com/sit-gis/sit/access"

	"google.golang.org/protobuf/encoding/protowire"
)

// glyphIDs decodes glyphs{stacks{name, range, glyphs{id}}} far enough to
// list the stack name and the glyph ids.
func glyphIDs(t *testing.T, b []byte) (string, []uint64) {
	t.Helper()
	var name string
	var ids []uint64
	_, _, n := protowire.ConsumeTag(b)
	stack, m := protowire.ConsumeBytes(b[n:])
	if n < 0 || m < 0 {
		t.Fatal("not a glyphs message")
	}
	for len(stack) > 0 {
		num, typ, n := protowire.ConsumeTag(stack)
		if n < 0 || typ != protowire.BytesType {
			t.Fatalf("bad field in stack")
		}
		v, m := protowire.ConsumeBytes(stack[n:])
		stack = stack[n+m:]
		switch num {
		case 1:
			name = string(v)
		case 3:
			_, _, k := protowire.ConsumeTag(v)
			id, _ := protowire.ConsumeVarint(v[k:])
			ids = append(ids, id)
		}
	}
	return name, ids
}

func TestHandleGlyphs(t *testing.T) {
	h := router(New(noDB{}, access.NewCatalog(testCatalog()), Options{}))
	tests := []struct {
		name       string
		path       string
		wantStatus int
		wantIDs    []uint64 // must be present
		wantEmpty  bool
	}{
		{"latin-1", "/fonts/Open%20Sans%20Regular/0-255.pbf", 200, []uint64{'0', '9', 'A', 'z', 0xE0, 0xF9}, false},
		{"stack picks the one it has", "/fonts/Foo%20Bold,Open%20Sans%20Regular/0-255.pbf", 200, []uint64{'7'}, false},
		{"range without glyphs", "/fonts/Open%20Sans%20Regular/19968-20223.pbf", 200, nil, true},
		{"unknown font", "/fonts/Comic%20Sans/0-255.pbf", 404, nil, false},
		{"bad range", "/fonts/Open%20Sans%20Regular/1-256.pbf", 400, nil, false},
		{"not pbf", "/fonts/Open%20Sans%20Regular/0-255.json", 400, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", tc.path, nil))
			if w.Code != tc.wantStatus {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			if w.Code != 200 {
				return
			}
			name, ids := glyphIDs(t, w.Body.Bytes())
			if name != FontName {
				t.Errorf("stack name %q", name)
			}
			if tc.wantEmpty != (len(ids) == 0) {
				t.Fatalf("%d glyphs", len(ids))
			}
			have := map[uint64]bool{}
			for _, id := range ids {
				have[id] = true
			}
			for _, id := range tc.wantIDs {
				if !have[id] {
					t.Errorf("glyph U+%04X missing", id)
				}
			}
		})
	}
}
