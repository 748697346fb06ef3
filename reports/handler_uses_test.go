package reports

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/httpx/httpxtest"
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
	httpxtest.Run(t, f.svc, []httpxtest.Case{
		{Name: "admitted", Path: "/reports/uses?parcel=37/126&use=agriturismo", Status: 200, Type: JSONType, Check: answer(planning.AnswerYes, "Art. 26", "zona E1")},
		{Name: "excluded", Path: "/reports/uses?parcel=37/126&use=commerciale.vicinato", Status: 200, Type: JSONType, Check: answer(planning.AnswerNo, "Art. 26", "escluso")},
		{Name: "conditional", Path: "/reports/uses?parcel=37/126&use=residenziale", Status: 200, Type: JSONType, Check: answer(planning.AnswerConditional, "Art. 26 c. 2", "solo per imprenditori agricoli")},
		{Name: "by label", Path: "/reports/uses?parcel=37/126&use=Agriturismo", Status: 200, Type: JSONType, Check: answer(planning.AnswerYes, "Art. 26", "")},
		{Name: "the adopted variant's safeguard excludes", Path: "/reports/uses?parcel=37/125&use=commerciale.vicinato", Status: 200, Type: JSONType,
			Check: answer(planning.AnswerNo, "Art. 12 bis", "salvaguardia")},
		{Name: "before the variant: depends on the zone", Path: "/reports/uses?parcel=37/125&use=commerciale.vicinato&at=2025-01-31", Status: 200, Type: JSONType,
			Check: answer(planning.AnswerConditional, "Art. 12", "dipende dalla parte")},
		{Name: "unknown use", Path: "/reports/uses?parcel=37/126&use=astronave", Status: 400, Param: "use"},
		{Name: "no use", Path: "/reports/uses?parcel=37/126", Status: 400, Param: "use"},
		{Name: "no parcel", Path: "/reports/uses?use=agriturismo", Status: 400, Param: "parcel"},
		{Name: "unknown parcel", Path: "/reports/uses?parcel=37/999&use=agriturismo", Status: 404, Param: "parcel"},
		{Name: "bad date", Path: "/reports/uses?parcel=37/126&use=agriturismo&at=domani", Status: 400, Param: "at"},
		{Name: "bad format", Path: "/reports/uses?parcel=37/126&use=agriturismo&f=pdf", Status: 400, Param: "f"},
		{Name: "unknown parameter", Path: "/reports/uses?parcel=37/126&use=agriturismo&zone=E1", Status: 400, Param: "zone"},
	})
}
