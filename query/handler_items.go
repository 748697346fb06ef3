package query

import (
	"net/http"
	"strconv"

	"github.com/sit-gis/sit/internal/httpx"
)

// handleItems serves /collections/{collectionId}/items: a GeoJSON page or
// an HTML one. The page is produced into a spool and sent once the
// database work is over, so that a client reading slowly (or not at all)
// never holds a database connection.
func (s *Service) handleItems(w http.ResponseWriter, r *http.Request) {
	l, err := s.layerOf(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	query, f, err := s.request(r, s.itemsParams(l))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	q, err := s.ParseItems(l, query)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if q.LimitClamped {
		w.Header().Set(LimitClampedHeader, strconv.Itoa(q.Limit))
	}
	release, err := s.turn(r.Context(), q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	base, path := s.base(r), "/collections/"+escapePath(l.Name)+"/items"
	if f == formatHTML {
		s.itemsHTML(w, r, q, base, path, query, release)
		return
	}
	body := httpx.NewSpool(r, mtGeoJSON)
	defer body.Close()
	err = s.streamGeoJSON(r.Context(), body, q, base, path, query)
	release() // the database work is over: sending waits on the client alone
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Crs", "<"+q.CRS.URI+">")
	if err := body.Send(w, http.StatusOK); err != nil && r.Context().Err() == nil {
		s.log.Debug("features page not delivered", "path", r.URL.Path, "err", err)
	}
}

// LimitClampedHeader carries the limit used when the client asked for more
// than the maximum (documented in /api).
const LimitClampedHeader = "OGC-Limit-Clamped"
