package query

import "net/http"

// handleConformance serves /conformance: the classes implemented.
func (s *Service) handleConformance(w http.ResponseWriter, r *http.Request) {
	_, f, err := s.request(r, docParams)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	doc := s.conformance()
	if f == formatHTML {
		s.renderHTML(w, r, "conformance", htmlPage{TitleKey: "conformance.title", Data: doc})
		return
	}
	s.writeJSON(w, r, mtJSON, doc)
}
