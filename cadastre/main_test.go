package cadastre

import (
	"context"
	"testing"

	"github.com/sit-gis/sit/access"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/layers"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// The fixture: parcels are squares of side cell degrees (about 40 × 55 m
// in Lucca) in columns separated by road gaps of gap degrees.
const (
	x0, y0 = 10.50, 43.84
	cell   = 0.0005
	gap    = 0.0001
)

func square(col, row int) orb.Polygon {
	x := x0 + float64(col)*(cell+gap)
	y := y0 + float64(row)*(cell+gap)
	return orb.Polygon{{{x, y}, {x + cell, y}, {x + cell, y + cell}, {x, y + cell}, {x, y}}}
}

// centre of the square at (col, row).
func centre(col, row int) orb.Point {
	return orb.Point{x0 + float64(col)*(cell+gap) + cell/2, y0 + float64(row)*(cell+gap) + cell/2}
}

type fixture struct {
	pool *pgxpool.Pool
	cat  *layers.Catalog
	svc  *Service
}

func parcelFeature(id int64, g orb.Polygon, props map[string]any) layers.Feature {
	base := map[string]any{"comune": "E715", "sezione": "", "allegato": "0", "sviluppo": "0"}
	for k, v := range props {
		base[k] = v
	}
	return layers.Feature{Record: id, Geometry: g, Props: base}
}

// newFixture loads a small cadastre (role cadastre) and an address layer
// (role addresses) into a fresh database:
//   - foglio 37 particelle 125, 126, 127 side by side with roads between;
//   - foglio 12 particella 5 twice, in allegato A and B (ambiguous "12/5");
//   - a road polygon STRADA001 (tipo strada) in foglio 40;
//   - addresses VIA DEL FOSSO 12 (on 37/125, with parcel_ref), VIA DEL
//     FOSSO 120 (on 37/126), VIA DELL'ANFITEATRO 12/A (on 37/127, no parcel_ref),
//     PIAZZA DELLA LIBERTÀ 1 (on 37/127).
func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.Pool(t)
	if err := layers.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	store := layers.NewStore(pool, nil)
	parcels := []layers.Feature{
		parcelFeature(1, square(0, 0), map[string]any{"foglio": "37", "particella": "125", "ref": "E715_003700.125", "tipo": "particella"}),
		parcelFeature(2, square(1, 0), map[string]any{"foglio": "37", "particella": "126", "ref": "E715_003700.126", "tipo": "particella"}),
		parcelFeature(3, square(2, 0), map[string]any{"foglio": "37", "particella": "127", "ref": "E715_003700.127", "tipo": "particella"}),
		parcelFeature(4, square(0, 2), map[string]any{"foglio": "12", "particella": "5", "allegato": "A", "ref": "E715_0012A0.5", "tipo": "particella"}),
		parcelFeature(5, square(1, 2), map[string]any{"foglio": "12", "particella": "5", "allegato": "B", "ref": "E715_0012B0.5", "tipo": "particella"}),
		parcelFeature(6, square(0, 4), map[string]any{"foglio": "40", "particella": "STRADA001", "ref": "E715_004000.STRADA001", "tipo": "strada"}),
	}
	load := func(name string, kind layers.Kind, role string, feats []layers.Feature) {
		if _, err := store.Import(ctx, layers.ImportSpec{Layer: name, Kind: kind, SRID: 4326, Roles: []string{role},
			Source: layers.SourceInfo{Name: name + ".mem"}}, layers.NewSliceReader(feats)); err != nil {
			t.Fatalf("import %s: %v", name, err)
		}
	}
	load("test_parcels", layers.KindCadastral, layers.RoleCadastre, parcels)
	addr := func(id int64, pt orb.Point, street, civico, ref string) layers.Feature {
		return layers.Feature{Record: id, Geometry: pt, Props: map[string]any{"address": street + " " + civico, "street": street, "civico": civico, "parcel_ref": ref}}
	}
	load("test_addresses", layers.KindAddress, layers.RoleAddresses, []layers.Feature{
		addr(1, centre(0, 0), "VIA DEL FOSSO", "12", "E715_003700.125"),
		addr(2, centre(1, 0), "VIA DEL FOSSO", "120", "E715_003700.126"),
		addr(3, centre(2, 0), "VIA DELL'ANFITEATRO", "12/A", ""),
		addr(4, centre(2, 0), "PIAZZA DELLA LIBERTÀ", "1", "E715_003700.127"),
	})
	cat := layers.NewCatalog(pool, nil)
	if err := cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	return &fixture{pool: pool, cat: cat, svc: New(pool, access.NewCatalog(cat), Options{})}
}
