package cadastre

import (
	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
)

// Mount registers the parcel routes on r (GET and HEAD); OpenAPIPaths
// describes them.
func (s *Service) Mount(r chi.Router) {
	rt := httpx.Routes{R: r, Log: s.log}
	rt.Get("/parcels/search", s.HandleSearch)
	rt.Get("/parcels/suggest", s.HandleSuggest)
	rt.Get("/parcels/at", s.HandleAt)
	rt.Get("/parcels/{ref}", s.HandleRef)
	rt.Get("/parcels/{foglio}/{particella}", s.HandleRef)
}
