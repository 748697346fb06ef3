package reports

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/httpx/httpxtest"
)

func jsonReport(t *testing.T, b []byte) ZoningReport {
	t.Helper()
	var rep ZoningReport
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestHandleZoning(t *testing.T) {
	f := newZoningFixture(t)
	refs := func(want ...string) func(t *testing.T, b []byte) {
		return func(t *testing.T, b []byte) {
			rep := jsonReport(t, b)
			var got []string
			for _, p := range rep.Parcels {
				got = append(got, p.Ref)
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("parcels %v, want %v", got, want)
			}
		}
	}
	httpxtest.Run(t, f.svc, []httpxtest.Case{
		{Name: "json default", Path: "/reports/zoning?parcel=E715_003700.125", Status: 200, Type: JSONType, Check: refs("E715_003700.125")},
		{Name: "list of parcels", Path: "/reports/zoning?parcel=37/125&parcel=foglio+37+particella+126", Status: 200, Type: JSONType, Check: refs("E715_003700.125", "E715_003700.126")},
		{Name: "same parcel twice reported once", Path: "/reports/zoning?parcel=37/125&parcel=F.37+p.125", Status: 200, Type: JSONType, Check: refs("E715_003700.125")},
		{Name: "html", Path: "/reports/zoning?parcel=37/125&f=html", Status: 200, Type: HTMLType, Check: func(t *testing.T, b []byte) {
			if !strings.Contains(string(b), "<svg") {
				t.Fatal("no map")
			}
		}},
		{Name: "pdf", Path: "/reports/zoning?parcel=37/125&f=pdf", Status: 200, Type: PDFType, Check: func(t *testing.T, b []byte) {
			if pages, text, _ := parsePDF(t, b); pages != 1 || !strings.Contains(text, "Foglio 37 particella 125") {
				t.Fatalf("%d pages: %.300s", pages, text)
			}
		}},
		{Name: "post json", Method: http.MethodPost, Path: "/reports/zoning", ContentType: "application/json",
			Body: `{"parcels": ["37/125", "37/127"]}`, Status: 200, Type: JSONType, Check: refs("E715_003700.125", "E715_003700.127")},
		{Name: "post json pdf", Method: http.MethodPost, Path: "/reports/zoning", ContentType: "application/json",
			Body: `{"parcels": ["37/125"], "f": "pdf"}`, Status: 200, Type: PDFType},
		{Name: "post form", Method: http.MethodPost, Path: "/reports/zoning", ContentType: "application/x-www-form-urlencoded",
			Body: "parcel=37%2F126&f=json", Status: 200, Type: JSONType, Check: refs("E715_003700.126")},
		{Name: "post bad json", Method: http.MethodPost, Path: "/reports/zoning", ContentType: "application/json", Body: `{"parcel": 3}`, Status: 400, Param: "body"},
		{Name: "no parcel", Path: "/reports/zoning", Status: 400, Param: "parcel"},
		{Name: "bad reference", Path: "/reports/zoning?parcel=casa", Status: 400, Param: "parcel"},
		{Name: "unknown parcel", Path: "/reports/zoning?parcel=37/999", Status: 404, Param: "parcel"},
		{Name: "bad format", Path: "/reports/zoning?parcel=37/125&f=docx", Status: 400, Param: "f"},
	})
}
