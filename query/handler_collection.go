package query

import "net/http"

// handleCollection serves /collections/{collectionId}.
func (s *Service) handleCollection(w http.ResponseWriter, r *http.Request) {
	_, f, l, err := s.collectionRequest(r, docParams)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	doc := s.collectionDoc(s.base(r), l, f)
	if f == formatHTML {
		s.renderHTML(w, r, "collection", htmlPage{Title: doc.Title, Data: s.collectionPage(r, l, doc)})
		return
	}
	s.writeJSON(w, r, mtJSON, doc)
}
