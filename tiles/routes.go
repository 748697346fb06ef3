package tiles

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// Mount registers every tile route on r. internal/server calls it once;
// OpenAPIPaths describes the same paths.
func (s *Service) Mount(r chi.Router) {
	r.Get("/tiles/{layers}/{z}/{x}/{y}.mvt", s.HandleTile)
	r.Get("/tiles/{layers}.json", s.HandleTileJSON)
	r.Get("/tileMatrixSets", s.HandleTileMatrixSets)
	r.Get("/tileMatrixSets/{tileMatrixSetId}", s.HandleTileMatrixSets)
	// The dataset's tilesets sit beside /tiles/{layers}/…: a literal
	// WebMercatorQuad keeps the two apart.
	r.Get("/tiles", s.HandleTilesets)
	r.Get("/tiles/"+TMSID, withTMS(s.HandleTilesets))
	r.Get("/tiles/"+TMSID+"/{tileMatrix}/{tileRow}/{tileCol}", withTMS(s.HandleOGCTile))
	r.Get("/collections/{collectionId}/tiles", s.HandleTilesets)
	r.Get("/collections/{collectionId}/tiles/{tileMatrixSetId}", s.HandleTilesets)
	r.Get("/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", s.HandleOGCTile)
	r.Get("/styles/{file}", s.HandleStyle)
	r.Get("/fonts/{fontstack}/{range}", s.HandleGlyphs)
	r.Get("/pmtiles", s.HandlePMTilesFile)
	r.Get("/pmtiles/{file}", s.HandlePMTilesFile)
	r.Get("/pmtiles/{archive}/{z}/{x}/{y}.mvt", s.HandlePMTilesTile)
}

// withTMS names the tile matrix set of a route that has it literally.
func withTMS(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.SetPathValue("tileMatrixSetId", TMSID)
		h(w, r)
	}
}
