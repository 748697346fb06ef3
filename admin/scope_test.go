package admin

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/httpx"
)

// TestComuneIsolation: an administrator of Lucca gets 404 for everything
// internal to Capannori (layers, history, jobs, accounts, tokens, the
// comune itself and Capannori's URLs) and 403 for making things there;
// its lists hold nothing of Capannori; and the same the other way round.
// The administrator of the instance reaches both.
func TestComuneIsolation(t *testing.T) {
	f := newFixture(t)
	capAcc, luAcc, capTok := fmt.Sprint(f.capAccount), fmt.Sprint(f.luAccount), fmt.Sprint(f.capToken)
	tests := []struct {
		who, method, path, body string
		status                  int
		lacks                   string // the body must not hold it
	}{
		{adminLU, "GET", "/admin/layers/cap_interno", "", 404, "capannori"},
		{adminLU, "GET", "/admin/layers/cap_pubblico", "", 404, ""},
		{adminLU, "PATCH", "/admin/layers/cap_interno", `{"title":"x"}`, 404, ""},
		{adminLU, "PATCH", "/admin/layers/cap_interno", `{"visibility":"public"}`, 404, ""},
		{adminLU, "DELETE", "/admin/layers/cap_interno", "", 404, ""},
		{adminLU, "GET", "/admin/imports?layer=cap_interno", "", 404, ""},
		{adminLU, "GET", "/admin/jobs/" + f.capJob, "", 404, "cap.zip"},
		{adminLU, "GET", "/admin/accounts/" + capAcc, "", 404, "ufficio.capannori"},
		{adminLU, "PATCH", "/admin/accounts/" + capAcc, `{"disabled":true}`, 404, ""},
		{adminLU, "DELETE", "/admin/accounts/" + capAcc, "", 404, ""},
		{adminLU, "DELETE", "/admin/tokens/" + capTok, "", 404, ""},
		{adminLU, "PATCH", "/admin/comuni/capannori", `{"name":"x"}`, 404, ""},
		{adminLU, "POST", "/admin/accounts", `{"username":"intruso","role":"admin","comune":"capannori","password":"una password lunga"}`, 403, ""},
		{adminLU, "POST", "/admin/tokens", `{"name":"intruso","role":"admin","comune":"capannori"}`, 403, ""},
		{adminLU, "PATCH", "/admin/accounts/" + luAcc, `{"comune":"capannori"}`, 403, ""},
		{adminLU, "PATCH", "/admin/layers/zone", `{"comune":"capannori"}`, 403, ""},
		{adminLU, "POST", "/admin/comuni", `{"slug":"altopascio","name":"Comune di Altopascio"}`, 403, ""},
		{adminLU, "GET", "/c/capannori/admin/layers", "", 404, "cap_"},
		{adminLU, "GET", "/c/capannori/admin/audit", "", 404, ""},
		{adminLU, "GET", "/admin/layers", "", 200, "cap_"},
		{adminLU, "GET", "/admin/imports", "", 200, "cap_"},
		{adminLU, "GET", "/admin/jobs", "", 200, "cap.zip"},
		{adminLU, "GET", "/admin/accounts", "", 200, "capannori"},
		{adminLU, "GET", "/admin/tokens", "", 200, "capannori"},
		{adminLU, "GET", "/admin/audit", "", 200, "cap_segreto"},
		{adminLU, "GET", "/admin/comuni", "", 200, "capannori"},
		{adminCAP, "GET", "/c/capannori/admin/layers/interno", "", 404, ""},
		{adminCAP, "GET", "/c/capannori/admin/accounts/" + luAcc, "", 404, "ufficio.lucca"},
		{adminCAP, "GET", "/admin/layers", "", 200, `"name":"interno"`}, // without /c/: its own comune
		{adminCAP, "GET", "/c/capannori/admin/layers", "", 200, `"name":"interno"`},
		{adminCAP, "GET", "/admin/audit", "", 200, `"comune":"lucca"`},
		{adminCAP, "GET", "/c/capannori/admin/jobs/" + f.capJob, "", 200, ""},
		{adminInst, "GET", "/c/capannori/admin/layers/cap_interno", "", 200, ""},
		{adminInst, "GET", "/admin/accounts/" + capAcc, "", 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.who+" "+tc.method+" "+tc.path, func(t *testing.T) {
			res, body := f.do(tc.who, tc.method, tc.path, tc.body)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.status, body)
			}
			if tc.status >= 400 && res.Header.Get("Content-Type") != httpx.ProblemType {
				t.Errorf("not a problem: %s", res.Header.Get("Content-Type"))
			}
			if tc.lacks != "" && strings.Contains(body, tc.lacks) {
				t.Errorf("the answer shows %q: %s", tc.lacks, body)
			}
		})
	}
	// Nothing of Capannori changed.
	for _, path := range []string{"/c/capannori/admin/layers/cap_interno", "/c/capannori/admin/accounts/" + capAcc} {
		if res, body := f.do(adminCAP, "GET", path, ""); res.StatusCode != 200 || strings.Contains(body, `"title":"x"`) || strings.Contains(body, `"disabled":true`) {
			t.Errorf("%s after the attempts: %d %s", path, res.StatusCode, body)
		}
	}
	if _, body := f.do(adminCAP, "GET", "/c/capannori/admin/tokens", ""); strings.Contains(body, `"revoked":"`) {
		t.Errorf("Capannori's token was revoked: %s", body)
	}
	// Each refusal is in the audit log of the comune that was refused.
	if _, body := f.do(adminLU, "GET", "/admin/audit?limit=1000", ""); !strings.Contains(body, `"result":"denied"`) {
		t.Errorf("the refusals are not in Lucca's audit log: %.500s", body)
	}
}
