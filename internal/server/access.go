package server

import (
	"net/http"
	"strings"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// comuni routes /c/{comune}/… to the same handlers as the URLs without
// it: the prefix is taken off the path and kept for links (httpx.BaseURL),
// and the request's view is that comune's. Without a prefix the view is
// the instance's default comune (the only one, on a one-comune install),
// so the single-comune URLs keep working. An unknown comune is a 404.
func comuni(cat *layers.Catalog) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			v := access.View{}
			if rest, ok := strings.CutPrefix(r.URL.Path, "/c/"); ok {
				slug, tail, _ := strings.Cut(rest, "/")
				c, found := cat.Comune(slug)
				if !found {
					p := httpx.NotFound("no comune " + `"` + slug + `"`)
					p.Parameter = "comune"
					httpx.WriteProblem(w, r, p)
					return
				}
				prefix := "/c/" + c.Slug
				r2 := r.Clone(r.Context())
				r2.URL.Path = "/" + tail
				if r.URL.RawPath != "" {
					r2.URL.RawPath = strings.TrimPrefix(r.URL.RawPath, prefix)
				}
				v.Comune, v.Prefixed = c.Slug, true
				r = r2.WithContext(httpx.WithPathPrefix(r2.Context(), prefix))
			} else if c, ok := cat.DefaultComune(); ok {
				v.Comune = c.Slug
			}
			next.ServeHTTP(w, r.WithContext(access.WithView(r.Context(), v)))
		})
	}
}

// privateWhenSignedIn keeps what a signed-in principal receives out of
// shared caches: its answers are "private, no-cache" (the browser keeps
// them and revalidates each time, so a sign-out is seen at once), unless
// they already forbid storing.
func privateWhenSignedIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !access.PrincipalFrom(r.Context()).Authenticated() {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&privateWriter{ResponseWriter: w}, r)
	})
}

type privateWriter struct {
	http.ResponseWriter
	done bool
}

func (p *privateWriter) WriteHeader(code int) {
	if !p.done {
		p.done = true
		h := p.Header()
		if cc := h.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			h.Set("Cache-Control", "private, no-cache")
		}
	}
	p.ResponseWriter.WriteHeader(code)
}

func (p *privateWriter) Write(b []byte) (int, error) {
	if !p.done {
		p.WriteHeader(http.StatusOK)
	}
	return p.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (p *privateWriter) Unwrap() http.ResponseWriter { return p.ResponseWriter }

// isUpload is the one route whose body may be large and slow: the admin
// upload, bounded by its own size and time (--max-upload-bytes,
// --upload-timeout).
func isUpload(r *http.Request) bool {
	return r.Method == http.MethodPost && r.URL.Path == "/admin/uploads"
}
