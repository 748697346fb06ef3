package reports

import "github.com/go-chi/chi/v5"

// Mount registers the report and analytics routes on r; OpenAPIPaths
// describes them.
func (s *Service) Mount(r chi.Router) {
	r.Get("/reports/zoning", s.HandleZoning)
	r.Post("/reports/zoning", s.HandleZoning)
}
