package admin

import (
	"strings"
	"testing"
)

// TestComuneWrites: an administrator of the instance adds a comune; an
// administrator of a comune changes its name, header and first view, not
// which comune is the default; bad bodies are 400 naming the member.
func TestComuneWrites(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, who, method, path, body string
		status                        int
		contains                      string
	}{
		{"add", adminInst, "POST", "/admin/comuni", `{"slug":"porcari","name":"Comune di Porcari","belfiore":"G882","defaultView":[10.616,43.838,13]}`, 201, `"slug":"porcari"`},
		{"add twice", adminInst, "POST", "/admin/comuni", `{"slug":"porcari","name":"Comune di Porcari"}`, 409, ""},
		{"add without slug", adminInst, "POST", "/admin/comuni", `{"name":"Comune di X"}`, 400, `"parameter":"slug"`},
		{"add a bad slug", adminInst, "POST", "/admin/comuni", `{"slug":"Porcari Alta","name":"x"}`, 400, `"parameter":"slug"`},
		{"add without name", adminInst, "POST", "/admin/comuni", `{"slug":"pescaglia"}`, 400, `"parameter":"body"`},
		{"add in a comune's scope", adminInst, "POST", "/c/lucca/admin/comuni", `{"slug":"pescaglia","name":"x"}`, 403, ""},
		{"comune admin adds", adminLU, "POST", "/admin/comuni", `{"slug":"pescaglia","name":"x"}`, 403, ""},
		{"rename own", adminLU, "PATCH", "/admin/comuni/lucca", `{"name":"Città di Lucca","reportHeader":"Ufficio SIT","defaultView":[10.5,43.84,12]}`, 200, `"name":"Città di Lucca"`},
		{"own default", adminLU, "PATCH", "/admin/comuni/lucca", `{"default":true}`, 403, ""},
		{"bad view", adminLU, "PATCH", "/admin/comuni/lucca", `{"defaultView":[200,43,12]}`, 400, `"parameter":"body"`},
		{"short view", adminLU, "PATCH", "/admin/comuni/lucca", `{"defaultView":[10]}`, 400, `"parameter":"defaultView"`},
		{"slug changes", adminLU, "PATCH", "/admin/comuni/lucca", `{"slug":"lu"}`, 400, `"parameter":"slug"`},
		{"editor", editor, "PATCH", "/admin/comuni/lucca", `{"name":"x"}`, 403, ""},
		{"no such comune", adminInst, "PATCH", "/admin/comuni/nessuno", `{"name":"x"}`, 404, `"parameter":"slug"`},
		{"instance: default", adminInst, "PATCH", "/admin/comuni/porcari", `{"default":true}`, 200, `"default":true`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := f.do(tc.who, tc.method, tc.path, tc.body)
			if res.StatusCode != tc.status || !strings.Contains(body, tc.contains) {
				t.Fatalf("%d %s; want %d with %s", res.StatusCode, body, tc.status, tc.contains)
			}
		})
	}
	if c, ok := f.cat.Comune("lucca"); !ok || c.Name != "Città di Lucca" || c.ReportHeader != "Ufficio SIT" || c.Default {
		t.Errorf("the catalog serves %+v", c)
	}
	if _, body := f.do(adminInst, "GET", "/admin/audit", ""); !strings.Contains(body, `"action":"comune.create"`) || !strings.Contains(body, `"action":"comune.update"`) {
		t.Errorf("the audit log lacks the comune changes: %.400s", body)
	}
}
