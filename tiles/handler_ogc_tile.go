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
func (s *Service) HandleOGCTile(w http.ResponseWriter, r *http.Request) {
	if err := parseTileQuery(r); err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	if tms := r.PathValue("tileMatrixSetId"); tms != TMSID {
		p := httpx.NotFound(fmt.Sprintf("no tile matrix set %q (only %s)", tms, TMSID))
		p.Parameter = "tileMatrixSetId"
		httpx.WriteError(w, r, s.log, p)
		return
	}
	t, err := ParseOGCTile(r.PathValue("tileMatrix"), r.PathValue("tileRow"), r.PathValue("tileCol"))
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	list := r.PathValue("collectionId")
	if list == "" {
		all := s.datasetLayers(r.Context())
		names := make([]string, 0, len(all))
		for _, l := range all {
			names = append(names, l.Name)
		}
		list = strings.Join(names, ",")
		if list == "" {
			httpx.WriteError(w, r, s.log, httpx.NotFound("the catalog has no layers"))
			return
		}
	} else if _, ok := s.cat.Layer(r.Context(), list); !ok || strings.Contains(list, ",") {
		p := httpx.NotFound(fmt.Sprintf("no collection %q", list))
		p.Parameter = "collectionId"
		httpx.WriteError(w, r, s.log, p)
		return
	}
	resp, err := s.Tile(r.Context(), TileRequest{Layers: list, Tile: t,
		AcceptEncoding: r.Header.Get("Accept-Encoding"), IfNoneMatch: r.Header.Get("If-None-Match")})
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	resp.Write(w)
}
