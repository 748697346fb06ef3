package tiles

import (
	"net/http"
	"strconv"
	"strings"
)

// Response is what the core answers: a status, headers and a body, with no
// http.ResponseWriter in sight (the go-pmtiles Server.Get shape), so that
// the core is tested without HTTP and the handlers stay thin.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Media types.
const (
	MVTType      = "application/vnd.mapbox-vector-tile"
	JSONType     = "application/json"
	PMTilesType  = "application/vnd.pmtiles"
	OpenAPI3Type = "application/vnd.oai.openapi+json;version=3.0"
)

// Write sends the response.
func (resp *Response) Write(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range resp.Header {
		h[k] = v
	}
	if resp.Status != http.StatusNoContent && resp.Status != http.StatusNotModified {
		h.Set("Content-Length", strconv.Itoa(len(resp.Body)))
	}
	w.WriteHeader(resp.Status)
	if len(resp.Body) > 0 && resp.Status != http.StatusNotModified && resp.Status != http.StatusNoContent {
		_, _ = w.Write(resp.Body)
	}
}

// acceptsGzip reports whether an Accept-Encoding header admits gzip
// (and does not refuse it with q=0).
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		if q, ok := strings.CutPrefix(strings.ReplaceAll(strings.TrimSpace(params), " ", ""), "q="); ok {
			if f, err := strconv.ParseFloat(q, 64); err == nil && f == 0 {
				if coding == "*" {
					continue
				}
				return false
			}
		}
		return true
	}
	return false
}

// etagMatch implements If-None-Match's weak comparison against the
// candidate tags; it returns the candidate that matched.
func etagMatch(ifNoneMatch string, tags ...string) (string, bool) {
	if ifNoneMatch == "" || len(tags) == 0 {
		return "", false
	}
	if strings.TrimSpace(ifNoneMatch) == "*" {
		return tags[0], true
	}
	for _, part := range strings.Split(ifNoneMatch, ",") {
		t := strings.TrimPrefix(strings.TrimSpace(part), "W/")
		for _, c := range tags {
			if t == strings.TrimPrefix(c, "W/") {
				return c, true
			}
		}
	}
	return "", false
}
