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

// Comuni are the comuni the instance hosts (*layers.Catalog).
type Comuni interface {
	Comuni() []layers.Comune
	Comune(slug string) (layers.Comune, bool)
}

// Service serves the catalog.
type Service struct {
	cat    Catalog
	comuni Comuni
	log    *slog.Logger
}

// New makes the service; comuni may be nil (no /comuni).
func New(cat Catalog, comuni Comuni, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{cat: cat, comuni: comuni, log: log}
}

// Mount registers /layers, /comuni, /comune and its coat of arms (GET and HEAD).
func (s *Service) Mount(r chi.Router) {
	httpx.Get(r, "/layers", s.HandleLayers)
	if s.comuni != nil {
		httpx.Get(r, "/comuni", s.HandleComuni)
		httpx.Get(r, "/comune", s.HandleComune)
		httpx.Get(r, "/comune/coat-of-arms", s.HandleCoatOfArms)
	}
}
