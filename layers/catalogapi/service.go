// Package catalogapi serves the layer catalog as plain JSON at /layers:
// what an operator, a script or the viewer wants without the OGC
// ceremony.
package catalogapi

import (
	"context"
	"log/slog"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// Catalog gives the layers a request may see. It takes the request's
// context so that a catalog filtered per user or per comune can stand in
// for the whole one without touching the handler.
type Catalog interface {
	Layers(ctx context.Context) []layers.Layer
}

// CatalogFunc adapts a function to Catalog.
type CatalogFunc func(ctx context.Context) []layers.Layer

// Layers implements Catalog.
func (f CatalogFunc) Layers(ctx context.Context) []layers.Layer { return f(ctx) }

// All is the whole catalog, for every request.
func All(c *layers.Catalog) Catalog {
	return CatalogFunc(func(context.Context) []layers.Layer { return c.Layers() })
}

// Service serves the catalog.
type Service struct {
	cat Catalog
	log *slog.Logger
}

// New makes the service.
func New(cat Catalog, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{cat: cat, log: log}
}

// Mount registers /layers (GET and HEAD).
func (s *Service) Mount(r chi.Router) {
	httpx.Get(r, "/layers", s.HandleLayers)
}
