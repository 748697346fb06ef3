package query

import "net/http"

// handleAPIHTML serves /api.html: the OpenAPI document as a self-contained
// page (no script, nothing from a CDN).
func (s *Service) handleAPIHTML(w http.ResponseWriter, r *http.Request) error {
	q, err := docParams.Parse(r)
	if err == nil {
		_, _, err = s.language(r, q)
	}
	if err != nil {
		return err
	}
	return s.renderAPIHTML(w, r)
}

func (s *Service) renderAPIHTML(w http.ResponseWriter, r *http.Request) error {
	return s.renderHTML(w, r, "api", htmlPage{Title: s.opt.Title + " — API", Data: apiHTML(s.OpenAPI(r.Context(), s.base(r)))})
}
