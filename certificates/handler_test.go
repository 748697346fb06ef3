package certificates

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/access"
)

// asRole signs the request in as an account of role in comune "lucca"
// ("" anonymous), as the auth middleware would.
func asRole(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := access.View{Comune: "lucca"}
		if role := r.Header.Get("X-Test-Role"); role != "" {
			v.Principal = access.Principal{Kind: access.KindAccount, Name: "anna", Role: access.Role(role), Comune: "lucca"}
		}
		h.ServeHTTP(w, r.WithContext(access.WithView(r.Context(), v)))
	})
}

const issueJSON = `{"parcels": ["foglio 37 particella 125"], "protocol": "%s", "requester": "Mario Rossi", "request_date": "2026-02-20",
	"purpose": "compravendita", "stamp_id": "0120", "stamp_amount": 16, "officer": "Arch. Anna Bianchi"}`

func TestHandlers(t *testing.T) {
	f := newFixture(t)
	r := chi.NewRouter()
	f.svc.Mount(r)
	var audited []string
	f.svc.opt.Audit = func(r *http.Request, e Entry) {
		audited = append(audited, access.PrincipalFrom(r.Context()).Actor()+" "+e.Number+" "+e.Protocol)
	}
	h := asRole(r)
	do := func(method, target, role, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if role != "" {
			req.Header.Set("X-Test-Role", role)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	w := do("POST", "/certificates", "editor", strings.Replace(issueJSON, "%s", "2026/77", 1))
	if w.Code != http.StatusCreated {
		t.Fatalf("issue: %d %s", w.Code, w.Body)
	}
	var out issued
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || out.Number != "1/2026" || out.Comune != "lucca" || out.IssuedBy != "anna" ||
		w.Header().Get("Location") != "http://example.com/verify/"+out.Code {
		t.Fatalf("issued %s (%v), Location %s", w.Body, err, w.Header().Get("Location"))
	}
	code := out.Code
	if len(audited) != 1 || audited[0] != "anna 1/2026 2026/77" {
		t.Fatalf("audited %q", audited)
	}
	for _, c := range []struct {
		name, method, target, role, body string
		status                           int
		ctype, param, contains           string
	}{
		{"issue anonymous", "POST", "/certificates", "", strings.Replace(issueJSON, "%s", "x", 1), 401, "", "", ""},
		{"issue professional", "POST", "/certificates", "professional", strings.Replace(issueJSON, "%s", "x", 1), 403, "", "", ""},
		{"issue unknown member", "POST", "/certificates", "admin", `{"parcels": ["37/125"], "nope": 1}`, 400, "", "body", ""},
		{"issue no stamp", "POST", "/certificates", "admin", `{"parcels": ["37/125"], "protocol": "9", "requester": "a", "purpose": "b", "officer": "c"}`, 400, "", "stamp_id", ""},
		{"issue bad date", "POST", "/certificates", "admin", strings.Replace(strings.Replace(issueJSON, "%s", "9", 1), "2026-02-20", "20 febbraio", 1), 400, "", "request_date", ""},
		{"issue same protocol", "POST", "/certificates", "admin", strings.Replace(issueJSON, "%s", "2026/77", 1), 409, "", "protocol", ""},
		{"issue unknown parcel", "POST", "/certificates", "admin", strings.Replace(strings.Replace(issueJSON, "%s", "9", 1), "particella 125", "particella 999", 1), 404, "", "", ""},
		{"register", "GET", "/certificates?q=mario", "editor", "", 200, "application/json", "", `"protocol":"2026/77"`},
		{"register csv", "GET", "/certificates?f=csv", "admin", "", 200, "text/csv", "", "1/2026,2026/77"},
		{"register bad year", "GET", "/certificates?year=zero", "admin", "", 400, "", "year", ""},
		{"register professional", "GET", "/certificates", "professional", "", 403, "", "", ""},
		{"register anonymous", "GET", "/certificates", "", "", 401, "", "", ""},
		{"verify page", "GET", "/verify/" + code, "", "", 200, "text/html", "", "identico byte per byte"},
		{"verify typed lower case", "GET", "/verify/" + strings.ToLower(strings.ReplaceAll(code, "-", "")) + "?f=json", "", "", 200, "application/json", "", `"recomputed":true`},
		{"verify bad code", "GET", "/verify/nope", "", "", 400, "", "code", ""},
		{"verify unknown code", "GET", "/verify/0000-0000-0000-0000", "", "", 404, "", "code", ""},
		{"verify unknown parameter", "GET", "/verify/" + code + "?x=1", "", "", 400, "", "", ""},
		{"pdf", "GET", "/verify/" + code + "/pdf", "", "", 200, "application/pdf", "", "%PDF-"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := do(c.method, c.target, c.role, c.body)
			if w.Code != c.status {
				t.Fatalf("status %d, want %d: %s", w.Code, c.status, w.Body)
			}
			if c.ctype != "" && !strings.HasPrefix(w.Header().Get("Content-Type"), c.ctype) {
				t.Errorf("Content-Type %s", w.Header().Get("Content-Type"))
			}
			if c.param != "" {
				var p struct{ Parameter string }
				if json.Unmarshal(w.Body.Bytes(), &p); p.Parameter != c.param {
					t.Errorf("parameter %q, want %q: %s", p.Parameter, c.param, w.Body)
				}
			}
			if c.contains != "" && !strings.Contains(w.Body.String(), c.contains) {
				t.Errorf("body lacks %q: %.400s", c.contains, w.Body)
			}
		})
	}
}

// TestNoRegister: without the web role the register answers 503.
func TestNoRegister(t *testing.T) {
	s := New(nil, nil, Options{})
	if _, err := s.List(context.Background(), Query{}); err == nil {
		t.Fatal("a service without a register listed")
	}
	r := chi.NewRouter()
	s.Mount(r)
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("GET", "/verify/0000-0000-0000-0000", nil))
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d", w.Code)
	}
}
