package web

import (
	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
)

// Mount registers the viewer under its prefix: the prefix itself
// redirects to the page (keeping the query), everything below is the page,
// its configuration and its assets (GET and HEAD).
func (h *Handler) Mount(r chi.Router) {
	httpx.Get(r, h.prefix, h.HandleRedirect)
	httpx.Get(r, h.prefix+"/*", h.ServeHTTP)
}
