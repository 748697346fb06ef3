package web

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/sit-gis/sit/internal/httpx"
)

// ServeHTTP serves GET/HEAD of the page, /config.json and /assets/….
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		httpx.WriteProblem(w, r, httpx.New(http.StatusMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path))
		return
	}
	rel, ok := strings.CutPrefix(r.URL.Path, h.prefix)
	if !ok {
		httpx.WriteProblem(w, r, httpx.NotFound("no resource at "+r.URL.Path))
		return
	}
	rel = strings.TrimPrefix(rel, "/")
	if rel != "" && rel != "index.html" {
		// The page's query is the application's state (lang, …); the
		// configuration and the assets take none.
		if _, err := (httpx.Params{}).Parse(r); err != nil {
			httpx.WriteProblem(w, r, err.(*httpx.Problem))
			return
		}
	}
	switch rel {
	case "", "index.html":
		w.Header().Set("Content-Security-Policy", h.csp)
		w.Header().Set("Referrer-Policy", "same-origin")
		h.serve(w, r, h.index)
		return
	case "config.json":
		h.serve(w, r, h.configFor(r.Context()))
		return
	}
	a, ok := h.files[rel]
	if !ok {
		detail := "no viewer asset at " + r.URL.Path
		if !h.built {
			detail += " (the viewer was not built: cd web && npm ci && npm run build, then go build)"
		}
		httpx.WriteProblem(w, r, httpx.NotFound(detail))
		return
	}
	h.serve(w, r, a)
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request, a *asset) {
	hd := w.Header()
	hd.Set("Content-Type", a.ctype)
	hd.Set("Cache-Control", a.cache)
	hd.Set("X-Content-Type-Options", "nosniff")
	body, etag, encoding := a.body, a.etag, ""
	if a.gzip {
		hd.Add("Vary", "Accept-Encoding")
		if gz := a.gzipped(); gz != nil && httpx.AcceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag, encoding = gz, httpx.GzipETag(a.etag), "gzip"
		}
	}
	if a.status != http.StatusOK {
		// The fallback page: say so with the status, no conditional logic.
		if encoding != "" {
			hd.Set("Content-Encoding", encoding)
		}
		hd.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(a.status)
		_, _ = w.Write(body)
		return
	}
	httpx.ServeContent(w, r, httpx.Content{Type: a.ctype, Encoding: encoding, ETag: etag, CacheControl: a.cache,
		Body: bytes.NewReader(body), Size: int64(len(body))})
}
