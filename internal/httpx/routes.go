package httpx

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// Mounter is a feature package's service: it registers its routes.
type Mounter interface {
	Mount(r chi.Router)
}

// Get registers h for GET and HEAD on pattern. HEAD runs the same handler
// (RFC 9110 §9.3.2: the same headers as GET); net/http sends no body for
// it.
func Get(r chi.Router, pattern string, h http.HandlerFunc) {
	r.Get(pattern, h)
	r.Head(pattern, h)
}
