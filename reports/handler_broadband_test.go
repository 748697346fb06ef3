package reports

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/httpx/httpxtest"
)

func TestHandleBroadband(t *testing.T) {
	f := newBroadbandFixture(t)
	httpxtest.Run(t, f.svc, []httpxtest.Case{
		{Name: "json", Path: "/analytics/broadband?zones=t_zones", Status: 200, Type: JSONType, Check: func(t *testing.T, b []byte) {
			var rep BroadbandReport
			if err := json.Unmarshal(b, &rep); err != nil || rep.Snapshot != "2025-06-30" || len(rep.Rows) != 3 || rep.Rows[0].Change != nil {
				t.Fatalf("%v %+v", err, rep)
			}
		}},
		{Name: "csv with compare", Path: "/analytics/broadband?zones=t_zones&snapshot=2025-06-30&compare=2025-03-31&f=csv", Status: 200, Type: CSVType, Check: func(t *testing.T, b []byte) {
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
		{Name: "unknown layer", Path: "/analytics/broadband?zones=nope", Status: 404, Param: "zones"},
		{Name: "bad snapshot", Path: "/analytics/broadband?zones=t_zones&snapshot=2025-02-30", Status: 400, Param: "snapshot"},
		{Name: "missing snapshot", Path: "/analytics/broadband?zones=t_zones&compare=2020-01-01", Status: 404, Param: "compare"},
		{Name: "bad format", Path: "/analytics/broadband?zones=t_zones&f=xlsx", Status: 400, Param: "f"},
	})
}
