package domain

// The grammar of cadastral references as people write them: "foglio 37
// particella 125", "F.37 p.125", "37/125", "E715_003700.125".

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// Ref is a cadastral reference, parsed and normalised: foglio and
// particella without zero padding, letters upper-case, "" for every part
// the text did not give (sezione, allegato and sviluppo also "" for "none",
// as the Agenzia's "_" and "0" mean none).
type Ref struct {
	Comune     string `json:"comune,omitempty"` // Belfiore code, e.g. E715
	Sezione    string `json:"sezione,omitempty"`
	Foglio     string `json:"foglio,omitempty"`
	Particella string `json:"particella,omitempty"`
	Allegato   string `json:"allegato,omitempty"`
	Sviluppo   string `json:"sviluppo,omitempty"`
	// Subalterno was typed but is ignored: subalterni are units of the
	// buildings register (catasto fabbricati), not parcels of the map.
	Subalterno string `json:"subalterno,omitempty"`
	// Explicit parts: allegato or sviluppo given as "0" (none), which then
	// must match "none" rather than anything.
	AllegatoGiven bool `json:"-"`
	SviluppoGiven bool `json:"-"`
	SezioneGiven  bool `json:"-"`
}

// String spells the reference for messages: "E715 sez. A foglio 37 all. B particella 125".
func (r Ref) String() string {
	var parts []string
	if r.Comune != "" {
		parts = append(parts, r.Comune)
	}
	if r.Sezione != "" {
		parts = append(parts, "sezione "+r.Sezione)
	}
	if r.Foglio != "" {
		parts = append(parts, "foglio "+r.Foglio)
	}
	if r.Allegato != "" {
		parts = append(parts, "allegato "+r.Allegato)
	}
	if r.Sviluppo != "" {
		parts = append(parts, "sviluppo "+r.Sviluppo)
	}
	if r.Particella != "" {
		parts = append(parts, "particella "+r.Particella)
	}
	return strings.Join(parts, " ")
}

