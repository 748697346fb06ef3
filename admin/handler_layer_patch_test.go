package admin

import (
	"strings"
	"testing"
)

// TestLayerPatch: who may change what of a layer, and the errors of a bad
// body, each naming what was wrong; a change is served at once.
func TestLayerPatch(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, who, path, body string
		status                int
		contains              string
	}{
		{"admin: title and visibility", adminLU, "/admin/layers/interno", `{"title":"Piano","visibility":"professional"}`, 200, `"visibility":"professional"`},
		{"editor: title of its layer", editor, "/admin/layers/zone", `{"title":"Zone del PO"}`, 200, `"title":"Zone del PO"`},
		{"editor: not who sees it", editor, "/admin/layers/zone", `{"visibility":"public"}`, 403, "administrator"},
		{"editor: not another layer", editor, "/admin/layers/interno", `{"title":"x"}`, 403, ""},
		{"professional", pro, "/admin/layers/zone", `{"title":"x"}`, 403, ""},
		{"anonymous", anon, "/admin/layers/zone", `{"title":"x"}`, 401, ""},
		{"comune admin: not a shared layer", adminLU, "/admin/layers/provincia", `{"title":"x"}`, 403, ""},
		{"instance admin: a shared layer", adminInst, "/admin/layers/provincia", `{"title":"Provincia di Lucca"}`, 200, `"title":"Provincia di Lucca"`},
		{"unknown member", adminLU, "/admin/layers/zone", `{"titel":"x"}`, 400, `"parameter":"body"`},
		{"bad visibility", adminLU, "/admin/layers/zone", `{"visibility":"secret"}`, 400, `"parameter":"visibility"`},
		{"empty visibility", adminLU, "/admin/layers/zone", `{"visibility":""}`, 400, `"parameter":"visibility"`},
		{"bad kind", adminLU, "/admin/layers/zone", `{"kind":"castle"}`, 400, `"parameter":"kind"`},
		{"not JSON", adminLU, "/admin/layers/zone", `title=x`, 400, `"parameter":"body"`},
		{"no such layer", adminLU, "/admin/layers/nessuno", `{"title":"x"}`, 404, `"parameter":"name"`},
		{"query parameter", adminLU, "/admin/layers/zone?x=1", `{"title":"x"}`, 400, `"parameter":"x"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := f.do(tc.who, "PATCH", tc.path, tc.body)
			if res.StatusCode != tc.status || !strings.Contains(body, tc.contains) {
				t.Fatalf("%d %s; want %d with %s", res.StatusCode, body, tc.status, tc.contains)
			}
		})
	}
	if l, ok := f.cat.Layer("interno"); !ok || l.Visibility != "professional" || l.Title != "Piano" {
		t.Errorf("the catalog serves %+v", l)
	}
	// Without the owner's credentials the server changes nothing: 503.
	ro := f.readOnly()
	if res, body := ro.do(adminLU, "PATCH", "/admin/layers/zone", `{"title":"x"}`); res.StatusCode != 503 {
		t.Errorf("without --allow-uploads: %d %s", res.StatusCode, body)
	}
}
