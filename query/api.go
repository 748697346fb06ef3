package query

import "net/http"

// handleAPI serves the OpenAPI 3.0 document (or its HTML rendering when a
// browser asks).
func (s *Service) handleAPI(w http.ResponseWriter, r *http.Request) {
	f, ok := s.format(w, r)
	if !ok {
		return
	}
	if f == formatHTML {
		s.handleAPIHTML(w, r)
		return
	}
	s.writeJSON(w, r, mtOpenAPI, s.OpenAPI(s.base(r)))
}

// handleAPIHTML renders the OpenAPI document as a self-contained page (no
// script, nothing from a CDN).
func (s *Service) handleAPIHTML(w http.ResponseWriter, r *http.Request) {
	s.renderHTML(w, r, "api", htmlPage{Title: s.opt.Title + " — API", Data: apiHTML(s.OpenAPI(s.base(r)))})
}
