package reports

import (
	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
)

// Mount registers the report and analytics routes on r (GET and HEAD, and
// POST for the zoning report's long lists); OpenAPIPaths describes them.
func (s *Service) Mount(r chi.Router) {
	rt := httpx.Routes{R: r, Log: s.log}
	rt.Get("/reports/zoning", s.HandleZoning)
	rt.Post("/reports/zoning", s.HandleZoning)
	rt.Get("/reports/uses", s.HandleUses)
	rt.Get("/analytics/broadband", s.HandleBroadband)
	rt.Get("/analytics/broadband/white", s.HandleWhite)
	rt.Get("/analytics/agcom", s.HandleAGCOM)
}
