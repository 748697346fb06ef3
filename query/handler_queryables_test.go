package query

import (
	"encoding/json"
	"testing"
)

func TestQueryables(t *testing.T) {
	s := catalogService(t, Options{})
	rec := serve(t, s, "/collections/particelle/queryables")
	if rec.Header().Get("Content-Type") != mtSchema {
		t.Fatalf("Content-Type %q", rec.Header().Get("Content-Type"))
	}
	var q map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &q); err != nil {
		t.Fatal(err)
	}
	props := q["properties"].(map[string]any)
	tests := []struct {
		name, prop, key, want string
	}{
		{"text", "foglio", "type", "string"},
		{"integer", "n", "type", "integer"},
		{"double", "h", "type", "number"},
		{"geometry", "geometry", "format", "geometry-multipolygon"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := props[tc.prop].(map[string]any)
			if !ok || p[tc.key] != tc.want {
				t.Errorf("%s = %v", tc.prop, props[tc.prop])
			}
		})
	}
	if _, ok := props["extra"]; ok {
		t.Error("a json property is not queryable")
	}
	if q["$schema"] != "https://json-schema.org/draft/2020-12/schema" || q["$id"] != "http://example.com/collections/particelle/queryables" {
		t.Errorf("schema header %v %v", q["$schema"], q["$id"])
	}
}
