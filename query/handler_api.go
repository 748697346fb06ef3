package query

import "net/http"

// handleAPI serves /api: the OpenAPI 3.0 document (or its HTML rendering
// when a browser asks).
func (s *Service) handleAPI(w http.ResponseWriter, r *http.Request) {
	_, f, err := s.request(r, docParams)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if f == formatHTML {
		s.renderAPIHTML(w, r)
		return
	}
	s.writeJSON(w, r, mtOpenAPI, s.OpenAPI(r.Context(), s.base(r)))
}
