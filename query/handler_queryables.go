package query

import "net/http"

// handleQueryables serves /collections/{collectionId}/queryables: the
// JSON Schema of what filters may name.
func (s *Service) handleQueryables(w http.ResponseWriter, r *http.Request) error {
	_, f, l, err := s.collectionRequest(r, docParams)
	if err != nil {
		return err
	}
	doc := s.queryables(s.base(r), l)
	if f == formatHTML {
		return s.renderHTML(w, r, "queryables", htmlPage{TitleKey: "coll.queryables", Title: layerTitle(l), Data: doc})
	}
	return writeJSON(w, r, mtSchema, doc)
}
