package cadastre

import "github.com/go-chi/chi/v5"

// Mount registers the parcel routes on r; OpenAPIPaths describes them.
func (s *Service) Mount(r chi.Router) {
	r.Get("/parcels/search", s.HandleSearch)
	r.Get("/parcels/suggest", s.HandleSuggest)
	r.Get("/parcels/at", s.HandleAt)
	r.Get("/parcels/{ref}", s.HandleRef)
	r.Get("/parcels/{foglio}/{particella}", s.HandleRef)
}
