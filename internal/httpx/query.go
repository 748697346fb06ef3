package httpx

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxValueLength bounds any query parameter's value, except the names a
// route lists in Params.Long (filters).
const MaxValueLength = 4096

// ParseQuery parses a raw query string strictly: pairs separated by '&',
// names and values %-escaped correctly, no ';' (which Go's own parser
// drops with the pair, silently), valid UTF-8. Empty pairs are skipped.
// An error is a 400 naming the parameter whose pair does not parse, so a
// broken filter or bbox is never read as "no filter".
func ParseQuery(raw string) (url.Values, error) {
	out := url.Values{}
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil || !utf8.ValidString(name) {
			return nil, BadParameter(Clip(rawName), fmt.Sprintf("the query string does not parse at %q: a parameter name is not correctly %%-escaped UTF-8", Clip(pair)))
		}
		if name == "" {
			return nil, BadParameter("query", fmt.Sprintf("the query string does not parse at %q: a value without a parameter name", Clip(pair)))
		}
		if strings.Contains(rawName, ";") {
			return nil, BadParameter(Clip(name), fmt.Sprintf("the query string does not parse at %q: ';' separates nothing here; join parameters with '&' and escape a ';' in a value as %%3B", Clip(pair)))
		}
		if strings.Contains(rawValue, ";") {
			return nil, BadParameter(name, fmt.Sprintf("the query string does not parse at %q: a ';' in a value must be escaped as %%3B (parameters are joined with '&')", Clip(pair)))
		}
		value, err := url.QueryUnescape(rawValue)
		if err != nil {
			return nil, BadParameter(name, fmt.Sprintf("the value does not parse: %q is not correctly %%-escaped", Clip(rawValue)))
		}
		if !utf8.ValidString(value) || strings.ContainsRune(value, 0) {
			return nil, BadParameter(name, "the value is not valid UTF-8 text")
		}
		out[name] = append(out[name], value)
	}
	return out, nil
}

// Params lists the query parameters of a route. Any other parameter is a
// 400 naming it (OGC API Features /req/core/query-param-unknown, and the
// same rule everywhere else), as is a parameter of Once given twice.
type Params struct {
	// Once are taken at most once each; Many may repeat.
	Once, Many []string
	// Long may exceed MaxValueLength (filters, bounded by their own parser).
	Long []string
	// Other, when set, accepts further names (an OGC collection's
	// queryables); it reports whether the name may repeat.
	Other func(name string) (ok, repeat bool)
}

// Parse reads and checks the query of r against the list.
func (p Params) Parse(r *http.Request) (url.Values, error) {
	q, err := ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	return q, p.Check(q)
}

// Check checks parsed values against the list.
func (p Params) Check(q url.Values) error {
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		vs := q[k]
		repeat := slices.Contains(p.Many, k)
		known := repeat || slices.Contains(p.Once, k)
		if !known && p.Other != nil {
			known, repeat = p.Other(k)
		}
		if !known {
			return BadParameter(k, fmt.Sprintf("unknown parameter %s; this resource takes %s", strconv.Quote(Clip(k)), p.describe()))
		}
		if !repeat && len(vs) > 1 {
			return BadParameter(k, fmt.Sprintf("given %d times; give it once", len(vs)))
		}
		if !slices.Contains(p.Long, k) {
			for _, v := range vs {
				if len(v) > MaxValueLength {
					return BadParameter(k, fmt.Sprintf("too long (%d bytes, at most %d)", len(v), MaxValueLength))
				}
			}
		}
	}
	return nil
}

func (p Params) describe() string {
	all := append(append([]string(nil), p.Once...), p.Many...)
	if p.Other != nil {
		all = append(all, "the collection's queryables")
	}
	if len(all) == 0 {
		return "no parameters"
	}
	return strings.Join(all, ", ")
}

// Clip keeps echoed client input short and printable in messages.
func Clip(s string) string {
	if len(s) > 60 {
		s = s[:60]
		for !utf8.ValidString(s) && len(s) > 56 {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return strings.ToValidUTF8(s, "?")
}
