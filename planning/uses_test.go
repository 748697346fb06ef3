package planning

import (
	"strings"
	"testing"
)

func TestParseUses(t *testing.T) {
	src := "zona;uso;descrizione;stato;condizioni;articolo\n" +
		"A;residenziale;Residenza;ammesso;;Art. 12\n" +
		"A;commerciale.vicinato;Esercizi di vicinato;condizionato;solo al piano terra;Art. 12 c. 3\n" +
		"A;produttivo;Industria;escluso;;Art. 12\n\n"
	us, err := ParseUses(strings.NewReader(src), "po")
	if err != nil {
		t.Fatal(err)
	}
	if len(us) != 3 || us[1].Status != UseConditional || us[1].Condition != "solo al piano terra" || us[2].Status != UseExcluded || us[0].Plan != "po" {
		t.Fatalf("%+v", us)
	}
	bad := map[string]string{
		"no status column":       "zone_code,use\nA,x\n",
		"bad status":             "zone_code,use,status\nA,x,forse\n",
		"conditional, no reason": "zone_code,use,status\nA,x,conditional\n",
		"bad code":               "zone_code,use,status\nA,Uso Strano!,admitted\n",
		"duplicate":              "zone_code,use,status\nA,x,admitted\nA,x,excluded\n",
		"empty":                  "zone_code,use,status\n",
	}
	for name, src := range bad {
		if _, err := ParseUses(strings.NewReader(src), "po"); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestDecide(t *testing.T) {
	zu := func(zone string, st UseStatus, listed bool, plan Status) ZoneUse {
		return ZoneUse{Plan: "p", PlanName: "P", PlanStatus: plan, ZoneCode: zone, Listed: listed,
			Use: Use{Status: st, Article: "Art. 1", Condition: map[UseStatus]string{UseConditional: "a condizione"}[st]}}
	}
	cases := []struct {
		name  string
		zones []ZoneUse
		want  Answer
	}{
		{"admitted in the one zone", []ZoneUse{zu("B1", UseAdmitted, true, StatusInForce)}, AnswerYes},
		{"excluded", []ZoneUse{zu("E1", UseExcluded, true, StatusInForce)}, AnswerNo},
		{"not listed is excluded", []ZoneUse{zu("E1", "", false, StatusInForce)}, AnswerNo},
		{"conditional", []ZoneUse{zu("A", UseConditional, true, StatusInForce)}, AnswerConditional},
		{"admitted in one zone, excluded in the other", []ZoneUse{zu("B1", UseAdmitted, true, StatusInForce), zu("F2", UseExcluded, true, StatusInForce)}, AnswerConditional},
		{"admitted everywhere", []ZoneUse{zu("B1", UseAdmitted, true, StatusInForce), zu("B2", UseAdmitted, true, StatusInForce)}, AnswerYes},
		{"safeguard: the adopted plan excludes", []ZoneUse{zu("A", UseAdmitted, true, StatusInForce), zu("A1", UseExcluded, true, StatusAdopted)}, AnswerNo},
		{"safeguard: the adopted plan is laxer", []ZoneUse{zu("A", UseExcluded, true, StatusInForce), zu("A1", UseAdmitted, true, StatusAdopted)}, AnswerNo},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Decide(c.zones)
			if got.Answer != c.want || got.Label == "" || len(got.Reasons) < len(c.zones) {
				t.Fatalf("%+v, want %s", got, c.want)
			}
			for _, r := range got.Reasons[:len(c.zones)] {
				if !strings.Contains(r, "Art. 1") {
					t.Errorf("reason without the article: %q", r)
				}
			}
		})
	}
}
