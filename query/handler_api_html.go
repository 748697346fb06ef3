package query

import "net/http"

// handleAPIHTML serves /api.html: the OpenAPI document as a self-contained
// page (no script, nothing from a CDN).
func (s *Service) handleAPIHTML(w http.ResponseWriter, r *http.Request) {
	if _, err := (docParams).Parse(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.renderAPIHTML(w, r)
}

func (s *Service) renderAPIHTML(w http.ResponseWriter, r *http.Request) {
	s.renderHTML(w, r, "api", htmlPage{Title: s.opt.Title + " — API", Data: apiHTML(s.OpenAPI(s.base(r)))})
}
