package reports

import "github.com/go-chi/chi/v5"

// Mount registers the report and analytics routes on r; OpenAPIPaths
// describes them.
func (s *Service) Mount(r chi.Router) {
	r.Get("/reports/zoning", s.HandleZoning)
	r.Post("/reports/zoning", s.HandleZoning)
	r.Get("/analytics/broadband", s.HandleBroadband)
	r.Get("/analytics/broadband/white", s.HandleWhite)
	r.Get("/analytics/agcom", s.HandleAGCOM)
}
