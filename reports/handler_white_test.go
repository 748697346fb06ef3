package reports

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

func TestHandleWhite(t *testing.T) {
	f := newBroadbandFixture(t)
	runHTTP(t, f.svc, []httpCase{
		{name: "json", path: "/analytics/broadband/white?zones=t_zones", wantStatus: 200, wantType: JSONType, check: func(t *testing.T, b []byte) {
			var l WhiteList
			if err := json.Unmarshal(b, &l); err != nil || l.NumberMatched == 0 || l.NumberReturned != len(l.Addresses) {
				t.Fatalf("%v %+v", err, l)
			}
		}},
		{name: "geojson", path: "/analytics/broadband/white?f=geojson&limit=1", wantStatus: 200, wantType: GeoJSONType, check: func(t *testing.T, b []byte) {
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
		{name: "csv", path: "/analytics/broadband/white?zones=t_zones&zone=1&f=csv", wantStatus: 200, wantType: CSVType, check: func(t *testing.T, b []byte) {
			recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
			if err != nil || len(recs) != 2 || recs[1][1] != "VIA A 1" {
				t.Fatalf("%v %v", err, recs)
			}
		}},
		{name: "zone without zones", path: "/analytics/broadband/white?zone=1", wantStatus: 400, wantParam: "zone"},
		{name: "bad limit", path: "/analytics/broadband/white?limit=-1", wantStatus: 400, wantParam: "limit"},
		{name: "limit too large", path: "/analytics/broadband/white?limit=100000000", wantStatus: 400, wantParam: "limit"},
		{name: "bad offset", path: "/analytics/broadband/white?offset=x", wantStatus: 400, wantParam: "offset"},
		{name: "bad snapshot", path: "/analytics/broadband/white?snapshot=x", wantStatus: 400, wantParam: "snapshot"},
	})
}
