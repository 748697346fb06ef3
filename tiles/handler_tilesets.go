package tiles

import (
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleTilesets serves the OGC API Tiles tileset documents:
// /collections/{collectionId}/tiles (list), /collections/{collectionId}/tiles/{tileMatrixSetId},
// and the dataset's /tiles and /tiles/{tileMatrixSetId}.
func (s *Service) HandleTilesets(w http.ResponseWriter, r *http.Request) error {
	if err := parseDocQuery(r); err != nil {
		return err
	}
	base := httpx.BaseURL(r, s.publicURL)
	coll, tms := httpx.PathValue(r, "collectionId"), r.PathValue("tileMatrixSetId")
	if tms == "" {
		doc, err := s.TilesetsList(r.Context(), base, coll)
		return s.writeDoc(w, r, doc, err)
	}
	doc, err := s.TilesetDoc(r.Context(), base, coll, tms)
	return s.writeDoc(w, r, doc, err)
}