// Label is the reference as the title of a parcel: "Foglio 37 particella
// 125", "Sezione A foglio 37 allegato B particella 125" (the comune left
// out: the page or the report names it).
func (r Ref) Label() string {
	r.Comune = ""
	s := r.String()
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// NationalRef builds the Agenzia delle Entrate national cadastral reference
// CCCCZFFFFAS.particella ("E715_003700.125") from parts; "" when the comune,
// foglio or particella is missing.
func NationalRef(comune, sezione, foglio, allegato, sviluppo, particella string) string {
	if comune == "" || foglio == "" || particella == "" {
		return ""
	}
	z := sezione
	if z == "" {
		z = "_"
	}
	f := foglio
	if len(f) < 4 {
		// Digits are padded on the left; a letter sheet keeps its letter last ("33A" → "033A").
		f = strings.Repeat("0", 4-len(f)) + f
	}
	a, s := allegato, sviluppo
	if a == "" {
		a = "0"
	}
	if s == "" {
		s = "0"
	}
	return strings.ToUpper(comune+z+f+a+s) + "." + particella
}

// RefError is a reference that cannot be read; Detail says why and what
// is accepted.
type RefError struct {
	Input  string
	Detail string
}

func (e *RefError) Error() string {
	return fmt.Sprintf("cannot read %q as a cadastral reference: %s", e.Input, e.Detail)
}

// accepted is the help text quoted by every RefError.
const accepted = `write it as "foglio 37 particella 125", "F.37 p.125", "fg 37 part 125", "37/125", "37-125" or "E715_003700.125" (comune code, sezione, allegato and sviluppo optional: "E715 sez. A fg 37 all. B part 125")`

var (
	// ncrShape is a national reference or a bare sheet code, with optional INSPIRE prefixes.
	ncrShape = regexp.MustCompile(`(?i)^(?:\S*IT\.AGE\.(?:PLA|MAP)\.)?[A-Z][0-9]{3}[A-Z0-9_][0-9A-Z]{4}[0-9A-Z]{2}(?:\.\S*)?$`)
	// compact is "[E715 ]37/125" or "37-125" (foglio, particella).
	compact    = regexp.MustCompile(`(?i)^(?:([A-Z][0-9]{3})[\s:/,]+)?([0-9]{1,4}[A-Z]?)\s*[/\-]\s*([0-9]{1,6})$`)
	belfiore   = regexp.MustCompile(`(?i)^[A-Z][0-9]{3}$`)
	number     = regexp.MustCompile(`^[0-9]{1,6}$`)
	foglioVal  = regexp.MustCompile(`(?i)^[0-9]{1,4}[A-Z]?$`)
	oneCharVal = regexp.MustCompile(`(?i)^[0-9A-Z]$`)
)

// keyword synonyms, lower-case without dots.
var keywords = map[string]string{
	"comune": "comune", "com": "comune",
	"sezione": "sezione", "sez": "sezione", "sz": "sezione",
	"foglio": "foglio", "fg": "foglio", "fgl": "foglio", "fog": "foglio", "fl": "foglio", "f": "foglio", "fo": "foglio",
	"particella": "particella", "part": "particella", "par": "particella", "p": "particella", "pt": "particella", "pla": "particella",
	"mappale": "particella", "mapp": "particella", "map": "particella", "m": "particella",
	"allegato": "allegato", "all": "allegato", "alleg": "allegato",
	"sviluppo": "sviluppo", "svil": "sviluppo", "sv": "sviluppo",
	"subalterno": "subalterno", "sub": "subalterno",
}

// fillers are words people put between a keyword and its value ("foglio
// n. 37", "particella 125 del foglio 37"): skipped.
var fillers = map[string]bool{"n": true, "nr": true, "num": true, "numero": true, "del": true, "di": true}

// ParseRef reads a cadastral reference written as people write it. The
// comune code is optional; sezione, allegato and sviluppo are taken when
// given. A reference with a foglio and no particella is valid (it names a
// whole sheet: the caller lists its parcels as candidates).
func ParseRef(s string) (Ref, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return Ref{}, &RefError{Input: s, Detail: "it is empty; " + accepted}
	}
	if len(in) > 200 {
		return Ref{}, &RefError{Input: in[:40] + "…", Detail: "it is longer than 200 characters"}
	}
	if ncrShape.MatchString(in) {
		r, err := ParseNationalCadastralReference(in)
		if err != nil {
			return Ref{}, &RefError{Input: in, Detail: err.Error()}
		}
		out := Ref{Comune: r.Comune, Sezione: r.Sezione, Foglio: r.Foglio, Particella: TrimZeros(strings.ToUpper(r.Particella)),
			Allegato: OptionalPart(r.Allegato), Sviluppo: OptionalPart(r.Sviluppo), AllegatoGiven: true, SviluppoGiven: true, SezioneGiven: true}
		return out, nil
	}
	if m := compact.FindStringSubmatch(in); m != nil {
		return Ref{Comune: strings.ToUpper(m[1]), Foglio: TrimZeros(strings.ToUpper(m[2])), Particella: TrimZeros(m[3])}, nil
	}
	return parseWords(in)
}

// OptionalPart maps the Agenzia's "no sezione / allegato / sviluppo" ("0",
// "_") to "" and upper-cases any other code.
func OptionalPart(s string) string {
	if s == "0" || s == "_" {
		return ""
	}
	return strings.ToUpper(s)
}

// splitWords cuts the text into words: separators are blanks, commas,
// semicolons, colons and dots; a letter run followed by digits ("fg37",
// "F.37") splits into keyword and value unless it is a Belfiore code.
func splitWords(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == ';' || r == ':' || r == '.' || r == '=' || r == '/' || r == '-' || r == '(' || r == ')'
	})
	var out []string
	for _, w := range f {
		if belfiore.MatchString(w) {
			out = append(out, w)
			continue
		}
		i := 0
		for i < len(w) && unicode.IsLetter(rune(w[i])) {
			i++
		}
		if i > 0 && i < len(w) && unicode.IsDigit(rune(w[i])) {
			if _, ok := keywords[strings.ToLower(w[:i])]; ok {
				out = append(out, w[:i], w[i:])
				continue
			}
		}
		out = append(out, w)
	}
	return out
}

