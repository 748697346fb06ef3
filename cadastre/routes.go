package cadastre

import (
	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
)

// Mount registers the parcel routes on r (GET and HEAD); OpenAPIPaths
// describes them.
func (s *Service) Mount(r chi.Router) {
	httpx.Get(r, "/parcels/search", s.HandleSearch)
	httpx.Get(r, "/parcels/suggest", s.HandleSuggest)
	httpx.Get(r, "/parcels/at", s.HandleAt)
	httpx.Get(r, "/parcels/{ref}", s.HandleRef)
	httpx.Get(r, "/parcels/{foglio}/{particella}", s.HandleRef)
}
