package reports

import (
	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
)

// Mount registers the report and analytics routes on r (GET and HEAD, and
// POST for the zoning report's long lists); OpenAPIPaths describes them.
func (s *Service) Mount(r chi.Router) {
	httpx.Get(r, "/reports/zoning", s.HandleZoning)
	r.Post("/reports/zoning", s.HandleZoning)
	httpx.Get(r, "/reports/uses", s.HandleUses)
	httpx.Get(r, "/analytics/broadband", s.HandleBroadband)
	httpx.Get(r, "/analytics/broadband/white", s.HandleWhite)
	httpx.Get(r, "/analytics/agcom", s.HandleAGCOM)
}
