package query

import "net/http"

// handleConformance serves /conformance: the classes implemented.
func (s *Service) handleConformance(w http.ResponseWriter, r *http.Request) error {
	_, f, err := s.request(r, docParams)
	if err != nil {
		return err
	}
	doc := s.conformance()
	if f == formatHTML {
		return s.renderHTML(w, r, "conformance", htmlPage{TitleKey: "conformance.title", Data: doc})
	}
	return writeJSON(w, r, mtJSON, doc)
}
