package httpx

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// weighted is one element of an Accept or Accept-Encoding header.
type weighted struct {
	value string // lower case
	q     float64
}

// parseWeighted splits a header into its elements with their qualities
// (RFC 9110 §12.4.2). An element whose weight does not parse is dropped:
// a client cannot be assumed to accept what it did not say clearly.
func parseWeighted(header string) []weighted {
	var out []weighted
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		v, params, _ := strings.Cut(part, ";")
		q, ok := 1.0, true
		for _, p := range strings.Split(params, ";") {
			k, val, found := strings.Cut(strings.TrimSpace(p), "=")
			if !found || !strings.EqualFold(strings.TrimSpace(k), "q") {
				continue
			}
			q, ok = parseQ(strings.TrimSpace(val))
		}
		if ok {
			out = append(out, weighted{value: strings.ToLower(strings.TrimSpace(v)), q: q})
		}
	}
	return out
}

// parseQ reads a qvalue: 0 to 1 with at most three decimals.
func parseQ(s string) (float64, bool) {
	if s == "" || len(s) > 5 || (s[0] != '0' && s[0] != '1') {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1 {
		return 0, false
	}
	return f, true
}

// AcceptsGzip reads an Accept-Encoding header: gzip (or its alias x-gzip)
// with a non-zero quality, or else "*" with one. An explicit gzip;q=0 is a
// refusal that no "*" overrides.
func AcceptsGzip(header string) bool {
	gz, star := -1.0, -1.0
	for _, e := range parseWeighted(header) {
		switch e.value {
		case "gzip", "x-gzip":
			gz = max(gz, e.q)
		case "*":
			star = max(star, e.q)
		}
	}
	if gz >= 0 {
		return gz > 0
	}
	return star > 0
}

// Format is one representation a resource offers: its name in ?f= and the
// media types that ask for it in Accept.
type Format struct {
	Name  string
	Types []string
	// Aliases are other names f may give (geojson for json).
	Aliases []string
}

// Common formats.
var (
	FormatJSON = Format{Name: "json", Types: []string{"application/json", "application/geo+json", "application/schema+json", "application/vnd.oai.openapi+json"}}
	FormatHTML = Format{Name: "html", Types: []string{"text/html", "application/xhtml+xml"}}
)

// FormatParam picks among offers by ?f= alone (by name or media type);
// without f the first offer is the default. A bad f is a 400 naming f.
func FormatParam(f string, offers ...Format) (Format, error) {
	if f == "" {
		return offers[0], nil
	}
	low := strings.ToLower(strings.TrimSpace(f))
	for _, o := range offers {
		if low == o.Name || slices.Contains(o.Aliases, low) {
			return o, nil
		}
		for _, t := range o.Types {
			if low == t {
				return o, nil
			}
		}
	}
	names := make([]string, len(offers))
	for i, o := range offers {
		names[i] = o.Name
	}
	return offers[0], BadParameter("f", fmt.Sprintf("%s is not a format of this resource; use %s", strconv.Quote(Clip(f)), strings.Join(names, " or ")))
}

// Negotiate picks among offers: ?f= wins, then the Accept header (the
// offer whose media types get the highest quality, each from the most
// specific range that matches it; ties go to the earlier offer), then the
// first offer. An Accept that admits none of them also gets the first:
// OGC clients send odd headers, and a JSON answer is what they can use.
func Negotiate(r *http.Request, f string, offers ...Format) (Format, error) {
	if f != "" {
		return FormatParam(f, offers...)
	}
	accept := parseWeighted(r.Header.Get("Accept"))
	best, bestQ := offers[0], 0.0
	for _, o := range offers {
		q := 0.0
		for _, t := range o.Types {
			q = max(q, mediaQuality(accept, t))
		}
		if q > bestQ {
			best, bestQ = o, q
		}
	}
	return best, nil
}

// mediaQuality is the quality an Accept header gives a media type: that of
// the most specific matching range (type/subtype over type/* over */*).
func mediaQuality(accept []weighted, mediaType string) float64 {
	major, _, _ := strings.Cut(mediaType, "/")
	q, spec := 0.0, -1
	for _, e := range accept {
		s := -1
		switch {
		case e.value == mediaType:
			s = 2
		case e.value == major+"/*":
			s = 1
		case e.value == "*/*":
			s = 0
		}
		if s > spec {
			q, spec = e.q, s
		} else if s == spec && s >= 0 {
			q = max(q, e.q)
		}
	}
	return q
}
