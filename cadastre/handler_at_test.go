package cadastre

import (
	"fmt"
	"testing"
)

func TestHandleAt(t *testing.T) {
	f := newFixture(t)
	c := centre(0, 0)
	road := centre(0, 4)
	runHandlerCases(t, f.svc, []handlerCase{
		{name: "point in parcel", path: fmt.Sprintf("/parcels/at?lon=%v&lat=%v", c[0], c[1]), wantStatus: 200, wantType: GeoJSONType, check: wantID("E715_003700.125")},
		{name: "CRS84 named", path: fmt.Sprintf("/parcels/at?lon=%v&lat=%v&crs=CRS84", c[0], c[1]), wantStatus: 200, wantType: GeoJSONType, check: wantID("E715_003700.125")},
		{name: "road polygon flagged", path: fmt.Sprintf("/parcels/at?lon=%v&lat=%v", road[0], road[1]), wantStatus: 200, wantType: GeoJSONType, check: func(t *testing.T, b map[string]any) {
			if b["properties"].(map[string]any)["road"] != true {
				t.Fatalf("road not flagged: %v", b["properties"])
			}
		}},
		{name: "point in a road gap", path: fmt.Sprintf("/parcels/at?lon=%v&lat=%v", x0+cell+gap/2, c[1]), wantStatus: 404, wantParam: "lon"},
		{name: "missing lat", path: "/parcels/at?lon=10.5", wantStatus: 400, wantParam: "lat"},
		{name: "lon not a number", path: "/parcels/at?lon=abc&lat=43", wantStatus: 400, wantParam: "lon"},
		{name: "lon out of range", path: "/parcels/at?lon=190&lat=43", wantStatus: 400, wantParam: "lon"},
		{name: "lat out of range", path: "/parcels/at?lon=10&lat=-91", wantStatus: 400, wantParam: "lat"},
		{name: "bad crs", path: "/parcels/at?lon=10&lat=43&crs=lucca", wantStatus: 400, wantParam: "crs"},
		{name: "unknown crs", path: "/parcels/at?x=1&y=2&crs=EPSG:123456", wantStatus: 400, wantParam: "crs"},
		{name: "x without y", path: "/parcels/at?x=1600000&crs=EPSG:3003", wantStatus: 400, wantParam: "lat"},
	})
}
