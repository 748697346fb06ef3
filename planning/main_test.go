package planning

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/layers"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// fixture is a database with the planning register and two small zoning
// layers (the plan in force and a variant) to attach.
type fixture struct {
	pool  *pgxpool.Pool
	store *Store
}

func rect(x1, y1, x2, y2 float64) orb.Polygon {
	return orb.Polygon{{{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}}}
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.Pool(t)
	if err := layers.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	ls := layers.NewStore(pool, nil)
	for _, l := range []struct {
		name  string
		kind  layers.Kind
		codes []string
	}{{"po_zone", layers.KindZoning, []string{"A", "B1"}}, {"var_zone", layers.KindZoning, []string{"A1"}}, {"vincoli", layers.KindConstraint, []string{"P3"}}} {
		var feats []layers.Feature
		for i, c := range l.codes {
			x := 10.5 + float64(i)*0.001
			feats = append(feats, layers.Feature{Record: int64(i + 1), Geometry: rect(x, 43.84, x+0.001, 43.841),
				Props: map[string]any{"zone_code": c, "norm_ref": ""}})
		}
		if _, err := ls.Import(ctx, layers.ImportSpec{Layer: l.name, Kind: l.kind, SRID: 4326, Source: layers.SourceInfo{Name: l.name + ".mem"}},
			layers.NewSliceReader(feats)); err != nil {
			t.Fatal(err)
		}
	}
	return &fixture{pool: pool, store: NewStore(pool)}
}

// register adds the demo-like pair: PO in force since 12/08/2020 and a
// variant adopted on 03/02/2025, each with its layer.
func (f *fixture) register(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.store.AddPlan(ctx, Plan{Code: "po", Name: "Piano Operativo", Kind: KindPO}))
	must(f.store.AddAct(ctx, "po", Act{Kind: ActAdoption, Number: "12", Date: d("2019-03-10"), Body: "Consiglio comunale"}))
	must(f.store.AddAct(ctx, "po", Act{Kind: ActApproval, Number: "45", Date: d("2020-07-20"), Body: "Consiglio comunale"}))
	must(f.store.AddAct(ctx, "po", Act{Kind: ActEfficacy, Publication: "BURT n. 32", Date: d("2020-08-12")}))
	must(f.store.AddPlan(ctx, Plan{Code: "var-centro", Name: "Variante centro storico", Kind: KindVariant, Parent: "po"}))
	must(f.store.AddAct(ctx, "var-centro", Act{Kind: ActAdoption, Number: "7", Date: d("2025-02-03"), Body: "Consiglio comunale"}))
	must(f.store.Attach(ctx, "po", "po_zone", layers.RoleZoning))
	must(f.store.Attach(ctx, "po", "vincoli", layers.RoleConstraints))
	must(f.store.Attach(ctx, "var-centro", "var_zone", layers.RoleZoning))
}

var fixedNow = time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)
