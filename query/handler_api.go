package query

import "net/http"

// handleAPI serves /api: the OpenAPI 3.0 document (or its HTML rendering
// when a browser asks).
func (s *Service) handleAPI(w http.ResponseWriter, r *http.Request) error {
	_, f, err := s.request(r, docParams)
	if err != nil {
		return err
	}
	if f == formatHTML {
		return s.renderAPIHTML(w, r)
	}
	return writeJSON(w, r, mtOpenAPI, s.OpenAPI(r.Context(), s.base(r)))
}
