package layers

import (
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// layerName is what a layer name may look like: it becomes a table name and
// a URL segment, so it stays lower-case ASCII.
var layerName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,47}$`)

// ValidateName checks a layer name given by a user.
func ValidateName(name string) error {
	if !layerName.MatchString(name) {
		return fmt.Errorf("invalid layer name %q: use 1–48 characters a-z, 0-9 and _, starting with a letter", name)
	}
	return nil
}

// Launder turns any text (a file stem, a source field name) into a lower-case
// ASCII identifier: accents dropped, other characters replaced by '_', like
// ogr2ogr's laundering. max bounds the length in bytes.
func Launder(s string, max int) string {
	var b strings.Builder
	lastUnderscore := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			lastUnderscore = false
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
			lastUnderscore = false
		case r >= 0x300 && r <= 0x36f:
			// combining accent left by NFD: drop it, keeping the base letter.
		default:
			if !lastUnderscore && b.Len() > 0 {
				b.WriteByte('_')
				lastUnderscore = true
			}
		}
	}
	out := strings.TrimRight(b.String(), "_")
	if out == "" {
		out = "x"
	}
	if out[0] >= '0' && out[0] <= '9' {
		out = "f_" + out
	}
	if len(out) > max {
		out = strings.TrimRight(out[:max], "_")
	}
	return out
}

// LayerNameFrom derives a valid layer name from a file stem or table name.
func LayerNameFrom(s string) string {
	n := Launder(s, 48)
	if n[0] < 'a' || n[0] > 'z' {
		n = "l" + n
		if len(n) > 48 {
			n = n[:48]
		}
	}
	return n
}

// isReserved tells SIT's own columns of every data table.
func isReserved(col string) bool {
	switch col {
	case "fid", "geom", "geom_3857", "_rec", "_repaired":
		return true
	}
	return false
}
