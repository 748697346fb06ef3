package cadastre

import (
	"net/http"
)

// HandleSearch serves GET /parcels/search?q=TEXT[&limit=N]: the parcels a
// cadastral reference or an address names, as a GeoJSON FeatureCollection;
// several features are candidates to choose from.
func (s *Service) HandleSearch(w http.ResponseWriter, r *http.Request) {
	limit, err := s.Limit(r.URL.Query().Get("limit"))
	if err != nil {
		WriteError(w, r, s.log, err)
		return
	}
	res, err := s.Search(r.Context(), r.URL.Query().Get("q"), limit)
	if err != nil {
		WriteError(w, r, s.log, err)
		return
	}
	extra := map[string]any{"query": res.Query, "matchedBy": res.By, "ambiguous": len(res.Parcels) > 1, "more": res.More}
	if res.Ref != nil {
		extra["reference"] = res.Ref
	}
	WriteJSON(w, http.StatusOK, GeoJSONType, FeatureCollection(res.Parcels, s.base(), extra))
}
