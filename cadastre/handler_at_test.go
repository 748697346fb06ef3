package cadastre

import (
	"fmt"
	"testing"

	"github.com/sit-gis/sit/internal/httpx/httpxtest"
)

func TestHandleAt(t *testing.T) {
	f := newFixture(t)
	c := centre(0, 0)
	road := centre(0, 4)
	httpxtest.Run(t, f.svc, []httpxtest.Case{
		{Name: "point in parcel", Path: fmt.Sprintf("/parcels/at?lon=%v&lat=%v", c[0], c[1]), Status: 200, Type: GeoJSONType, CheckJSON: wantID("E715_003700.125")},
		{Name: "CRS84 named", Path: fmt.Sprintf("/parcels/at?lon=%v&lat=%v&crs=CRS84", c[0], c[1]), Status: 200, Type: GeoJSONType, CheckJSON: wantID("E715_003700.125")},
		{Name: "road polygon flagged", Path: fmt.Sprintf("/parcels/at?lon=%v&lat=%v", road[0], road[1]), Status: 200, Type: GeoJSONType, CheckJSON: func(t *testing.T, b map[string]any) {
			if b["properties"].(map[string]any)["road"] != true {
				t.Fatalf("road not flagged: %v", b["properties"])
			}
		}},
		{Name: "point in a road gap", Path: fmt.Sprintf("/parcels/at?lon=%v&lat=%v", x0+cell+gap/2, c[1]), Status: 404, Param: "lon"},
		{Name: "missing lat", Path: "/parcels/at?lon=10.5", Status: 400, Param: "lat"},
		{Name: "lon not a number", Path: "/parcels/at?lon=abc&lat=43", Status: 400, Param: "lon"},
		{Name: "lon out of range", Path: "/parcels/at?lon=190&lat=43", Status: 400, Param: "lon"},
		{Name: "lat out of range", Path: "/parcels/at?lon=10&lat=-91", Status: 400, Param: "lat"},
		{Name: "bad crs", Path: "/parcels/at?lon=10&lat=43&crs=lucca", Status: 400, Param: "crs"},
		{Name: "unknown crs", Path: "/parcels/at?x=1&y=2&crs=EPSG:123456", Status: 400, Param: "crs"},
		{Name: "x without y", Path: "/parcels/at?x=1600000&crs=EPSG:3003", Status: 400, Param: "lat"},
	})
}
