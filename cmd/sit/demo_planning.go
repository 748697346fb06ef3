package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/sit-gis/sit/data"
	"github.com/sit-gis/sit/data/synth"
	"github.com/sit-gis/sit/ingest"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/planning"
)

// demoPlans are the demo's planning instruments (synthetic acts): the
// Piano Operativo in force, drawn by the synthetic zoning, and a variant
// adopted over the north-east quarter of the walled centre.
func demoPlans() []struct {
	plan  planning.Plan
	acts  []planning.Act
	layer string
	nta   string
	uses  string
} {
	day := func(s string) planning.Act {
		d, err := layers.ParseDay(s)
		if err != nil {
			panic(err) // the dates below are constants
		}
		return planning.Act{Date: d, Body: "Consiglio comunale"}
	}
	act := func(k planning.ActKind, num, date, pub string) planning.Act {
		a := day(date)
		a.Kind, a.Number, a.Publication = k, num, pub
		return a
	}
	return []struct {
		plan  planning.Plan
		acts  []planning.Act
		layer string
		nta   string
		uses  string
	}{
		{planning.Plan{Code: "po", Name: "Piano Operativo Comunale (dati sintetici)", Kind: planning.KindPO},
			[]planning.Act{act(planning.ActAdoption, "18", "2018-03-13", ""), act(planning.ActApproval, "107", "2019-12-17", ""),
				act(planning.ActEfficacy, "", "2020-01-22", "BURT n. 4 parte II")},
			synth.LayerZoning, "planning/nta_po.md", "planning/usi_po.csv"},
		{planning.Plan{Code: "var-centro", Name: "Variante al PO per il centro storico (dati sintetici)", Kind: planning.KindVariant, Parent: "po"},
			[]planning.Act{act(planning.ActAdoption, "64", "2025-09-30", "")},
			"variante_centro", "planning/nta_variante_centro.md", "planning/usi_variante_centro.csv"},
	}
}

// loadDemoPlanning imports the variant's zones and registers the demo's
// plans with their acts, rules and tables of uses.
func (a *app) loadDemoPlanning(ctx context.Context, out, errOut io.Writer, store *layers.Store, dir string) error {
	p, err := data.Extract("planning/variante_centro.geojson", dir)
	if err != nil {
		return err
	}
	if err := a.importPath(ctx, out, errOut, store, ingest.Request{Path: p, Layer: "variante_centro", Kind: string(layers.KindZoning),
		Title: "Variante al PO – centro storico (adottata, sintetica)", Synthetic: true,
		Description: "Zona A1 della variante adottata al Piano Operativo per il quadrante nord-est del centro storico: dati sintetici."}); err != nil {
		return fmt.Errorf("import the variant: %w", err)
	}
	ps := planning.NewStore(store.Pool())
	if err := ps.RemovePlans(ctx); err != nil {
		return err
	}
	for _, d := range demoPlans() {
		if err := ps.AddPlan(ctx, d.plan); err != nil {
			return err
		}
		for _, act := range d.acts {
			if err := ps.AddAct(ctx, d.plan.Code, act); err != nil {
				return err
			}
		}
		if err := ps.Attach(ctx, d.plan.Code, d.layer, layers.RoleZoning); err != nil {
			return err
		}
		if err := demoRules(ctx, ps, d.plan.Code, d.nta, d.uses, dir); err != nil {
			return err
		}
	}
	fmt.Fprintln(out, "registered the demo plans: po (in force) and var-centro (adopted), with their rules and uses (synthetic)")
	return nil
}

func demoRules(ctx context.Context, ps *planning.Store, plan, nta, uses, dir string) error {
	b, err := fs.ReadFile(data.Files(), nta)
	if err != nil {
		return err
	}
	arts, err := planning.ParseNTA(strings.NewReader(string(b)))
	if err != nil {
		return fmt.Errorf("%s: %w", nta, err)
	}
	if _, err := ps.ImportNTA(ctx, planning.NTAImport{Plan: plan, Articles: arts, SourceName: nta}); err != nil {
		return err
	}
	path, err := data.Extract(uses, dir)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	us, err := planning.ParseUses(f, plan)
	if err != nil {
		return fmt.Errorf("%s: %w", uses, err)
	}
	return ps.ImportUses(ctx, plan, us)
}
