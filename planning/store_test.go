package planning

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sit-gis/sit/layers"
)

func TestRegister(t *testing.T) {
	f := newFixture(t)
	f.register(t)
	ctx := context.Background()
	ins, err := f.store.Instruments(ctx, layers.EndOfDay(d("2025-06-01")))
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != 2 || ins[0].Code != "po" || ins[0].Status != StatusInForce || ins[1].Code != "var-centro" || ins[1].Status != StatusAdopted {
		t.Fatalf("instruments: %+v", ins)
	}
	if len(ins[0].Acts) != 3 || ins[0].Acts[0].Describe() != "Delibera del Consiglio comunale n. 12 del 10/03/2019" || len(ins[0].Layers) != 2 {
		t.Fatalf("po: %+v", ins[0].Plan)
	}
	before, err := f.store.Instruments(ctx, layers.EndOfDay(d("2025-02-02")))
	if err != nil {
		t.Fatal(err)
	}
	if before[1].Status != StatusNotAdopted {
		t.Fatalf("variant before its adoption: %s", before[1].Status)
	}
	bad := map[string]error{
		"duplicate plan":           f.store.AddPlan(ctx, Plan{Code: "po", Name: "x", Kind: KindPO}),
		"bad code":                 f.store.AddPlan(ctx, Plan{Code: "PO 2020", Name: "x", Kind: KindPO}),
		"variant without parent":   f.store.AddPlan(ctx, Plan{Code: "v2", Name: "x", Kind: KindVariant}),
		"unknown parent":           f.store.AddPlan(ctx, Plan{Code: "v3", Name: "x", Kind: KindVariant, Parent: "nope"}),
		"approval before adoption": f.store.AddAct(ctx, "var-centro", Act{Kind: ActApproval, Date: d("2025-01-01")}),
		"act of unknown plan":      f.store.AddAct(ctx, "nope", Act{Kind: ActAdoption, Date: d("2025-01-01")}),
		"unknown layer":            f.store.Attach(ctx, "po", "nope", layers.RoleZoning),
		"layer of another plan":    f.store.Attach(ctx, "var-centro", "po_zone", layers.RoleZoning),
		"bad role":                 f.store.Attach(ctx, "po", "po_zone", "cadastre"),
	}
	for name, err := range bad {
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestRulesByDate(t *testing.T) {
	f := newFixture(t)
	f.register(t)
	ctx := context.Background()
	v1 := "## Art. 12 – Zona A\nZone: A\nTesto della zona A, prima versione.\n\n## Art. 15 – Zona B1\nTesto B1.\n"
	arts, err := ParseNTA(strings.NewReader(v1))
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.store.ImportNTA(ctx, NTAImport{Plan: "po", Articles: arts, SourceName: "nta-v1.md"})
	if err != nil {
		t.Fatal(err)
	}
	// The plan's first text is valid from its first act.
	if got.Version != 1 || got.Articles != 2 || got.Zones != 1 || !got.ValidFrom.Equal(d("2019-03-10")) {
		t.Fatalf("v1: %+v", got)
	}
	arts2, _ := ParseNTA(strings.NewReader(strings.Replace(v1, "prima versione", "seconda versione", 1)))
	from := d("2024-01-01")
	if _, err := f.store.ImportNTA(ctx, NTAImport{Plan: "po", Articles: arts2, SourceName: "nta-v2.md", ValidFrom: &from}); err != nil {
		t.Fatal(err)
	}
	varArts, _ := ParseNTA(strings.NewReader("## Art. 12 bis – Zona A1\nTesto A1.\n"))
	if _, err := f.store.ImportNTA(ctx, NTAImport{Plan: "var-centro", Articles: varArts, Zones: map[string][]string{"A1": {"12 bis"}}}); err != nil {
		t.Fatal(err)
	}
	refs := []ZoneRef{{Layer: "po_zone", ZoneCode: "A"}, {Layer: "po_zone", ZoneCode: "B1", NormRef: "Art. 15 NTA"},
		{Layer: "var_zone", ZoneCode: "A1", NormRef: "Art. 12 NTA"}, {Layer: "unattached", ZoneCode: "A", NormRef: "Art. 12"}}
	for _, c := range []struct {
		at      string
		want    string
		po      int
		variant bool
	}{{"2023-12-31", "prima versione", 1, false}, {"2024-01-01", "seconda versione", 2, false}, {"2025-02-03", "seconda versione", 2, true}} {
		qs, used, err := f.store.Rules(ctx, layers.EndOfDay(d(c.at)), refs)
		if err != nil {
			t.Fatal(err)
		}
		a := qs[refs[0]]
		if len(a) != 1 || a[0].Number != "12" || !strings.Contains(a[0].Body, c.want) || a[0].Version != c.po || used["po"] != c.po {
			t.Fatalf("at %s zone A: %+v (used %v)", c.at, a, used)
		}
		if b := qs[refs[1]]; len(b) != 1 || b[0].Number != "15" {
			t.Fatalf("at %s zone B1 (norm_ref): %+v", c.at, b)
		}
		// The variant's own article (its text is valid from its adoption),
		// and its norm_ref's article from the parent's rules.
		v := qs[refs[2]]
		switch {
		case len(v) == 0 || v[0].Number != "12" || v[0].Plan != "po":
			t.Fatalf("at %s zone A1: %+v", c.at, v)
		case c.variant && (len(v) != 2 || v[1].Number != "12 bis" || v[1].Plan != "var-centro" || used["var-centro"] != 1):
			t.Fatalf("at %s zone A1: %+v", c.at, v)
		case !c.variant && len(v) != 1:
			t.Fatalf("at %s zone A1, before the variant: %+v", c.at, v)
		}
		if _, ok := qs[refs[3]]; ok {
			t.Fatal("a layer of no plan got articles")
		}
	}
	early := d("2020-01-01")
	if _, err := f.store.ImportNTA(ctx, NTAImport{Plan: "po", Articles: arts2, ValidFrom: &early}); err == nil {
		t.Fatal("a version earlier than the last accepted")
	}
	if _, err := f.store.ImportNTA(ctx, NTAImport{Plan: "po", Articles: arts2, Zones: map[string][]string{"B1": {"99"}}}); err == nil {
		t.Fatal("a link to a missing article accepted")
	}
	v, err := f.store.AttachArticles(ctx, "po", "B2", []string{"15"})
	if err != nil || v.Version != 3 || v.Zones != 2 {
		t.Fatalf("attach: %+v %v", v, err)
	}
	if _, err := f.store.AttachArticles(ctx, "nope", "B2", []string{"15"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("attach to unknown plan: %v", err)
	}
	qs, _, err := f.store.Rules(ctx, time.Now(), []ZoneRef{{Layer: "po_zone", ZoneCode: "B2"}})
	if err != nil || len(qs) != 1 {
		t.Fatalf("B2 after attach: %v %v", qs, err)
	}
}

func TestUsesStore(t *testing.T) {
	f := newFixture(t)
	f.register(t)
	ctx := context.Background()
	us, err := ParseUses(strings.NewReader("zone_code,use,label,status,condition,article\nA,residenziale,Residenza,admitted,,Art. 12\nA,commerciale.vicinato,Vicinato,conditional,al piano terra,Art. 12 c. 3\n"), "po")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.ImportUses(ctx, "po", us); err != nil {
		t.Fatal(err)
	}
	if err := f.store.ImportUses(ctx, "po", us[:1]); err != nil { // replaces
		t.Fatal(err)
	}
	if u, ok, err := f.store.UseIn(ctx, "po", "A", "commerciale.vicinato"); err != nil || ok {
		t.Fatalf("replaced row still there: %+v %v %v", u, ok, err)
	}
	if u, ok, err := f.store.UseIn(ctx, "po", "A", "residenziale"); err != nil || !ok || u.Status != UseAdmitted || u.Article != "Art. 12" {
		t.Fatalf("%+v %v %v", u, ok, err)
	}
	if c, err := f.store.ResolveUse(ctx, "RESIDENZA"); err != nil || c != "residenziale" {
		t.Fatalf("resolve by label: %q %v", c, err)
	}
	if _, err := f.store.ResolveUse(ctx, "astronave"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown use: %v", err)
	}
	if err := f.store.ImportUses(ctx, "nope", us); err == nil {
		t.Fatal("uses of an unknown plan accepted")
	}
}
