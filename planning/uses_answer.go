package planning

import (
	"fmt"
	"strings"
)

// Answer is the SUAP's answer: may the use be located here?
type Answer string

// The answers.
const (
	AnswerYes         Answer = "yes"
	AnswerNo          Answer = "no"
	AnswerConditional Answer = "conditional"
)

// ZoneUse is a zone a parcel lies in, under an instrument that applies,
// with what its table says of the use.
type ZoneUse struct {
	Plan       string  `json:"plan"`
	PlanName   string  `json:"plan_name"`
	PlanStatus Status  `json:"plan_status"`
	ZoneCode   string  `json:"zone_code"`
	AreaM2     float64 `json:"area_m2"`
	Pct        float64 `json:"pct"`
	// Listed is false when the zone's table does not name the use: a use
	// the rules do not list is not admitted.
	Listed bool `json:"listed"`
	Use
}

// status is what the row says, an unlisted use being excluded.
func (z ZoneUse) status() UseStatus {
	if !z.Listed {
		return UseExcluded
	}
	return z.Status
}

// Decision is the answer with its reasons.
type Decision struct {
	Answer  Answer   `json:"answer"`
	Label   string   `json:"answer_label"` // Italian
	Reasons []string `json:"reasons"`
}

// Decide answers for a parcel from its zones. Under the plan in force a
// use admitted (or excluded) in every zone is admitted (or excluded);
// admitted only in some zones, or admitted on conditions, is conditional
// (on the conditions, or on where in the parcel it goes). An adopted plan
// binds through its safeguard measures: where it covers the parcel the
// stricter of the two answers holds.
func Decide(zones []ZoneUse) Decision {
	var inForce, adopted []ZoneUse
	for _, z := range zones {
		if z.PlanStatus == StatusAdopted {
			adopted = append(adopted, z)
		} else {
			inForce = append(inForce, z)
		}
	}
	ans, reasons := combine(inForce)
	if len(adopted) > 0 {
		a2, r2 := combine(adopted)
		for _, r := range r2 {
			reasons = append(reasons, r+" (piano adottato: misure di salvaguardia)")
		}
		if len(inForce) == 0 || strictness(a2) > strictness(ans) {
			ans = a2
		}
	}
	return Decision{Answer: ans, Label: ans.label(), Reasons: reasons}
}

func combine(zs []ZoneUse) (Answer, []string) {
	var reasons []string
	counts := map[UseStatus]int{}
	for _, z := range zs {
		st := z.status()
		counts[st]++
		r := fmt.Sprintf("zona %s (%s): %s", z.ZoneCode, z.PlanName, st.Label())
		if !z.Listed {
			r += " – uso non previsto dalle norme della zona"
		}
		if z.Condition != "" {
			r += " – " + z.Condition
		}
		if z.Article != "" {
			r += " (" + z.Article + ")"
		}
		reasons = append(reasons, r)
	}
	switch {
	case len(zs) == 0:
		return AnswerNo, reasons
	case counts[UseAdmitted] == len(zs):
		return AnswerYes, reasons
	case counts[UseExcluded] == len(zs):
		return AnswerNo, reasons
	}
	if counts[UseExcluded] > 0 {
		reasons = append(reasons, "la risposta dipende dalla parte della particella: "+strings.TrimSpace(zoneList(zs)))
	}
	return AnswerConditional, reasons
}

func zoneList(zs []ZoneUse) string {
	var b strings.Builder
	for _, z := range zs {
		fmt.Fprintf(&b, " %s %s;", z.ZoneCode, z.status().Label())
	}
	return strings.TrimSuffix(b.String(), ";")
}

func strictness(a Answer) int {
	switch a {
	case AnswerNo:
		return 2
	case AnswerConditional:
		return 1
	}
	return 0
}

func (a Answer) label() string {
	switch a {
	case AnswerYes:
		return "sì, ammesso"
	case AnswerNo:
		return "no, non ammesso"
	}
	return "ammesso a condizione"
}
