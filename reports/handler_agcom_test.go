package reports

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/httpx/httpxtest"
)

func TestHandleAGCOM(t *testing.T) {
	f := newAGCOMFixture(t)
	httpxtest.Run(t, f.svc, []httpxtest.Case{
		{Name: "geojson choropleth", Path: "/analytics/agcom?snapshot=2025-06-30&compare=2025-03-31", Status: 200, Type: GeoJSONType, Check: func(t *testing.T, b []byte) {
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
		{Name: "csv", Path: "/analytics/agcom?snapshot=2025-03-31&f=csv", Status: 200, Type: CSVType, Check: func(t *testing.T, b []byte) {
			if !strings.Contains(string(b), "46017,Lucca,Lucca,2025-03-31,461446,80194,") {
				t.Fatalf("%s", b)
			}
		}},
		{Name: "json defaults to the latest", Path: "/analytics/agcom?f=json", Status: 200, Type: JSONType, Check: func(t *testing.T, b []byte) {
			var rep AGCOMReport
			if err := json.Unmarshal(b, &rep); err != nil || rep.Snapshot != "2025-06-30" || len(rep.Comuni) != 33 {
				t.Fatalf("%v %s %d", err, rep.Snapshot, len(rep.Comuni))
			}
		}},
		{Name: "bad snapshot", Path: "/analytics/agcom?snapshot=giugno", Status: 400, Param: "snapshot"},
		{Name: "absent compare", Path: "/analytics/agcom?compare=2024-12-31", Status: 404, Param: "compare"},
	})
}
