package query

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/sit-gis/sit/internal/problem"
)

type format int

const (
	formatJSON format = iota
	formatHTML
)

// negotiate picks JSON or HTML: ?f= wins, then the Accept header (the
// higher quality of text/html and any JSON type), then JSON.
func negotiate(r *http.Request) (format, *problem.Problem) {
	if f := r.URL.Query().Get("f"); f != "" {
		switch strings.ToLower(f) {
		case "json", "geojson", "application/json", "application/geo+json":
			return formatJSON, nil
		case "html", "text/html":
			return formatHTML, nil
		}
		return formatJSON, problem.BadParameter("f", "unknown format "+strconv.Quote(clip(f))+"; use json or html")
	}
	html, jsonQ := acceptQuality(r.Header.Get("Accept"))
	if html > 0 && html > jsonQ {
		return formatHTML, nil
	}
	return formatJSON, nil
}

// acceptQuality returns the quality the Accept header gives to HTML and
// to JSON (the best of application/json, geo+json, schema+json, openapi…).
func acceptQuality(accept string) (html, jsonQ float64) {
	for _, part := range strings.Split(accept, ",") {
		mt, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.TrimSpace(k) == "q" {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		switch {
		case mt == "text/html" || mt == "application/xhtml+xml":
			html = max(html, q)
		case strings.Contains(mt, "json"):
			jsonQ = max(jsonQ, q)
		}
	}
	return html, jsonQ
}

// acceptsGzip reports whether the client takes a gzip-compressed body.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			return !strings.Contains(strings.ReplaceAll(params, " ", ""), "q=0") || strings.Contains(params, "q=0.")
		}
	}
	return false
}
