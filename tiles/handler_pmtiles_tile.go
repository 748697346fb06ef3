package tiles

import (
	"net/http"
)

// HandlePMTilesTile serves GET /pmtiles/{archive}/{z}/{x}/{y}.mvt from an
// archive of the PMTiles directory.
func (s *Service) HandlePMTilesTile(w http.ResponseWriter, r *http.Request) error {
	if err := parseTileQuery(r); err != nil {
		return err
	}
	t, err := ParseTileID(r.PathValue("z"), r.PathValue("x"), r.PathValue("y"))
	if err != nil {
		return err
	}
	resp, err := s.archives.Tile(r.Context(), r.PathValue("archive"), t, r.Header.Get("Accept-Encoding"), r.Header.Get("If-None-Match"))
	if err != nil {
		return err
	}
	resp.Write(w)
	return nil
}
