package cadastre

import (
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleSearch serves GET /parcels/search?q=TEXT[&limit=N]: the parcels a
// cadastral reference or an address names, as a GeoJSON FeatureCollection;
// several features are candidates to choose from.
func (s *Service) HandleSearch(w http.ResponseWriter, r *http.Request) error {
	s, text, limit, err := s.searchRequest(r)
	if err != nil {
		return err
	}
	res, err := s.Search(r.Context(), text, limit)
	if err != nil {
		return err
	}
	extra := map[string]any{"query": res.Query, "matchedBy": res.By, "ambiguous": len(res.Parcels) > 1, "more": res.More}
	if res.Ref != nil {
		extra["reference"] = res.Ref
	}
	return httpx.JSON(w, r, http.StatusOK, GeoJSONType, FeatureCollection(res.Parcels, s.base(r), extra))
}
