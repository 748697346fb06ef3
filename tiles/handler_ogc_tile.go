package tiles

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleOGCTile serves GET /collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}
// (one layer) and /tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}
// (every layer): the same tiles as /tiles/{layers}/{z}/{x}/{y}.mvt, in the
// OGC's row/column order.
func (s *Service) HandleOGCTile(w http.ResponseWriter, r *http.Request) error {
	if err := parseTileQuery(r); err != nil {
		return err
	}
	if tms := r.PathValue("tileMatrixSetId"); tms != TMSID {
		p := httpx.NotFound(fmt.Sprintf("no tile matrix set %q (only %s)", tms, TMSID))
		p.Parameter = "tileMatrixSetId"
		return p
	}
	t, err := ParseOGCTile(r.PathValue("tileMatrix"), r.PathValue("tileRow"), r.PathValue("tileCol"))
	if err != nil {
		return err
	}
	list := httpx.PathValue(r, "collectionId")
	if list == "" {
		all := s.datasetLayers(r.Context())
		names := make([]string, 0, len(all))
		for _, l := range all {
			names = append(names, l.Name)
		}
		list = strings.Join(names, ",")
		if list == "" {
			return httpx.NotFound("the catalog has no layers")
		}
	} else if _, ok := s.cat.Layer(r.Context(), list); !ok || strings.Contains(list, ",") {
		p := httpx.NotFound(fmt.Sprintf("no collection %q", list))
		p.Parameter = "collectionId"
		return p
	}
	resp, err := s.Tile(r.Context(), TileRequest{Layers: list, Tile: t,
		AcceptEncoding: r.Header.Get("Accept-Encoding"), IfNoneMatch: r.Header.Get("If-None-Match")})
	if err != nil {
		return err
	}
	resp.Write(w)
	return nil
}
