package reports

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
)

// httpCase is one request to the mounted routes and what must come back.
type httpCase struct {
	name        string
	method      string
	path        string
	body        string
	contentType string
	wantStatus  int
	wantType    string
	wantParam   string
	check       func(t *testing.T, body []byte)
}

func runHTTP(t *testing.T, s *Service, cases []httpCase) {
	t.Helper()
	r := chi.NewRouter()
	s.Mount(r)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.method
			if m == "" {
				m = http.MethodGet
			}
			req := httptest.NewRequest(m, tc.path, strings.NewReader(tc.body))
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			if w.Code != tc.wantStatus {
				t.Fatalf("status %d, want %d: %.500s", w.Code, tc.wantStatus, w.Body)
			}
			ct := w.Header().Get("Content-Type")
			if w.Code >= 400 {
				var p httpx.Problem
				if ct != httpx.ProblemType {
					t.Fatalf("content type %q", ct)
				}
				if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p.Parameter != tc.wantParam {
					t.Fatalf("problem %s, want parameter %q", w.Body, tc.wantParam)
				}
				if strings.Contains(strings.ToLower(p.Detail), "sqlstate") || strings.Contains(p.Detail, "SELECT") {
					t.Fatalf("SQL in a problem: %s", p.Detail)
				}
				return
			}
			if ct != tc.wantType {
				t.Fatalf("content type %q, want %q", ct, tc.wantType)
			}
			if tc.check != nil {
				tc.check(t, w.Body.Bytes())
			}
		})
	}
}

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
	runHTTP(t, f.svc, []httpCase{
		{name: "json default", path: "/reports/zoning?parcel=E715_003700.125", wantStatus: 200, wantType: JSONType, check: refs("E715_003700.125")},
		{name: "list of parcels", path: "/reports/zoning?parcel=37/125&parcel=foglio+37+particella+126", wantStatus: 200, wantType: JSONType, check: refs("E715_003700.125", "E715_003700.126")},
		{name: "same parcel twice reported once", path: "/reports/zoning?parcel=37/125&parcel=F.37+p.125", wantStatus: 200, wantType: JSONType, check: refs("E715_003700.125")},
		{name: "html", path: "/reports/zoning?parcel=37/125&f=html", wantStatus: 200, wantType: HTMLType, check: func(t *testing.T, b []byte) {
			if !strings.Contains(string(b), "<svg") {
				t.Fatal("no map")
			}
		}},
		{name: "pdf", path: "/reports/zoning?parcel=37/125&f=pdf", wantStatus: 200, wantType: PDFType, check: func(t *testing.T, b []byte) {
			if pages, text, _ := parsePDF(t, b); pages != 1 || !strings.Contains(text, "Foglio 37 particella 125") {
				t.Fatalf("%d pages: %.300s", pages, text)
			}
		}},
		{name: "post json", method: http.MethodPost, path: "/reports/zoning", contentType: "application/json",
			body: `{"parcels": ["37/125", "37/127"]}`, wantStatus: 200, wantType: JSONType, check: refs("E715_003700.125", "E715_003700.127")},
		{name: "post json pdf", method: http.MethodPost, path: "/reports/zoning", contentType: "application/json",
			body: `{"parcels": ["37/125"], "f": "pdf"}`, wantStatus: 200, wantType: PDFType},
		{name: "post form", method: http.MethodPost, path: "/reports/zoning", contentType: "application/x-www-form-urlencoded",
			body: "parcel=37%2F126&f=json", wantStatus: 200, wantType: JSONType, check: refs("E715_003700.126")},
		{name: "post bad json", method: http.MethodPost, path: "/reports/zoning", contentType: "application/json", body: `{"parcel": 3}`, wantStatus: 400, wantParam: "body"},
		{name: "no parcel", path: "/reports/zoning", wantStatus: 400, wantParam: "parcel"},
		{name: "bad reference", path: "/reports/zoning?parcel=casa", wantStatus: 400, wantParam: "parcel"},
		{name: "unknown parcel", path: "/reports/zoning?parcel=37/999", wantStatus: 404, wantParam: "parcel"},
		{name: "bad format", path: "/reports/zoning?parcel=37/125&f=docx", wantStatus: 400, wantParam: "f"},
	})
}
