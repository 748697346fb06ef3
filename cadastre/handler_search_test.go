package cadastre

import (
	"testing"

	"github.com/sit-gis/sit/internal/httpx/httpxtest"
)

func TestHandleSearch(t *testing.T) {
	f := newFixture(t)
	httpxtest.Run(t, f.svc, []httpxtest.Case{
		{Name: "reference", Path: "/parcels/search?q=foglio+37+particella+125", Status: 200, Type: GeoJSONType, CheckJSON: wantIDs("E715_003700.125")},
		{Name: "slash form escaped", Path: "/parcels/search?q=37%2F125", Status: 200, Type: GeoJSONType, CheckJSON: wantIDs("E715_003700.125")},
		{Name: "address", Path: "/parcels/search?q=via+del+fosso+12", Status: 200, Type: GeoJSONType, CheckJSON: func(t *testing.T, b map[string]any) {
			wantIDs("E715_003700.125")(t, b)
			if b["matchedBy"] != "address" {
				t.Fatalf("matchedBy %v", b["matchedBy"])
			}
		}},
		{Name: "ambiguous", Path: "/parcels/search?q=12/5", Status: 200, Type: GeoJSONType, CheckJSON: func(t *testing.T, b map[string]any) {
			wantIDs("E715_0012A0.5", "E715_0012B0.5")(t, b)
			if b["ambiguous"] != true {
				t.Fatal("not flagged ambiguous")
			}
		}},
		{Name: "limit", Path: "/parcels/search?q=foglio+37&limit=2", Status: 200, Type: GeoJSONType, CheckJSON: func(t *testing.T, b map[string]any) {
			wantIDs("E715_003700.125", "E715_003700.126")(t, b)
			if b["more"] != true {
				t.Fatal("more not set")
			}
		}},
		{Name: "no q", Path: "/parcels/search", Status: 400, Param: "q"},
		{Name: "bad limit", Path: "/parcels/search?q=37/125&limit=x", Status: 400, Param: "limit"},
		{Name: "limit too large", Path: "/parcels/search?q=37/125&limit=100000", Status: 400, Param: "limit"},
		{Name: "nothing", Path: "/parcels/search?q=via+roma+1", Status: 404, Param: "q"},
	})
}
