package reports

import (
	"encoding/json"
	"strings"
	"testing"
)

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
