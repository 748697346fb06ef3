package query

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestOpenAPI(t *testing.T) {
	contributed := func() map[string]any {
		return map[string]any{"/tiles/{tileMatrixSetId}": map[string]any{"get": map[string]any{"operationId": "tiles", "responses": map[string]any{"200": map[string]any{"description": "ok"}}}}}
	}
	s := catalogService(t, Options{Paths: []PathContributor{contributed}})
	rec := serve(t, s, "/api", "Accept", "application/vnd.oai.openapi+json;version=3.0, application/json")
	if rec.Header().Get("Content-Type") != mtOpenAPI {
		t.Fatalf("Content-Type %q", rec.Header().Get("Content-Type"))
	}
	var doc struct {
		OpenAPI    string                               `json:"openapi"`
		Paths      map[string]map[string]map[string]any `json:"paths"`
		Components struct {
			Responses map[string]map[string]any `json:"responses"`
		} `json:"components"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	paramNames := func(path string) []string {
		var out []string
		for _, p := range doc.Paths[path]["get"]["parameters"].([]any) {
			pm := p.(map[string]any)
			if name, ok := pm["name"].(string); ok {
				out = append(out, name)
			} else {
				out = append(out, strings.TrimPrefix(pm["$ref"].(string), "#/components/parameters/"))
			}
		}
		return out
	}
	tests := []struct {
		name, path string
		want       []string
		not        []string
	}{
		{"template items path", "/collections/{collectionId}/items", []string{"collectionId", "bbox", "limit", "filter", "crs"}, []string{"foglio"}},
		{"queryables inline on the literal path", "/collections/particelle/items", []string{"foglio", "n", "h", "bbox", "filter-lang"}, []string{"extra", "snapshot"}},
		{"other collection's queryables", "/collections/copertura/items", []string{"snapshot", "operator"}, []string{"foglio"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if doc.Paths[tc.path] == nil {
				t.Fatalf("no path %s", tc.path)
			}
			got := strings.Join(paramNames(tc.path), " ")
			for _, w := range tc.want {
				if !strings.Contains(" "+got+" ", " "+w+" ") {
					t.Errorf("lacks %s: %s", w, got)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(" "+got+" ", " "+w+" ") {
					t.Errorf("has %s: %s", w, got)
				}
			}
		})
	}
	if doc.Paths["/tiles/{tileMatrixSetId}"] == nil {
		t.Error("contributed path missing")
	}
	ids := map[string]bool{}
	for path, item := range doc.Paths {
		for _, op := range item {
			id, _ := op["operationId"].(string)
			if id == "" || ids[id] {
				t.Errorf("%s: operationId %q missing or repeated", path, id)
			}
			ids[id] = true
		}
	}
	checkServerResponses(t, doc.Paths, doc.Components.Responses)
	if html := serve(t, s, "/api", "Accept", "text/html"); !strings.Contains(html.Body.String(), "GET /collections/{collectionId}/items") {
		t.Error("/api for a browser is not the HTML rendering")
	}
}

// checkServerResponses: every operation, contributed ones too, lists the
// answers the server's bounds give on any route (413, 429, 503) as the
// shared problem+json responses.
func checkServerResponses(t *testing.T, paths map[string]map[string]map[string]any, components map[string]map[string]any) {
	t.Helper()
	shared := map[string]string{"413": "TooLarge", "429": "TooManyRequests", "503": "Unavailable"}
	for path, item := range paths {
		for method, op := range item {
			responses, _ := op["responses"].(map[string]any)
			for code, name := range shared {
				if r, _ := responses[code].(map[string]any); r == nil || r["$ref"] != "#/components/responses/"+name {
					t.Errorf("%s %s: %s is %v, not the shared %s", method, path, code, r, name)
				}
			}
		}
	}
	for _, name := range shared {
		if _, ok := components[name]["content"].(map[string]any)["application/problem+json"]; !ok {
			t.Errorf("components/responses/%s is not a problem+json: %v", name, components[name])
		}
	}
	if h, _ := components["TooManyRequests"]["headers"].(map[string]any); h["Retry-After"] == nil {
		t.Error("429 does not declare Retry-After")
	}
}

// GDAL (3.8+) and QGIS size their pages from the limit parameter's default
// and maximum: the document declares the server's own.
func TestOpenAPILimit(t *testing.T) {
	s := catalogService(t, Options{DefaultLimit: 25, MaxLimit: 5000})
	var doc struct {
		Components struct {
			Parameters map[string]struct {
				Schema map[string]any `json:"schema"`
			} `json:"parameters"`
		} `json:"components"`
	}
	if err := json.Unmarshal(serve(t, s, "/api", "Accept", "application/json").Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if got := doc.Components.Parameters["limit"].Schema; got["default"] != 25.0 || got["maximum"] != 5000.0 || got["minimum"] != 1.0 {
		t.Fatalf("limit schema %v, want default 25, maximum 5000, minimum 1", got)
	}
}
