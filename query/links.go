package query

import (
	"net/url"
)

// Link is a web link of OGC API documents.
type Link struct {
	Href      string `json:"href"`
	Rel       string `json:"rel"`
	Type      string `json:"type,omitempty"`
	Title     string `json:"title,omitempty"`
	Templated bool   `json:"templated,omitempty"`
}

// Media types.
const (
	mtJSON    = "application/json"
	mtGeoJSON = "application/geo+json"
	mtHTML    = "text/html"
	mtOpenAPI = "application/vnd.oai.openapi+json;version=3.0"
	mtSchema  = "application/schema+json"
)

// withQuery returns base+path with the query q (sorted by key).
func withQuery(base, path string, q url.Values) string {
	if len(q) == 0 {
		return base + path
	}
	return base + path + "?" + q.Encode()
}

// withFormat copies q and sets f.
func withFormat(q url.Values, f string) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	out.Set("f", f)
	return out
}

// escapePath escapes a collection or feature id for a URL path.
func escapePath(s string) string { return url.PathEscape(s) }
