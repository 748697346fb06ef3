package cadastre

import (
	"testing"
)

func TestHandleRef(t *testing.T) {
	f := newFixture(t)
	runHandlerCases(t, f.svc, []handlerCase{
		{name: "national reference", path: "/parcels/E715_003700.125", wantStatus: 200, wantType: GeoJSONType, check: wantID("E715_003700.125")},
		{name: "escaped slash form", path: "/parcels/37%2F125", wantStatus: 200, wantType: GeoJSONType, check: wantID("E715_003700.125")},
		{name: "unescaped slash form", path: "/parcels/37/125", wantStatus: 200, wantType: GeoJSONType, check: wantID("E715_003700.125")},
		{name: "words", path: "/parcels/foglio%2037%20particella%20126", wantStatus: 200, wantType: GeoJSONType, check: wantID("E715_003700.126")},
		{name: "ambiguous: 300 with candidates", path: "/parcels/12-5", wantStatus: 300, wantType: GeoJSONType, check: wantIDs("E715_0012A0.5", "E715_0012B0.5")},
		{name: "none", path: "/parcels/37-999", wantStatus: 404, wantParam: "ref"},
		{name: "bad reference", path: "/parcels/hello", wantStatus: 400, wantParam: "ref"},
	})
}
