package reports

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sit-gis/sit/planning"
)

func TestHandleUses(t *testing.T) {
	f, ps := newPlanningFixture(t)
	ctx := context.Background()
	for plan, csv := range map[string]string{
		"po": "zone_code,use,label,status,condition,article\n" +
			"E1,agriturismo,Agriturismo,admitted,,Art. 26\n" +
			"E1,commerciale.vicinato,Esercizio di vicinato,excluded,,Art. 26\n" +
			"E1,residenziale,Residenza,conditional,solo per imprenditori agricoli,Art. 26 c. 2\n" +
			"B1,commerciale.vicinato,Esercizio di vicinato,admitted,,Art. 12\n",
		"var1": "zone_code,use,status,article\nB1v,commerciale.vicinato,excluded,Art. 12 bis\n",
	} {
		us, err := planning.ParseUses(strings.NewReader(csv), plan)
		if err != nil {
			t.Fatal(err)
		}
		if err := ps.ImportUses(ctx, plan, us); err != nil {
			t.Fatal(err)
		}
	}
	answer := func(want planning.Answer, article, more string) func(t *testing.T, body []byte) {
		return func(t *testing.T, body []byte) {
			t.Helper()
			var a UsesAnswer
			if err := json.Unmarshal(body, &a); err != nil {
				t.Fatal(err)
			}
			all := strings.Join(a.Reasons, " | ")
			if a.Answer != want || !strings.Contains(all, article) || !strings.Contains(all, more) || a.Notice == "" {
				t.Fatalf("answer %s (%s), want %s with %q and %q", a.Answer, all, want, article, more)
			}
		}
	}
	runHTTP(t, f.svc, []httpCase{
		{name: "admitted", path: "/reports/uses?parcel=37/126&use=agriturismo", wantStatus: 200, wantType: JSONType, check: answer(planning.AnswerYes, "Art. 26", "zona E1")},
		{name: "excluded", path: "/reports/uses?parcel=37/126&use=commerciale.vicinato", wantStatus: 200, wantType: JSONType, check: answer(planning.AnswerNo, "Art. 26", "escluso")},
		{name: "conditional", path: "/reports/uses?parcel=37/126&use=residenziale", wantStatus: 200, wantType: JSONType, check: answer(planning.AnswerConditional, "Art. 26 c. 2", "solo per imprenditori agricoli")},
		{name: "by label", path: "/reports/uses?parcel=37/126&use=Agriturismo", wantStatus: 200, wantType: JSONType, check: answer(planning.AnswerYes, "Art. 26", "")},
		{name: "the adopted variant's safeguard excludes", path: "/reports/uses?parcel=37/125&use=commerciale.vicinato", wantStatus: 200, wantType: JSONType,
			check: answer(planning.AnswerNo, "Art. 12 bis", "salvaguardia")},
		{name: "before the variant: depends on the zone", path: "/reports/uses?parcel=37/125&use=commerciale.vicinato&at=2025-01-31", wantStatus: 200, wantType: JSONType,
			check: answer(planning.AnswerConditional, "Art. 12", "dipende dalla parte")},
		{name: "unknown use", path: "/reports/uses?parcel=37/126&use=astronave", wantStatus: 400, wantParam: "use"},
		{name: "no use", path: "/reports/uses?parcel=37/126", wantStatus: 400, wantParam: "use"},
		{name: "no parcel", path: "/reports/uses?use=agriturismo", wantStatus: 400, wantParam: "parcel"},
		{name: "unknown parcel", path: "/reports/uses?parcel=37/999&use=agriturismo", wantStatus: 404, wantParam: "parcel"},
		{name: "bad date", path: "/reports/uses?parcel=37/126&use=agriturismo&at=domani", wantStatus: 400, wantParam: "at"},
		{name: "bad format", path: "/reports/uses?parcel=37/126&use=agriturismo&f=pdf", wantStatus: 400, wantParam: "f"},
		{name: "unknown parameter", path: "/reports/uses?parcel=37/126&use=agriturismo&zone=E1", wantStatus: 400, wantParam: "zone"},
	})
}
