package reports

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/go-chi/chi/v5"
)

// TestOpenAPIPaths checks that every documented operation is routed with
// its method and has a 200 response.
func TestOpenAPIPaths(t *testing.T) {
	paths := OpenAPIPaths()
	r := chi.NewRouter()
	New(nil, nil, Options{}).Mount(r)
	n := 0
	for path, item := range paths {
		for method, op := range item.(map[string]any) {
			t.Run(method+" "+path, func(t *testing.T) {
				n++
				if _, ok := op.(map[string]any)["responses"].(map[string]any)["200"]; !ok {
					t.Fatal("no 200 response")
				}
				var m string
				switch method {
				case "get":
					m = http.MethodGet
				case "post":
					m = http.MethodPost
				default:
					t.Fatalf("method %s", method)
				}
				if !r.Match(chi.NewRouteContext(), m, path) {
					t.Fatalf("%s %s is not routed", m, path)
				}
			})
		}
	}
	if n != 6 {
		t.Fatalf("%d operations documented, want 6", n)
	}
	if _, err := json.Marshal(paths); err != nil {
		t.Fatal(err)
	}
}
