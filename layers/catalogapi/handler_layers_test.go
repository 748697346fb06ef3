package catalogapi

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/layers"
)

func TestHandleLayers(t *testing.T) {
	ext := [4]float64{10.4, 43.8, 10.6, 43.9}
	cat := CatalogFunc(func(context.Context) []layers.Layer {
		return []layers.Layer{{Name: "particelle", Title: "Particelle", Kind: layers.KindCadastral, FeatureCount: 3, Version: 2, Extent: &ext,
			UpdatedAt: time.Date(2025, 6, 30, 10, 0, 0, 0, time.UTC)}}
	})
	r := chi.NewRouter()
	New(cat, nil, nil).Mount(r)
	tests := []struct {
		name, method, target string
		status               int
		layers               int
	}{
		{"list", "GET", "/layers", 200, 1},
		{"head", "HEAD", "/layers", 200, -1},
		{"no parameters", "GET", "/layers?kind=zoning", 400, -1},
		{"broken query", "GET", "/layers?a=1;b", 400, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			r.ServeHTTP(w, httptest.NewRequest(tc.method, tc.target, nil))
			if w.Code != tc.status {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			if tc.layers < 0 {
				return
			}
			var doc struct {
				Layers []layerJSON `json:"layers"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil || len(doc.Layers) != tc.layers {
				t.Fatalf("%v %s", err, w.Body)
			}
			if l := doc.Layers[0]; l.Name != "particelle" || l.Kind != layers.KindCadastral || l.UpdatedAt != "2025-06-30T10:00:00Z" || l.Extent == nil || w.Header().Get("ETag") == "" {
				t.Fatalf("layer %+v", l)
			}
		})
	}
}
