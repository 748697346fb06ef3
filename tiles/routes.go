package tiles

import "github.com/go-chi/chi/v5"

// Mount registers every tile route on r. internal/server calls it once;
// the paths are listed with their OpenAPI description in openapi.go.
func (s *Service) Mount(r chi.Router) {
	r.Get("/tiles/{layers}/{z}/{x}/{y}.mvt", s.HandleTile)
}
