package admin

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
)

// TestOpenAPICoversRoutes: every operation the service mounts under
// /admin is in /api/admin.json, and the document names no operation the
// service lacks.
func TestOpenAPICoversRoutes(t *testing.T) {
	s := New(Options{})
	t.Cleanup(s.Close)
	r := chi.NewRouter()
	s.Mount(r)
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	mounted := map[string]bool{}
	err := chi.Walk(r, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if !strings.HasPrefix(route, "/admin/") || method == http.MethodHead || strings.HasSuffix(route, "/*") {
			return nil
		}
		op := strings.ToLower(method) + " " + route
		mounted[op] = true
		if _, ok := doc.Paths[route][strings.ToLower(method)]; !ok {
			t.Errorf("%s is not documented in openapi.json", op)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for path, ops := range doc.Paths {
		if !strings.HasPrefix(path, "/admin/") {
			continue
		}
		for m := range ops {
			if m != "parameters" && !mounted[m+" "+path] {
				t.Errorf("openapi.json documents %s %s, which the service does not serve", m, path)
			}
		}
	}
	if len(mounted) < 20 {
		t.Fatalf("only %d operations found", len(mounted))
	}
}
