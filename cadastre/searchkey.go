package cadastre

import (
	"strconv"
	"strings"
)

// accentFold maps the accented letters of Italian (and a few neighbours)
// to their base letter; the same table is in the SQL function
// sit.search_key (migration 0300), so that both sides build equal keys.
var accentFold = func() map[rune]rune {
	from, to := []rune(foldFrom), []rune(foldTo)
	m := make(map[rune]rune, len(from))
	for i, r := range from {
		m[r] = to[i]
	}
	return m
}()

// foldFrom and foldTo are the translate() arguments of sit.search_key.
const (
	foldFrom = "àáâãäåèéêëìíîïòóôõöùúûüçñÀÁÂÃÄÅÈÉÊËÌÍÎÏÒÓÔÕÖÙÚÛÜÇÑ"
	foldTo   = "aaaaaaeeeeiiiiooooouuuucnaaaaaaeeeeiiiiooooouuuucn"
)

// prefilter is a cheap SQL condition that every address matching key
// satisfies, so that the search key (three regular expressions) is only
// computed for a few rows: expr ILIKE the pattern of prefilterPattern, the
// next parameter $n.
func prefilter(expr string, n int) string {
	return expr + " ILIKE $" + strconv.Itoa(n)
}

// prefilterPattern is '%w1%w2%…%' over the words of a search key, each
// letter that an accented one folds onto (a e i o u c n) replaced by the
// one-character wildcard: every alphanumeric run of a key is a run of the
// raw text with accents folded, so the raw text matches.
func prefilterPattern(key string) string {
	var b strings.Builder
	b.WriteByte('%')
	for _, w := range strings.Fields(key) {
		for _, r := range w {
			if strings.ContainsRune("aeioucn", r) {
				b.WriteByte('_')
			} else {
				b.WriteRune(r)
			}
		}
		b.WriteByte('%')
	}
	return b.String()
}

// SearchKey is the form in which addresses are compared: lower case,
// accents folded, every run of other characters one blank, a house number
// split from its letter ("Via dell'Anfiteatro, 12/A" → "via dell anfiteatro 12 a").
// It equals the SQL function sit.search_key.
func SearchKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	blank := true // no leading blank
	var prev rune
	for _, r := range s {
		if f, ok := accentFold[r]; ok {
			r = f
		} else if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		isAlnum := (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9')
		if !isAlnum {
			if !blank {
				b.WriteByte(' ')
				blank = true
			}
			prev = ' '
			continue
		}
		if prev >= '0' && prev <= '9' && r >= 'a' && r <= 'z' {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		blank = false
		prev = r
	}
	return strings.TrimRight(b.String(), " ")
}

// abbreviations are the short forms of street types people type; they are
// expanded at the start of a query only (the stored addresses are written
// in full, as Infratel and the ANNCSU write them).
var abbreviations = map[string]string{
	"v": "via", "vle": "viale", "v le": "viale", "pza": "piazza", "pzza": "piazza", "p za": "piazza", "p zza": "piazza",
	"p le": "piazzale", "ple": "piazzale", "c so": "corso", "cso": "corso", "loc": "localita", "vic": "vicolo", "b go": "borgo",
}

// QueryKey is SearchKey of what a user typed, with a leading street-type
// abbreviation expanded ("v. del Fosso 12" → "via del fosso 12").
func QueryKey(s string) string {
	k := SearchKey(s)
	for _, n := range []int{2, 1} {
		f := strings.SplitN(k, " ", n+1)
		if len(f) <= n {
			continue
		}
		head := strings.Join(f[:n], " ")
		if full, ok := abbreviations[head]; ok {
			return full + " " + f[n]
		}
	}
	return k
}
