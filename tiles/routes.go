package tiles

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
)

// Mount registers every tile route on r (GET and HEAD). internal/server
// calls it once; OpenAPIPaths describes the same paths.
func (s *Service) Mount(r chi.Router) {
	rt := httpx.Routes{R: r, Log: s.log}
	rt.Get("/tiles/{layers}/{z}/{x}/{y}.mvt", s.HandleTile)
	// {file}, not {layers}.json: a published layer's name has dots.
	rt.Get("/tiles/{file}", s.HandleTileJSON)
	rt.Get("/tileMatrixSets", s.HandleTileMatrixSets)
	rt.Get("/tileMatrixSets/{tileMatrixSetId}", s.HandleTileMatrixSets)
	// The dataset's tilesets sit beside /tiles/{layers}/…: a literal
	// WebMercatorQuad keeps the two apart.
	rt.Get("/tiles", s.HandleTilesets)
	rt.Get("/tiles/"+TMSID, withTMS(s.HandleTilesets))
	rt.Get("/tiles/"+TMSID+"/{tileMatrix}/{tileRow}/{tileCol}", withTMS(s.HandleOGCTile))
	rt.Get("/collections/{collectionId}/tiles", s.HandleTilesets)
	rt.Get("/collections/{collectionId}/tiles/{tileMatrixSetId}", s.HandleTilesets)
	rt.Get("/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", s.HandleOGCTile)
	rt.Get("/styles/{file}", s.HandleStyle)
	rt.Get("/fonts/{fontstack}/{range}", s.HandleGlyphs)
	rt.Get("/pmtiles", s.HandlePMTilesFile)
	rt.Get("/pmtiles/{file}", s.HandlePMTilesFile)
	rt.Get("/pmtiles/{archive}/{z}/{x}/{y}.mvt", s.HandlePMTilesTile)
}

// withTMS names the tile matrix set of a route that has it literally.
func withTMS(h httpx.Func) httpx.Func {
	return func(w http.ResponseWriter, r *http.Request) error {
		r.SetPathValue("tileMatrixSetId", TMSID)
		return h(w, r)
	}
}
