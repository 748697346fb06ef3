package tiles

import (
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandlePMTilesTile serves GET /pmtiles/{archive}/{z}/{x}/{y}.mvt from an
// archive of the PMTiles directory.
func (s *Service) HandlePMTilesTile(w http.ResponseWriter, r *http.Request) {
	if err := parseTileQuery(r); err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	t, err := ParseTileID(r.PathValue("z"), r.PathValue("x"), r.PathValue("y"))
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	resp, err := s.archives.Tile(r.Context(), r.PathValue("archive"), t, r.Header.Get("Accept-Encoding"), r.Header.Get("If-None-Match"))
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	resp.Write(w)
}
