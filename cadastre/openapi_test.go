package cadastre

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
)

// TestOpenAPIPaths checks that every documented path is routed and every
// operation has responses.
func TestOpenAPIPaths(t *testing.T) {
	paths := OpenAPIPaths()
	r := chi.NewRouter()
	New(nil, nil, Options{}).Mount(r)
	for _, p := range []string{"/parcels/search", "/parcels/suggest", "/parcels/at", "/parcels/{ref}", "/parcels/{foglio}/{particella}"} {
		t.Run(p, func(t *testing.T) {
			item, ok := paths[p].(map[string]any)
			if !ok {
				t.Fatalf("%s not documented", p)
			}
			get := item["get"].(map[string]any)
			if _, ok := get["responses"].(map[string]any)["200"]; !ok {
				t.Fatal("no 200 response")
			}
			rctx := chi.NewRouteContext()
			if !r.Match(rctx, http.MethodGet, strings.NewReplacer("{ref}", "x", "{foglio}", "37", "{particella}", "125").Replace(p)) {
				t.Fatalf("%s is not routed", p)
			}
		})
	}
	if len(paths) != 5 {
		t.Fatalf("%d paths documented, want 5", len(paths))
	}
	if _, err := json.Marshal(paths); err != nil {
		t.Fatal(err)
	}
}
