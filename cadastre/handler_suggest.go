package cadastre

import (
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleSuggest serves GET /parcels/suggest?q=TEXT[&limit=N]: completions
// for a search box (parcels of the typed foglio, addresses starting with
// the typed words). No match is an empty list, not an error.
func (s *Service) HandleSuggest(w http.ResponseWriter, r *http.Request) {
	q, err := searchParams.Parse(r)
	if err == nil {
		s, err = s.dated(r.Context(), q.Get("at"))
	}
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	limit, err := s.Limit(q.Get("limit"))
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	sg, err := s.Suggest(r.Context(), q.Get("q"), limit)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, JSONType, map[string]any{"query": q.Get("q"), "suggestions": sg})
}
