package reports

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/httpx/httpxtest"
)

func TestHandleWhite(t *testing.T) {
	f := newBroadbandFixture(t)
	httpxtest.Run(t, f.svc, []httpxtest.Case{
		{Name: "json", Path: "/analytics/broadband/white?zones=t_zones", Status: 200, Type: JSONType, Check: func(t *testing.T, b []byte) {
			var l WhiteList
			if err := json.Unmarshal(b, &l); err != nil || l.NumberMatched == 0 || l.NumberReturned != len(l.Addresses) {
				t.Fatalf("%v %+v", err, l)
			}
		}},
		{Name: "geojson", Path: "/analytics/broadband/white?f=geojson&limit=1", Status: 200, Type: GeoJSONType, Check: func(t *testing.T, b []byte) {
			var fc struct {
				Type     string `json:"type"`
				Features []struct {
					Geometry struct {
						Type        string    `json:"type"`
						Coordinates []float64 `json:"coordinates"`
					} `json:"geometry"`
				} `json:"features"`
			}
			if err := json.Unmarshal(b, &fc); err != nil || fc.Type != "FeatureCollection" || len(fc.Features) != 1 || fc.Features[0].Geometry.Type != "Point" {
				t.Fatalf("%v %s", err, b)
			}
		}},
		{Name: "csv", Path: "/analytics/broadband/white?zones=t_zones&zone=1&f=csv", Status: 200, Type: CSVType, Check: func(t *testing.T, b []byte) {
			recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
			if err != nil || len(recs) != 2 || recs[1][1] != "VIA A 1" {
				t.Fatalf("%v %v", err, recs)
			}
		}},
		{Name: "zone without zones", Path: "/analytics/broadband/white?zone=1", Status: 400, Param: "zone"},
		{Name: "bad limit", Path: "/analytics/broadband/white?limit=-1", Status: 400, Param: "limit"},
		{Name: "limit too large", Path: "/analytics/broadband/white?limit=100000000", Status: 400, Param: "limit"},
		{Name: "bad offset", Path: "/analytics/broadband/white?offset=x", Status: 400, Param: "offset"},
		{Name: "bad snapshot", Path: "/analytics/broadband/white?snapshot=x", Status: 400, Param: "snapshot"},
	})
}
