package tiles

import (
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleTile serves GET /tiles/{layers}/{z}/{x}/{y}.mvt: one tile of one
// or more layers (a comma list).
func (s *Service) HandleTile(w http.ResponseWriter, r *http.Request) {
	if err := parseTileQuery(r); err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	t, err := ParseTileID(r.PathValue("z"), r.PathValue("x"), r.PathValue("y"))
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	resp, err := s.Tile(r.Context(), TileRequest{Layers: r.PathValue("layers"), Tile: t,
		AcceptEncoding: r.Header.Get("Accept-Encoding"), IfNoneMatch: r.Header.Get("If-None-Match")})
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	resp.Write(w)
}
