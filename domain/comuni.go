package domain

import (
	_ "embed"
	"strings"
)

// comuniCSV maps the Belfiore code (codice catastale) of every Italian
// comune in force to its name; see the header of the file for its source.
//
//go:embed comuni.csv
var comuniCSV string

// ComuneName returns the name of the comune of a Belfiore code ("E715" →
// "Lucca"), false for an unknown code. The table is scanned, not indexed:
// a lookup costs a few microseconds and the package keeps no state.
func ComuneName(belfiore string) (string, bool) {
	code := strings.ToUpper(strings.TrimSpace(belfiore))
	if len(code) != 4 {
		return "", false
	}
	i := strings.Index(comuniCSV, "\n"+code+";")
	if i < 0 {
		return "", false
	}
	rest := comuniCSV[i+6:]
	if j := strings.IndexByte(rest, '\n'); j >= 0 {
		rest = rest[:j]
	}
	return rest, true
}
