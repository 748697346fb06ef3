package reports

import (
	"context"
	"testing"
	"time"

	"github.com/sit-gis/sit/access"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/layers"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func rect(x1, y1, x2, y2 float64) orb.Polygon {
	return orb.Polygon{{{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}}}
}

// The zoning fixture, in degrees around Lucca. Parcel A (37/125) straddles
// zones B1 (west 30 %) and E1 (east 70 %) and its south 40 % is under the
// flood constraint P3. Parcel B (37/126) lies in E1 but for a strip
// 0.8 cm wide along its east side that belongs to zone F1: a border
// effect. Parcel C (37/127) sticks out of the plan (whose north edge is
// that of A and B) by a quarter of its height: partly unzoned.
const (
	px0, py0 = 10.500, 43.840
	pw, ph   = 0.0005, 0.0005
	splitA   = px0 + 0.3*pw
	bx0      = px0 + 0.0006
	sliverX  = bx0 + pw - 1e-7
	cx0      = px0 + 0.0012
	planTop  = py0 + ph
	floodTop = py0 + 0.4*ph
)

var (
	fixedNow     = time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)
	fixtureSince = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	parcelA      = rect(px0, py0, px0+pw, py0+ph)
	parcelB      = rect(bx0, py0, bx0+pw, py0+ph)
	parcelC      = rect(cx0, py0+0.25*ph, cx0+pw, py0+1.25*ph)
)

type fixture struct {
	pool  *pgxpool.Pool
	store *layers.Store
	cat   *layers.Catalog
	svc   *Service
}

func (f *fixture) load(t testing.TB, spec layers.ImportSpec, feats []layers.Feature) {
	t.Helper()
	if spec.SRID == 0 && spec.GeometryJoin == nil {
		spec.SRID = 4326
	}
	spec.Source = layers.SourceInfo{Name: spec.Layer + ".mem"}
	if spec.ValidFrom == nil {
		// The fixture's data describe the plan since 2020, so that reports
		// about past dates (before fixedNow) find them.
		spec.ValidFrom = &fixtureSince
	}
	if _, err := f.store.Import(context.Background(), spec, layers.NewSliceReader(feats)); err != nil {
		t.Fatalf("import %s: %v", spec.Layer, err)
	}
	if err := f.cat.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func newDB(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.Pool(t)
	if err := layers.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	f := &fixture{pool: pool, store: layers.NewStore(pool, nil), cat: layers.NewCatalog(pool, nil)}
	f.svc = New(pool, access.NewCatalog(f.cat), Options{Comune: "Comune di Prova", Now: func() time.Time { return fixedNow }})
	return f
}

func parcel(id int64, g orb.Polygon, particella string) layers.Feature {
	return layers.Feature{Record: id, Geometry: g, Props: map[string]any{"comune": "E715", "sezione": "", "foglio": "37",
		"particella": particella, "allegato": "0", "sviluppo": "0", "ref": "E715_003700." + particella}}
}

func zone(id int64, g orb.Polygon, code, class, desc, norm string) layers.Feature {
	return layers.Feature{Record: id, Geometry: g, Props: map[string]any{"zone_code": code, "zone_class": class,
		"description": desc, "norm_ref": norm, "plan": "Piano di prova"}}
}

// newZoningFixture loads the cadastre, zoning and constraint layers
// described above, with their roles.
func newZoningFixture(t testing.TB) *fixture {
	t.Helper()
	f := newDB(t)
	f.load(t, layers.ImportSpec{Layer: "t_parcels", Kind: layers.KindCadastral, Roles: []string{layers.RoleCadastre}},
		[]layers.Feature{parcel(1, parcelA, "125"), parcel(2, parcelB, "126"), parcel(3, parcelC, "127")})
	west, east := px0-0.001, px0+0.003
	south := py0 - 0.001
	f.load(t, layers.ImportSpec{Layer: "t_zoning", Kind: layers.KindZoning, Roles: []string{layers.RoleZoning}}, []layers.Feature{
		zone(1, rect(west, south, splitA, planTop), "B1", "B", "Zona B1 – completamento", "Art. 12 NTA"),
		zone(2, rect(splitA, south, sliverX, planTop), "E1", "E", "Zona E1 – agricola", "Art. 26 NTA"),
		zone(3, rect(sliverX, south, east, planTop), "F1", "F", "Zona F1 – attrezzature", "Art. 31 NTA"),
	})
	f.load(t, layers.ImportSpec{Layer: "t_vincoli", Kind: layers.KindConstraint, Roles: []string{layers.RoleConstraints}}, []layers.Feature{
		zone(1, rect(west, south, east, floodTop), "P3", "idraulico", "Pericolosità da alluvione elevata", "PGRA art. 7"),
	})
	return f
}
