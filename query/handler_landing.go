package query

import "net/http"

// handleLanding serves / : the landing page (JSON or HTML).
func (s *Service) handleLanding(w http.ResponseWriter, r *http.Request) {
	_, f, err := s.request(r, docParams)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	doc := s.landing(s.base(r), f)
	if f == formatHTML {
		s.renderHTML(w, r, "landing", htmlPage{Title: doc.Title, Data: doc})
		return
	}
	s.writeJSON(w, r, mtJSON, doc)
}
