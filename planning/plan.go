// Package planning holds the planning domain of a comune: the register of
// planning instruments (piani and varianti) with their acts, the layers
// that draw them, the text of their rules (Norme Tecniche di Attuazione)
// by article, the admitted uses of their zones, and the register of the
// zoning certificates issued. It knows nothing of HTTP in its core; the
// handlers beside it are thin. The reports package renders what it holds.
package planning

import (
	"fmt"
	"strings"
	"time"

	"github.com/sit-gis/sit/layers"
)

// Kind is the kind of a planning instrument.
type Kind string

// The kinds of instruments an Italian comune registers. PS and PO are
// Tuscany's pair (LR 65/2014: structural plan, operational plan), PRG the
// older general plan most regions still have.
const (
	KindPS      Kind = "PS"      // piano strutturale
	KindPO      Kind = "PO"      // piano operativo
	KindPRG     Kind = "PRG"     // piano regolatore generale
	KindVariant Kind = "variant" // variante (of its parent)
	KindPA      Kind = "PA"      // piano attuativo
	KindOther   Kind = "other"   // any other instrument (a sector plan)
)

// Kinds lists the kinds in the order of the CLI's help.
func Kinds() []Kind { return []Kind{KindPS, KindPO, KindPRG, KindVariant, KindPA, KindOther} }

// Label names a kind in Italian.
func (k Kind) Label() string {
	switch k {
	case KindPS:
		return "Piano Strutturale"
	case KindPO:
		return "Piano Operativo"
	case KindPRG:
		return "Piano Regolatore Generale"
	case KindVariant:
		return "Variante"
	case KindPA:
		return "Piano Attuativo"
	}
	return "Strumento urbanistico"
}

// ParseKind reads a kind (case-insensitive; "variante" for variant).
func ParseKind(s string) (Kind, error) {
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, "variante") {
		return KindVariant, nil
	}
	for _, k := range Kinds() {
		if strings.EqualFold(t, string(k)) {
			return k, nil
		}
	}
	return "", fmt.Errorf("kind %q: want one of %s", s, joinKinds())
}

func joinKinds() string {
	var s []string
	for _, k := range Kinds() {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}

// ActKind is the kind of an act of a plan's life.
type ActKind string

// The acts: adoption starts the safeguard measures, approval (in force
// from its efficacy, the publication, when one is recorded) makes the plan
// the one in force, expiry ends it (decadenza, revoca, a plan replacing it).
const (
	ActAdoption ActKind = "adoption"
	ActApproval ActKind = "approval"
	ActEfficacy ActKind = "efficacy"
	ActExpiry   ActKind = "expiry"
)

// ActKinds lists the act kinds.
func ActKinds() []ActKind { return []ActKind{ActAdoption, ActApproval, ActEfficacy, ActExpiry} }

// Label names an act kind in Italian.
func (k ActKind) Label() string {
	switch k {
	case ActAdoption:
		return "adozione"
	case ActApproval:
		return "approvazione"
	case ActEfficacy:
		return "efficacia (pubblicazione)"
	case ActExpiry:
		return "cessazione"
	}
	return string(k)
}

// ParseActKind reads an act kind, in English or Italian.
func ParseActKind(s string) (ActKind, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "adozione":
		return ActAdoption, nil
	case "approvazione":
		return ActApproval, nil
	case "efficacia", "pubblicazione", "publication":
		return ActEfficacy, nil
	case "decadenza", "revoca", "cessazione":
		return ActExpiry, nil
	}
	for _, k := range ActKinds() {
		if t == string(k) {
			return k, nil
		}
	}
	return "", fmt.Errorf("act kind %q: want adoption, approval, efficacy or expiry", s)
}

// Act is one act of a plan: a resolution with its number and date.
type Act struct {
	Kind        ActKind   `json:"kind"`
	Label       string    `json:"label"` // Italian
	Number      string    `json:"number,omitempty"`
	Date        time.Time `json:"date"` // a calendar day (midnight, Italian time)
	Body        string    `json:"body,omitempty"`
	Title       string    `json:"title,omitempty"`
	Publication string    `json:"publication,omitempty"`
}

// Describe writes the act as an office writes it: "Delibera del Consiglio
// comunale n. 12 del 10/03/2020".
func (a Act) Describe() string {
	var b strings.Builder
	b.WriteString("Delibera")
	if a.Body != "" {
		b.WriteString(" " + articulated(a.Body))
	}
	if a.Number != "" {
		b.WriteString(" n. " + a.Number)
	}
	b.WriteString(" del " + a.Date.In(layers.Rome()).Format("02/01/2006"))
	if a.Kind == ActEfficacy {
		b.Reset()
		b.WriteString("Pubblicazione")
		if a.Publication != "" {
			b.WriteString(" " + a.Publication)
		}
		b.WriteString(" del " + a.Date.In(layers.Rome()).Format("02/01/2006"))
		return b.String()
	}
	if a.Publication != "" {
		b.WriteString(" (" + a.Publication + ")")
	}
	return b.String()
}

// articulated puts the Italian preposition before a body's name: "del
// Consiglio comunale", "della Giunta comunale".
func articulated(body string) string {
	l := strings.ToLower(body)
	switch {
	case strings.HasPrefix(l, "giunta"), strings.HasPrefix(l, "conferenza"):
		return "della " + body
	case strings.HasPrefix(l, "consiglio"), strings.HasPrefix(l, "commissario"):
		return "del " + body
	}
	return "– " + body
}

// Plan is one planning instrument of the register.
type Plan struct {
	Code           string      `json:"code"`
	Name           string      `json:"name"`
	Kind           Kind        `json:"kind"`
	KindLabel      string      `json:"kind_label"`
	Parent         string      `json:"parent,omitempty"`
	Description    string      `json:"description,omitempty"`
	SafeguardGiven *time.Time  `json:"safeguard_until_given,omitempty"`
	Acts           []Act       `json:"acts"`
	Layers         []PlanLayer `json:"layers"`
}

// PlanLayer is a layer drawing a plan, with its part: zoning or constraints.
type PlanLayer struct {
	Layer string `json:"layer"`
	Role  string `json:"role"`
}

// SafeguardYears is how long the safeguard measures of an adopted plan
// last when the register says nothing else: DPR 380/2001 art. 12 c. 3
// (three years from adoption; five when the plan was sent for approval
// within a year, which the office records with --safeguard-until).
const SafeguardYears = 3
