package cadastre

import (
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleSuggest serves GET /parcels/suggest?q=TEXT[&limit=N]: completions
// for a search box (parcels of the typed foglio, addresses starting with
// the typed words). No match is an empty list, not an error.
func (s *Service) HandleSuggest(w http.ResponseWriter, r *http.Request) error {
	s, text, limit, err := s.searchRequest(r)
	if err != nil {
		return err
	}
	sg, err := s.Suggest(r.Context(), text, limit)
	if err != nil {
		return err
	}
	return httpx.JSON(w, r, http.StatusOK, JSONType, map[string]any{"query": text, "suggestions": sg})
}
