package server

import (
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/layers"
)

// mountLayers serves the catalog as plain JSON at /layers: what an operator
// or a script wants without the OGC ceremony.
func mountLayers(r chi.Router, d Deps) {
	r.Get("/layers", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		out := []layerJSON{}
		for _, l := range d.Catalog.Layers() {
			out = append(out, toLayerJSON(l))
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"layers": out})
	})
}

type layerJSON struct {
	Name         string            `json:"name"`
	Title        string            `json:"title"`
	Description  string            `json:"description"`
	Kind         layers.Kind       `json:"kind"`
	GeometryType string            `json:"geometryType"`
	Features     int64             `json:"features"`
	Version      int64             `json:"version"`
	Extent       *[4]float64       `json:"bbox,omitempty"`
	Attribution  string            `json:"attribution,omitempty"`
	Synthetic    bool              `json:"synthetic"`
	Properties   []layers.Property `json:"properties"`
	UpdatedAt    string            `json:"updated"`
}

func toLayerJSON(l layers.Layer) layerJSON {
	return layerJSON{Name: l.Name, Title: l.Title, Description: l.Description, Kind: l.Kind, GeometryType: l.GeometryType,
		Features: l.FeatureCount, Version: l.Version, Extent: l.Extent, Attribution: l.Attribution, Synthetic: l.Synthetic,
		Properties: l.Properties, UpdatedAt: l.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z")}
}
