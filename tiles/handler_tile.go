package tiles

import (
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleTile serves GET /tiles/{layers}/{z}/{x}/{y}.mvt: one tile of one
// or more layers (a comma list).
func (s *Service) HandleTile(w http.ResponseWriter, r *http.Request) error {
	q, err := parseTileQueryWith(r, s.FunctionParams(r.Context(), httpx.PathValue(r, "layers")))
	if err != nil {
		return err
	}
	t, err := ParseTileID(r.PathValue("z"), r.PathValue("x"), r.PathValue("y"))
	if err != nil {
		return err
	}
	resp, err := s.Tile(r.Context(), TileRequest{Layers: httpx.PathValue(r, "layers"), Tile: t,
		AcceptEncoding: r.Header.Get("Accept-Encoding"), IfNoneMatch: r.Header.Get("If-None-Match"), Params: q})
	if err != nil {
		return err
	}
	resp.Write(w)
	return nil
}
