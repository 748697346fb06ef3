package tiles

import (
	"net/http"
	"strings"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleTileJSON serves GET /tiles/{layers}.json: the TileJSON 3.0 of one
// or more layers, the document MapLibre, OpenLayers and QGIS take as a
// vector tile source.
func (s *Service) HandleTileJSON(w http.ResponseWriter, r *http.Request) {
	if _, err := noParams.Parse(r); err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	list, ok := strings.CutSuffix(r.PathValue("file"), ".json")
	if !ok || list == "" {
		httpx.WriteError(w, r, s.log, httpx.NotFoundParameter("layers", "TileJSON documents are at /tiles/{layers}.json"))
		return
	}
	tj, err := s.TileJSONFor(r.Context(), httpx.BaseURL(r, s.publicURL), list)
	s.writeDoc(w, r, tj, err)
}
