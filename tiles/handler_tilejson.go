package tiles

import (
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleTileJSON serves GET /tiles/{layers}.json: the TileJSON 3.0 of one
// or more layers, the document MapLibre, OpenLayers and QGIS take as a
// vector tile source.
func (s *Service) HandleTileJSON(w http.ResponseWriter, r *http.Request) error {
	list, err := docName(r, "layers", "TileJSON documents are at /tiles/{layers}.json")
	if err != nil {
		return err
	}
	tj, err := s.TileJSONFor(r.Context(), httpx.BaseURL(r, s.publicURL), list)
	return s.writeDoc(w, r, tj, err)
}
