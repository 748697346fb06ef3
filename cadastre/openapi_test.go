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
	for _, p := range []string{"/parcels/search", "/parcels/suggest", "/parcels/at", "/parcels/{ref}"} {
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
			if !r.Match(rctx, http.MethodGet, strings.ReplaceAll(p, "{ref}", "x")) {
				t.Fatalf("%s is not routed", p)
			}
		})
	}
	if _, err := json.Marshal(paths); err != nil {
		t.Fatal(err)
	}
}
