package domain

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// CadastralRef is a national cadastral reference split into its parts
// (Agenzia delle Entrate, "CCCCZFFFFAS.particella").
type CadastralRef struct {
	// Comune is the Belfiore code (E715 = Lucca).
	Comune string
	// Sezione is the sezione censuaria, "" when absent ('_' in the code).
	Sezione string
	// Foglio is the sheet number without zero padding ("12", "33A").
	Foglio string
	// Allegato and Sviluppo are the one-character codes; "0" means none,
	// Q / U mark a quadro d'unione.
	Allegato string
	Sviluppo string
	// Particella is the parcel number, "" for a sheet reference.
	Particella string
	// sheet is the 11-character sheet code as written.
	sheet string
}

// Sheet returns the 11-character code CCCCZFFFFAS.
func (r CadastralRef) Sheet() string { return r.sheet }

// String returns the reference as the Agenzia writes it.
func (r CadastralRef) String() string {
	if r.Particella == "" {
		return r.sheet
	}
	return r.sheet + "." + r.Particella
}

var sheetCode = regexp.MustCompile(`^([A-Z][0-9]{3})([A-Z0-9_])([0-9A-Z]{4})([0-9A-Z])([0-9A-Z])$`)

// ParseSheetCode parses the 11-character map name CCCCZFFFFAS of a CXF file
// or of a CadastralZoning (case-insensitive).
func ParseSheetCode(s string) (CadastralRef, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	m := sheetCode.FindStringSubmatch(u)
	if m == nil {
		return CadastralRef{}, fmt.Errorf("%q is not a cadastral sheet code CCCCZFFFFAS (Belfiore code, sezione or '_', 4-character foglio, allegato, sviluppo)", s)
	}
	r := CadastralRef{Comune: m[1], Foglio: TrimZeros(m[3]), Allegato: m[4], Sviluppo: m[5], sheet: u}
	if m[2] != "_" {
		r.Sezione = m[2]
	}
	return r, nil
}

// IsSheetCode reports whether s is an 11-character sheet code CCCCZFFFFAS
// as written (upper case, no blanks).
func IsSheetCode(s string) bool { return sheetCode.MatchString(s) }

// ParseNationalCadastralReference parses "CCCCZFFFFAS.particella" (a
// NATIONALCADASTRALREFERENCE), a bare sheet code, or either with the INSPIRE
// prefixes "IT.AGE.PLA." / "IT.AGE.MAP." and gml:id prefixes
// ("CadastralParcel.IT.AGE.PLA.").
func ParseNationalCadastralReference(s string) (CadastralRef, error) {
	t := strings.TrimSpace(s)
	if i := strings.Index(strings.ToUpper(t), "IT.AGE."); i >= 0 && len(t) >= i+11 {
		t = t[i+11:] // skip "IT.AGE.PLA." or "IT.AGE.MAP."
	}
	sheet, part, hasPart := strings.Cut(t, ".")
	r, err := ParseSheetCode(sheet)
	if err != nil {
		return CadastralRef{}, fmt.Errorf("national cadastral reference %q: %w", s, err)
	}
	if hasPart {
		part = strings.TrimSpace(part)
		if part == "" {
			return CadastralRef{}, fmt.Errorf("national cadastral reference %q: empty particella after the dot", s)
		}
		r.Particella = part
	}
	return r, nil
}

// TrimZeros drops the zero padding of a sheet or parcel number ("0037" →
// "37", "033A" → "33A"), keeping a lone zero ("0000" → "0", "000A" → "0A").
func TrimZeros(s string) string {
	s = strings.TrimSpace(s)
	t := strings.TrimLeft(s, "0")
	if len(t) < len(s) && (t == "" || !unicode.IsDigit(rune(t[0]))) {
		return "0" + t
	}
	return t
}

// ParcelTipo tells a road or water "parcel" of the cadastre (STRADA001,
// ACQUA005) from a real one: "strada", "acqua", "particella", or "" when
// there is no parcel number.
func ParcelTipo(particella string) string {
	u := strings.ToUpper(particella)
	switch {
	case u == "":
		return ""
	case strings.HasPrefix(u, "STRADA"):
		return "strada"
	case strings.HasPrefix(u, "ACQUA"):
		return "acqua"
	}
	return "particella"
}
