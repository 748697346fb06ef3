package cadastre

import (
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleSearch serves GET /parcels/search?q=TEXT[&limit=N]: the parcels a
// cadastral reference or an address names, as a GeoJSON FeatureCollection;
// several features are candidates to choose from.
func (s *Service) HandleSearch(w http.ResponseWriter, r *http.Request) {
	q, err := searchParams.Parse(r)
	if err == nil {
		s, err = s.dated(r.Context(), q.Get("at"))
	}
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	limit, err := s.Limit(q.Get("limit"))
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	res, err := s.Search(r.Context(), q.Get("q"), limit)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	extra := map[string]any{"query": res.Query, "matchedBy": res.By, "ambiguous": len(res.Parcels) > 1, "more": res.More}
	if res.Ref != nil {
		extra["reference"] = res.Ref
	}
	s.writeJSON(w, r, http.StatusOK, GeoJSONType, FeatureCollection(res.Parcels, s.base(r), extra))
}
