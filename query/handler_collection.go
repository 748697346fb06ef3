package query

import "net/http"

// handleCollection serves /collections/{collectionId}.
func (s *Service) handleCollection(w http.ResponseWriter, r *http.Request) error {
	_, f, l, err := s.collectionRequest(r, docParams)
	if err != nil {
		return err
	}
	doc := s.collectionDoc(s.base(r), l, f)
	if f == formatHTML {
		return s.renderHTML(w, r, "collection", htmlPage{Title: doc.Title, Data: s.collectionPage(r, l, doc)})
	}
	return writeJSON(w, r, mtJSON, doc)
}
