package tiles

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
)

// Mount registers every tile route on r (GET and HEAD). internal/server
// calls it once; OpenAPIPaths describes the same paths.
func (s *Service) Mount(r chi.Router) {
	httpx.Get(r, "/tiles/{layers}/{z}/{x}/{y}.mvt", s.HandleTile)
	// {file}, not {layers}.json: a published layer's name has dots.
	httpx.Get(r, "/tiles/{file}", s.HandleTileJSON)
	httpx.Get(r, "/tileMatrixSets", s.HandleTileMatrixSets)
	httpx.Get(r, "/tileMatrixSets/{tileMatrixSetId}", s.HandleTileMatrixSets)
	// The dataset's tilesets sit beside /tiles/{layers}/…: a literal
	// WebMercatorQuad keeps the two apart.
	httpx.Get(r, "/tiles", s.HandleTilesets)
	httpx.Get(r, "/tiles/"+TMSID, withTMS(s.HandleTilesets))
	httpx.Get(r, "/tiles/"+TMSID+"/{tileMatrix}/{tileRow}/{tileCol}", withTMS(s.HandleOGCTile))
	httpx.Get(r, "/collections/{collectionId}/tiles", s.HandleTilesets)
	httpx.Get(r, "/collections/{collectionId}/tiles/{tileMatrixSetId}", s.HandleTilesets)
	httpx.Get(r, "/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", s.HandleOGCTile)
	httpx.Get(r, "/styles/{file}", s.HandleStyle)
	httpx.Get(r, "/fonts/{fontstack}/{range}", s.HandleGlyphs)
	httpx.Get(r, "/pmtiles", s.HandlePMTilesFile)
	httpx.Get(r, "/pmtiles/{file}", s.HandlePMTilesFile)
	httpx.Get(r, "/pmtiles/{archive}/{z}/{x}/{y}.mvt", s.HandlePMTilesTile)
}

// withTMS names the tile matrix set of a route that has it literally.
func withTMS(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.SetPathValue("tileMatrixSetId", TMSID)
		h(w, r)
	}
}