// parseWords reads the keyword form: "foglio 37 particella 125", "F.37
// p.125", "fg 37 part 125", "E715 sez A fg 37 all B mapp 125", and two bare
// numbers "37 125" (foglio, particella).
func parseWords(in string) (Ref, error) {
	words := splitWords(in)
	var r Ref
	var bare []string
	var kept []string
	for _, w := range words {
		if !fillers[strings.ToLower(w)] {
			kept = append(kept, w)
		}
	}
	words = kept
	for i := 0; i < len(words); i++ {
		w := words[i]
		lw := strings.ToLower(w)
		if part, ok := keywords[lw]; ok {
			if i+1 >= len(words) {
				return Ref{}, &RefError{Input: in, Detail: fmt.Sprintf("%q is not followed by a value; %s", w, accepted)}
			}
			if _, isKW := keywords[strings.ToLower(words[i+1])]; isKW && !oneCharVal.MatchString(words[i+1]) {
				return Ref{}, &RefError{Input: in, Detail: fmt.Sprintf("%q is not followed by a value; %s", w, accepted)}
			}
			if err := r.set(in, part, words[i+1]); err != nil {
				return Ref{}, err
			}
			i++
			continue
		}
		switch {
		case belfiore.MatchString(w) && r.Comune == "":
			r.Comune = strings.ToUpper(w)
		case foglioVal.MatchString(w):
			bare = append(bare, w)
		default:
			return Ref{}, &RefError{Input: in, Detail: fmt.Sprintf("%q is not a part of a cadastral reference; %s", w, accepted)}
		}
	}
	// Bare numbers fill the foglio, then the particella, in that order.
	for _, b := range bare {
		switch {
		case r.Foglio == "":
			if err := r.set(in, "foglio", b); err != nil {
				return Ref{}, err
			}
		case r.Particella == "":
			if err := r.set(in, "particella", b); err != nil {
				return Ref{}, err
			}
		default:
			return Ref{}, &RefError{Input: in, Detail: fmt.Sprintf("%q is one number too many; %s", b, accepted)}
		}
	}
	if r.Foglio == "" && r.Comune != "" && strings.EqualFold(r.Comune[:1], "F") && r.Particella != "" {
		// "F037 p 125": F037 is the foglio, not a comune code.
		r.Foglio, r.Comune = TrimZeros(r.Comune[1:]), ""
	}
	if r.Foglio == "" {
		return Ref{}, &RefError{Input: in, Detail: "no foglio; " + accepted}
	}
	return r, nil
}

// set gives a part of the reference its value, checked; in is the whole
// text, for the messages.
func (r *Ref) set(in, part, v string) error {
	v = strings.ToUpper(v)
	switch part {
	case "comune":
		if !belfiore.MatchString(v) {
			return &RefError{Input: in, Detail: fmt.Sprintf("comune %q is not a Belfiore code (a letter and three digits, e.g. E715)", v)}
		}
		r.Comune = v
	case "sezione":
		if !oneCharVal.MatchString(v) {
			return &RefError{Input: in, Detail: fmt.Sprintf("sezione %q is not one letter or digit", v)}
		}
		r.Sezione, r.SezioneGiven = OptionalPart(v), true
	case "foglio":
		if !foglioVal.MatchString(v) {
			return &RefError{Input: in, Detail: fmt.Sprintf("foglio %q is not a sheet number (up to 4 digits, optionally a letter)", v)}
		}
		if r.Foglio != "" {
			return &RefError{Input: in, Detail: "the foglio is given twice"}
		}
		r.Foglio = TrimZeros(v)
	case "particella":
		if !number.MatchString(v) {
			return &RefError{Input: in, Detail: fmt.Sprintf("particella %q is not a number", v)}
		}
		if r.Particella != "" {
			return &RefError{Input: in, Detail: "the particella is given twice"}
		}
		r.Particella = TrimZeros(v)
	case "allegato":
		if !oneCharVal.MatchString(v) {
			return &RefError{Input: in, Detail: fmt.Sprintf("allegato %q is not one letter or digit", v)}
		}
		r.Allegato, r.AllegatoGiven = OptionalPart(v), true
	case "sviluppo":
		if !oneCharVal.MatchString(v) {
			return &RefError{Input: in, Detail: fmt.Sprintf("sviluppo %q is not one letter or digit", v)}
		}
		r.Sviluppo, r.SviluppoGiven = OptionalPart(v), true
	case "subalterno":
		if !number.MatchString(v) {
			return &RefError{Input: in, Detail: fmt.Sprintf("subalterno %q is not a number", v)}
		}
		r.Subalterno = TrimZeros(v)
	}
	return nil
}
