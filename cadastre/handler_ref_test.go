package cadastre

import (
	"testing"

	"github.com/sit-gis/sit/internal/httpx/httpxtest"
)

func TestHandleRef(t *testing.T) {
	f := newFixture(t)
	httpxtest.Run(t, f.svc, []httpxtest.Case{
		{Name: "national reference", Path: "/parcels/E715_003700.125", Status: 200, Type: GeoJSONType, CheckJSON: wantID("E715_003700.125")},
		{Name: "escaped slash form", Path: "/parcels/37%2F125", Status: 200, Type: GeoJSONType, CheckJSON: wantID("E715_003700.125")},
		{Name: "unescaped slash form", Path: "/parcels/37/125", Status: 200, Type: GeoJSONType, CheckJSON: wantID("E715_003700.125")},
		{Name: "words", Path: "/parcels/foglio%2037%20particella%20126", Status: 200, Type: GeoJSONType, CheckJSON: wantID("E715_003700.126")},
		{Name: "ambiguous: 300 with candidates", Path: "/parcels/12-5", Status: 300, Type: GeoJSONType, CheckJSON: wantIDs("E715_0012A0.5", "E715_0012B0.5")},
		{Name: "none", Path: "/parcels/37-999", Status: 404, Param: "ref"},
		{Name: "bad reference", Path: "/parcels/hello", Status: 400, Param: "ref"},
	})
}
