package httpx

import (
	"log/slog"
	"net/http"
	"net/url"

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

// Routes mounts Funcs on a router: every route answers the errors its
// handler returns the one way (Handle), server faults logged on Log.
// Translate, when set, first turns a package's own errors into problems
// (query's SQL data errors into 400s naming the filter).
type Routes struct {
	R         chi.Router
	Log       *slog.Logger
	Translate func(r *http.Request, err error) error
}

func (rt Routes) handle(h Func) http.HandlerFunc {
	if rt.Translate != nil {
		inner := h
		h = func(w http.ResponseWriter, r *http.Request) error {
			if err := inner(w, r); err != nil {
				return rt.Translate(r, err)
			}
			return nil
		}
	}
	return Handle(rt.Log, h)
}

// Get registers h for GET and HEAD on pattern (see Get).
func (rt Routes) Get(pattern string, h Func) { Get(rt.R, pattern, rt.handle(h)) }

// Post registers h for POST on pattern.
func (rt Routes) Post(pattern string, h Func) { rt.R.Post(pattern, rt.handle(h)) }

// Patch registers h for PATCH on pattern.
func (rt Routes) Patch(pattern string, h Func) { rt.R.Patch(pattern, rt.handle(h)) }

// Delete registers h for DELETE on pattern.
func (rt Routes) Delete(pattern string, h Func) { rt.R.Delete(pattern, rt.handle(h)) }

// PathValue is the path parameter name as the client meant it, unescaped.
// The router matches the escaped path whenever a client escaped a byte Go
// would not (a published function's "(" or ";", an encoded "/"), and then
// gives its parameters escaped; otherwise it gives them unescaped.
func PathValue(r *http.Request, name string) string {
	v := r.PathValue(name)
	if r.URL.RawPath == "" {
		return v
	}
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}
