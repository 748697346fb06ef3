package catalogapi

import (
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// HandleLayers serves GET /layers: every layer with its kind, size,
// version, extent and properties.
func (s *Service) HandleLayers(w http.ResponseWriter, r *http.Request) {
	if _, err := (httpx.Params{}).Parse(r); err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	out := []layerJSON{}
	for _, l := range s.cat.Layers(r.Context()) {
		out = append(out, toLayerJSON(l))
	}
	if err := httpx.JSON(w, r, http.StatusOK, "application/json", map[string]any{"layers": out}); err != nil {
		httpx.WriteError(w, r, s.log, err)
	}
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
