package httpx

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Language picks the language of a page among offered (the first is the
// default). A value given in the query (param) wins: one that is not
// offered is a 400 naming param. Then the Accept-Language header (RFC 9110
// §12.5.4): the offered language of the range with the highest quality, a
// range matching by its primary subtag ("it-IT" asks for it, as a browser
// set to Italian sends it) and "*" meaning the default; ties go to the
// range written first, q=0 refuses. Then the default.
func Language(r *http.Request, param, value string, offered ...string) (string, error) {
	if value != "" {
		for _, o := range offered {
			if strings.EqualFold(value, o) {
				return o, nil
			}
		}
		return offered[0], BadParameter(param, fmt.Sprintf("%s is not a language of these pages; use %s", strconv.Quote(Clip(value)), strings.Join(offered, " or ")))
	}
	best, bestQ := offered[0], 0.0
	refused := map[string]bool{}
	for _, e := range parseWeighted(r.Header.Get("Accept-Language")) {
		primary, _, _ := strings.Cut(e.value, "-")
		for _, o := range offered {
			if primary != strings.ToLower(o) && !(primary == "*" && o == offered[0]) {
				continue
			}
			if e.q == 0 {
				refused[o] = true
			} else if e.q > bestQ && !refused[o] {
				best, bestQ = o, e.q
			}
		}
	}
	if bestQ == 0 && refused[best] {
		for _, o := range offered {
			if !refused[o] {
				return o, nil
			}
		}
	}
	return best, nil
}
