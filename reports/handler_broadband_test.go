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
