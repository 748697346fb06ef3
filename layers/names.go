package layers

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// MaxNameLength bounds layer names: a name becomes a table name, and the
// loader adds suffixes to it (indexes, sequences) within PostgreSQL's 63 bytes.
const MaxNameLength = 48

// layerName is what a layer name may look like: it becomes a table name and
// a URL segment, so it stays lower-case ASCII.
var layerName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,47}$`)

// ValidateName checks a layer name given by a user; the error suggests a
// valid name made from it.
func ValidateName(name string) error {
	if layerName.MatchString(name) {
		return nil
	}
	msg := fmt.Sprintf("invalid layer name %q: use 1–%d characters a-z, 0-9 and _, starting with a letter", name, MaxNameLength)
	if s := shortName(launderName(name)); s != name && strings.Trim(name, " _-.") != "" {
		msg += fmt.Sprintf(" (for example %s)", s)
	}
	return errors.New(msg)
}

// DeriveName makes a layer name from a file stem or a table name. A name
// that would be longer than MaxNameLength is refused rather than cut, since
// two long names with the same beginning would become the same layer; the
// error suggests a shorter one.
func DeriveName(s string) (string, error) {
	n := launderName(s)
	if len(n) <= MaxNameLength {
		return n, nil
	}
	return "", fmt.Errorf("the layer name made from %q, %s, is %d characters long (at most %d): choose a name with --layer, for example --layer %s",
		s, n, len(n), MaxNameLength, shortName(n))
}

// launderName launders s into a layer name of any length.
func launderName(s string) string {
	n := Launder(s, 1<<16)
	if n[0] < 'a' || n[0] > 'z' {
		n = "l" + n
	}
	return n
}

// shortName cuts a laundered name to MaxNameLength at a word boundary: a
// suggestion for the user, never applied silently.
func shortName(n string) string {
	if len(n) <= MaxNameLength {
		return n
	}
	cut := n[:MaxNameLength]
	if n[MaxNameLength] == '_' {
		return cut
	}
	if i := strings.LastIndexByte(cut, '_'); i >= MaxNameLength/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, "_")
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

// isReserved tells SIT's own columns of every data table.
func isReserved(col string) bool {
	switch col {
	case "fid", "geom", "geom_3857", "_rec", "_repaired":
		return true
	}
	return false
}
