package query

import (
	"encoding/json"
	"testing"
)

func TestItem(t *testing.T) {
	f := newFixture(t, Options{})
	tests := []struct {
		name, url string
		status    int
		id        any
	}{
		{"integer id", "/collections/particelle/items/26", 200, float64(26)},
		{"text id", "/collections/zone/items/Z-03", 200, "Z-03"},
		{"missing", "/collections/particelle/items/99999", 404, nil},
		{"not an integer", "/collections/particelle/items/abc", 404, nil},
		{"missing text id", "/collections/zone/items/Z-99", 404, nil},
		{"unknown collection", "/collections/nope/items/1", 404, nil},
		{"unknown parameter", "/collections/particelle/items/1?limit=3", 400, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := f.get(t, tc.url)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body.String())
			}
			if tc.status != 200 {
				if rec.Header().Get("Content-Type") != "application/problem+json" {
					t.Errorf("Content-Type %q", rec.Header().Get("Content-Type"))
				}
				return
			}
			var feat struct {
				Type  string `json:"type"`
				ID    any    `json:"id"`
				Links []Link `json:"links"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &feat); err != nil {
				t.Fatalf("%v: %s", err, rec.Body.String())
			}
			if feat.Type != "Feature" || feat.ID != tc.id || len(feat.Links) != 3 {
				t.Errorf("feature = %+v", feat)
			}
		})
	}
}
