package domain

import (
	"strconv"
	"strings"
)

// ZoneClasses lists the "zone territoriali omogenee" of DM 1444/1968 art. 2,
// A to F: the classes every Italian zoning plan maps its own zone codes
// onto (B2, E1, ...). Labels and colours are in the palette (ZoneClassLegend).
func ZoneClasses() []string { return []string{"A", "B", "C", "D", "E", "F"} }

// ZoneClassOf reads a DM 1444/68 class from a zone code. Numeric codes 1..6
// (the Piemonte domain "01".."06") are accepted only where the attribute is
// known to hold a class (explicit), as are lower-case letters. A letter code
// gives its class when it starts with A–F followed by nothing, a digit, a
// lower-case letter or punctuation ("B", "B2", "Bc", "E-1", "D.1"), not by
// another capital ("AT" ambito di trasformazione, "DR", "ES" are other
// things). A "Zona " prefix is tolerated ("Zona B2").
func ZoneClassOf(code string, explicit bool) (string, bool) {
	s := strings.TrimSpace(code)
	if s == "" {
		return "", false
	}
	if explicit {
		if n, err := strconv.Atoi(s); err == nil {
			if n >= 1 && n <= 6 {
				return string(rune('A' + n - 1)), true
			}
			return "", false
		}
	}
	if len(s) > 5 && strings.EqualFold(s[:5], "zona ") {
		s = strings.TrimSpace(s[5:])
	}
	c := s[0]
	if c >= 'a' && c <= 'f' && explicit {
		c -= 'a' - 'A'
	}
	if c < 'A' || c > 'F' {
		return "", false
	}
	if len(s) > 1 && s[1] >= 'A' && s[1] <= 'Z' {
		return "", false
	}
	return string(c), true
}
