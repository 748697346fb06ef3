package cadastre

import (
	"testing"
)

func TestHandleSearch(t *testing.T) {
	f := newFixture(t)
	runHandlerCases(t, f.svc, []handlerCase{
		{name: "reference", path: "/parcels/search?q=foglio+37+particella+125", wantStatus: 200, wantType: GeoJSONType, check: wantIDs("E715_003700.125")},
		{name: "slash form escaped", path: "/parcels/search?q=37%2F125", wantStatus: 200, wantType: GeoJSONType, check: wantIDs("E715_003700.125")},
		{name: "address", path: "/parcels/search?q=via+del+fosso+12", wantStatus: 200, wantType: GeoJSONType, check: func(t *testing.T, b map[string]any) {
			wantIDs("E715_003700.125")(t, b)
			if b["matchedBy"] != "address" {
				t.Fatalf("matchedBy %v", b["matchedBy"])
			}
		}},
		{name: "ambiguous", path: "/parcels/search?q=12/5", wantStatus: 200, wantType: GeoJSONType, check: func(t *testing.T, b map[string]any) {
			wantIDs("E715_0012A0.5", "E715_0012B0.5")(t, b)
			if b["ambiguous"] != true {
				t.Fatal("not flagged ambiguous")
			}
		}},
		{name: "limit", path: "/parcels/search?q=foglio+37&limit=2", wantStatus: 200, wantType: GeoJSONType, check: func(t *testing.T, b map[string]any) {
			wantIDs("E715_003700.125", "E715_003700.126")(t, b)
			if b["more"] != true {
				t.Fatal("more not set")
			}
		}},
		{name: "no q", path: "/parcels/search", wantStatus: 400, wantParam: "q"},
		{name: "bad limit", path: "/parcels/search?q=37/125&limit=x", wantStatus: 400, wantParam: "limit"},
		{name: "limit too large", path: "/parcels/search?q=37/125&limit=100000", wantStatus: 400, wantParam: "limit"},
		{name: "nothing", path: "/parcels/search?q=via+roma+1", wantStatus: 404, wantParam: "q"},
	})
}
