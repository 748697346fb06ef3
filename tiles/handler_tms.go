package tiles

import (
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleTileMatrixSets serves GET /tileMatrixSets and
// /tileMatrixSets/{tileMatrixSetId}.
func (s *Service) HandleTileMatrixSets(w http.ResponseWriter, r *http.Request) error {
	if err := parseDocQuery(r); err != nil {
		return err
	}
	base := httpx.BaseURL(r, s.publicURL)
	if id := r.PathValue("tileMatrixSetId"); id != "" {
		tms, err := TileMatrixSetDoc(base, id)
		return s.writeDoc(w, r, tms, err)
	}
	return s.writeDoc(w, r, TileMatrixSets(base), nil)
}
