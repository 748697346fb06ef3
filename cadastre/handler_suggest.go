package cadastre

import (
	"net/http"
)

// HandleSuggest serves GET /parcels/suggest?q=TEXT[&limit=N]: completions
// for a search box (parcels of the typed foglio, addresses starting with
// the typed words). No match is an empty list, not an error.
func (s *Service) HandleSuggest(w http.ResponseWriter, r *http.Request) {
	limit, err := s.Limit(r.URL.Query().Get("limit"))
	if err != nil {
		WriteError(w, r, s.log, err)
		return
	}
	sg, err := s.Suggest(r.Context(), r.URL.Query().Get("q"), limit)
	if err != nil {
		WriteError(w, r, s.log, err)
		return
	}
	WriteJSON(w, http.StatusOK, JSONType, map[string]any{"query": r.URL.Query().Get("q"), "suggestions": sg})
}
