package query

import "net/http"

// handleCollections serves /collections: one collection per layer.
func (s *Service) handleCollections(w http.ResponseWriter, r *http.Request) {
	_, f, err := s.request(r, docParams)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	doc := s.collections(r.Context(), s.base(r), f)
	if f == formatHTML {
		s.renderHTML(w, r, "collections", htmlPage{TitleKey: "collections.title", Data: collectionsPage{Collections: collectionRows(s.cat.Layers(r.Context()))}})
		return
	}
	s.writeJSON(w, r, mtJSON, doc)
}
