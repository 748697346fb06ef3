package tiles

import (
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleTileMatrixSets serves GET /tileMatrixSets and
// /tileMatrixSets/{tileMatrixSetId}.
func (s *Service) HandleTileMatrixSets(w http.ResponseWriter, r *http.Request) {
	if err := parseDocQuery(r); err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	base := httpx.BaseURL(r, s.publicURL)
	if id := r.PathValue("tileMatrixSetId"); id != "" {
		tms, err := TileMatrixSetDoc(base, id)
		s.writeDoc(w, r, tms, err)
		return
	}
	s.writeDoc(w, r, TileMatrixSets(base), nil)
}
