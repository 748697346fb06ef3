package reports

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/planning"
)

// newPlanningFixture is the zoning fixture with a registered plan in force
// (t_zoning, its rules quoting Art. 12 and Art. 26) and a variant adopted
// on 03/02/2025 (t_variant over the west part of parcel A, zone B1v, its
// own Art. 12 bis).
func newPlanningFixture(t *testing.T) (*fixture, *planning.Store) {
	t.Helper()
	f := newZoningFixture(t)
	f.load(t, layers.ImportSpec{Layer: "t_variant", Kind: layers.KindZoning}, []layers.Feature{
		zone(1, rect(px0-0.001, py0-0.001, px0+0.2*pw, planTop), "B1v", "B", "Zona B1v – variante", "Art. 12 bis NTA"),
	})
	ctx := context.Background()
	ps := planning.NewStore(f.pool)
	day := func(s string) planning.Act {
		d, err := layers.ParseDay(s)
		if err != nil {
			t.Fatal(err)
		}
		return planning.Act{Date: d, Body: "Consiglio comunale"}
	}
	act := func(k planning.ActKind, num, date string) planning.Act {
		a := day(date)
		a.Kind, a.Number = k, num
		return a
	}
	steps := []error{
		ps.AddPlan(ctx, planning.Plan{Code: "po", Name: "Piano Operativo", Kind: planning.KindPO}),
		ps.AddAct(ctx, "po", act(planning.ActAdoption, "12", "2019-03-10")),
		ps.AddAct(ctx, "po", act(planning.ActApproval, "45", "2020-07-20")),
		ps.AddPlan(ctx, planning.Plan{Code: "var1", Name: "Variante al PO", Kind: planning.KindVariant, Parent: "po"}),
		ps.AddAct(ctx, "var1", act(planning.ActAdoption, "7", "2025-02-03")),
		ps.Attach(ctx, "po", "t_zoning", layers.RoleZoning),
		ps.Attach(ctx, "var1", "t_variant", layers.RoleZoning),
	}
	for _, err := range steps {
		if err != nil {
			t.Fatal(err)
		}
	}
	for plan, text := range map[string]string{
		"po":   "## Art. 12 – Zona B1\nNella zona B1 sono ammessi ampliamenti fino al 20 per cento.\n\n## Art. 26 – Zona E1\nLa zona E1 è agricola.\n",
		"var1": "## Art. 12 bis – Zona B1v\nNella zona B1v è ammesso il solo restauro.\n",
	} {
		arts, err := planning.ParseNTA(strings.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ps.ImportNTA(ctx, planning.NTAImport{Plan: plan, Articles: arts}); err != nil {
			t.Fatal(err)
		}
	}
	f.svc.opt.Planning = ps
	return f, ps
}

func TestZoningWithPlans(t *testing.T) {
	f, _ := newPlanningFixture(t)
	ctx := context.Background()
	rep, err := f.svc.Zoning(ctx, ZoningRequest{Parcels: []string{"37/125"}, WithMap: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Instruments) != 2 || rep.Instruments[0].Code != "po" || rep.Instruments[0].Status != planning.StatusInForce ||
		rep.Instruments[1].Code != "var1" || rep.Instruments[1].Status != planning.StatusAdopted || len(rep.Instruments[0].Acts) != 2 {
		t.Fatalf("instruments: %+v", rep.Instruments)
	}
	pr := rep.Parcels[0]
	if len(pr.Zoning) != 2 || pr.Totals.ZonedPct != 100 {
		t.Fatalf("zoning in force: %+v totals %+v", pr.Zoning, pr.Totals)
	}
	if len(pr.Adopted) != 1 || pr.Adopted[0].ZoneCode != "B1v" || pr.Adopted[0].Instrument != "var1" || pr.Adopted[0].Pct < 19.9 || pr.Adopted[0].Pct > 20.1 {
		t.Fatalf("adopted: %+v", pr.Adopted)
	}
	texts := map[string]string{}
	for _, zr := range pr.Articles {
		for _, q := range zr.Articles {
			texts[zr.ZoneCode+" "+q.Number] = q.Body
		}
	}
	if !strings.Contains(texts["B1 12"], "20 per cento") || !strings.Contains(texts["E1 26"], "agricola") || !strings.Contains(texts["B1v 12 bis"], "solo restauro") {
		t.Fatalf("articles: %v", texts)
	}
	if rep.NTAVersions["po"] != 1 || rep.NTAVersions["var1"] != 1 {
		t.Fatalf("nta versions %v", rep.NTAVersions)
	}
	var html, pdf bytes.Buffer
	if err := WriteZoningHTML(&html, rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Strumenti urbanistici", "Variante al PO", "adottato – in salvaguardia", "Delibera del Consiglio comunale n. 45 del 20/07/2020",
		"misure di salvaguardia", "B1v", "Nella zona B1 sono ammessi ampliamenti fino al 20 per cento."} {
		if !strings.Contains(html.String(), want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if err := WriteZoningPDF(&pdf, rep); err != nil {
		t.Fatal(err)
	}
	if bin, err := exec.LookPath("pdftotext"); err == nil {
		cmd := exec.Command(bin, "-", "-")
		cmd.Stdin = &pdf
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		for _, want := range []string{"Strumenti urbanistici vigenti e adottati", "Variante al PO", "Allegato – Norme applicabili", "solo restauro"} {
			if !strings.Contains(text, want) {
				t.Errorf("PDF text lacks %q", want)
			}
		}
	}
}

func TestZoningPlansBeforeTheVariant(t *testing.T) {
	f, _ := newPlanningFixture(t)
	at, err := layers.ParseAsOf("2025-01-31", fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := f.svc.Zoning(context.Background(), ZoningRequest{Parcels: []string{"37/125"}, At: at})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Instruments) != 1 || rep.Instruments[0].Code != "po" {
		t.Fatalf("instruments: %+v", rep.Instruments)
	}
	for _, s := range rep.Sources {
		if s.Layer == "t_variant" {
			t.Fatal("the variant's layer is a source before its adoption")
		}
	}
	if pr := rep.Parcels[0]; len(pr.Adopted) != 0 || len(pr.Zoning) != 2 {
		t.Fatalf("parcel: %+v", pr)
	}
}
