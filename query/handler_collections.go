package query

import "net/http"

// handleCollections serves /collections: one collection per layer.
func (s *Service) handleCollections(w http.ResponseWriter, r *http.Request) error {
	_, f, err := s.request(r, docParams)
	if err != nil {
		return err
	}
	doc := s.collections(r.Context(), s.base(r), f)
	if f == formatHTML {
		return s.renderHTML(w, r, "collections", htmlPage{TitleKey: "collections.title", Data: collectionsPage{Collections: collectionRows(s.cat.Layers(r.Context()))}})
	}
	return writeJSON(w, r, mtJSON, doc)
}
