package reports

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

func TestHandleBroadband(t *testing.T) {
	f := newBroadbandFixture(t)
	runHTTP(t, f.svc, []httpCase{
		{name: "json", path: "/analytics/broadband?zones=t_zones", wantStatus: 200, wantType: JSONType, check: func(t *testing.T, b []byte) {
			var rep BroadbandReport
			if err := json.Unmarshal(b, &rep); err != nil || rep.Snapshot != "2025-06-30" || len(rep.Rows) != 3 || rep.Rows[0].Change != nil {
				t.Fatalf("%v %+v", err, rep)
			}
		}},
		{name: "csv with compare", path: "/analytics/broadband?zones=t_zones&snapshot=2025-06-30&compare=2025-03-31&f=csv", wantStatus: 200, wantType: CSVType, check: func(t *testing.T, b []byte) {
			recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			// Header, 3 zones, outside, total; every row as wide as the header.
			if len(recs) != 6 {
				t.Fatalf("%d rows", len(recs))
			}
			head := recs[0]
			for _, r := range recs[1:] {
				if len(r) != len(head) {
					t.Fatalf("row of %d fields, header of %d", len(r), len(head))
				}
			}
			status := -1
			for i, h := range head {
				if h == "status" {
					status = i
				}
			}
			if status < 0 || recs[1][1] != "Nord" || recs[1][status] != "improved" || recs[2][status] != "worsened" {
				t.Fatalf("rows %v", recs[:3])
			}
		}},
		{name: "unknown layer", path: "/analytics/broadband?zones=nope", wantStatus: 404, wantParam: "zones"},
		{name: "bad snapshot", path: "/analytics/broadband?zones=t_zones&snapshot=2025-02-30", wantStatus: 400, wantParam: "snapshot"},
		{name: "missing snapshot", path: "/analytics/broadband?zones=t_zones&compare=2020-01-01", wantStatus: 404, wantParam: "compare"},
		{name: "bad format", path: "/analytics/broadband?zones=t_zones&f=xlsx", wantStatus: 400, wantParam: "f"},
	})
}

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

func TestHandleAGCOM(t *testing.T) {
	f := newAGCOMFixture(t)
	runHTTP(t, f.svc, []httpCase{
		{name: "geojson choropleth", path: "/analytics/agcom?snapshot=2025-06-30&compare=2025-03-31", wantStatus: 200, wantType: GeoJSONType, check: func(t *testing.T, b []byte) {
			var fc struct {
				Features []struct {
					ID         int64          `json:"id"`
					Geometry   map[string]any `json:"geometry"`
					Properties map[string]any `json:"properties"`
				} `json:"features"`
			}
			if err := json.Unmarshal(b, &fc); err != nil || len(fc.Features) != 33 {
				t.Fatalf("%v: %d features", err, len(fc.Features))
			}
			for _, ft := range fc.Features {
				if ft.ID == 46017 {
					p := ft.Properties
					if p["indirizzi_ftth"] != 86636.0 || p["indirizzi_ftth_compare"] != 80194.0 || p["indirizzi"] != 461446.0 ||
						p["famiglie"] != 39213.0 || p["famiglie_ftth"] != 20904.0 || ft.Geometry["type"] != "MultiPolygon" {
						t.Fatalf("Lucca %v", p)
					}
					return
				}
			}
			t.Fatal("no Lucca")
		}},
		{name: "csv", path: "/analytics/agcom?snapshot=2025-03-31&f=csv", wantStatus: 200, wantType: CSVType, check: func(t *testing.T, b []byte) {
			if !strings.Contains(string(b), "46017,Lucca,Lucca,2025-03-31,461446,80194,") {
				t.Fatalf("%s", b)
			}
		}},
		{name: "json defaults to the latest", path: "/analytics/agcom?f=json", wantStatus: 200, wantType: JSONType, check: func(t *testing.T, b []byte) {
			var rep AGCOMReport
			if err := json.Unmarshal(b, &rep); err != nil || rep.Snapshot != "2025-06-30" || len(rep.Comuni) != 33 {
				t.Fatalf("%v %s %d", err, rep.Snapshot, len(rep.Comuni))
			}
		}},
		{name: "bad snapshot", path: "/analytics/agcom?snapshot=giugno", wantStatus: 400, wantParam: "snapshot"},
		{name: "absent compare", path: "/analytics/agcom?compare=2024-12-31", wantStatus: 404, wantParam: "compare"},
	})
}
