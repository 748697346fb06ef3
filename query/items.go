package query

import (
	"net/http"
	"strconv"

	"github.com/sit-gis/sit/internal/problem"
)

// handleItems serves /collections/{collectionId}/items: GeoJSON streamed
// as PostgreSQL returns the rows, or an HTML page.
func (s *Service) handleItems(w http.ResponseWriter, r *http.Request) {
	f, ok := s.format(w, r)
	if !ok {
		return
	}
	id, ok := s.layerOr404(w, r)
	if !ok {
		return
	}
	l, _ := s.collection(id)
	query := r.URL.Query()
	q, err := s.ParseItems(l, query)
	if err != nil {
		problem.Write(w, r, asProblem(err))
		return
	}
	if q.LimitClamped {
		w.Header().Set(LimitClampedHeader, strconv.Itoa(q.Limit))
	}
	base, path := s.base(r), "/collections/"+escapePath(l.Name)+"/items"
	if f == formatHTML {
		s.itemsHTML(w, r, q, base, path)
		return
	}
	w.Header().Set("Content-Crs", "<"+q.CRS.URI+">")
	b := s.newBody(w, r, mtGeoJSON)
	if err := s.streamGeoJSON(r.Context(), b, q, base, path, query); err != nil {
		s.failStream(w, r, b, err)
		return
	}
	_ = b.Close()
}

// LimitClampedHeader carries the limit used when the client asked for more
// than the maximum (documented in /api).
const LimitClampedHeader = "OGC-Limit-Clamped"

// failStream answers a failed query: a problem when nothing was sent yet,
// else an aborted response (a truncated body a client cannot mistake for
// a complete page).
func (s *Service) failStream(w http.ResponseWriter, r *http.Request, b *bodyWriter, err error) {
	if b.Started() {
		if r.Context().Err() == nil {
			s.log.Warn("features stream aborted", "path", r.URL.Path, "err", err)
		}
		panic(http.ErrAbortHandler)
	}
	if p := s.dbProblem(r.Context(), r, err); p != nil {
		w.Header().Del("Content-Crs")
		problem.Write(w, r, p)
	}
}

func asProblem(err error) *problem.Problem {
	if p, ok := err.(*problem.Problem); ok {
		return p
	}
	return problem.New(http.StatusBadRequest, err.Error())
}
