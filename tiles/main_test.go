package tiles

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/tiles/internal/fixture"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// small is the box of the test parcels: about 1.6 × 1.1 km in Lucca, so
// that a z16 tile holds a few dozen of them and some cross its edges.
var small = orb.Bound{Min: orb.Point{10.49, 43.84}, Max: orb.Point{10.51, 43.85}}

// testDB is a fresh database with three layers: parcels (cadastral),
// zoning and broadband, and a catalog over it.
type testDB struct {
	pool  *pgxpool.Pool
	store *layers.Store
	cat   *layers.Catalog
}

func newTestDB(t *testing.T) *testDB { return newTestDBB(t) }

func newTestDBB(t testing.TB) *testDB {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.Pool(t)
	if err := layers.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	db := &testDB{pool: pool, store: layers.NewStore(pool, nil), cat: layers.NewCatalog(pool, nil)}
	db.load(t, "parcels", layers.KindCadastral, fixture.Parcels(2000, small, 1))
	db.load(t, "zoning", layers.KindZoning, fixture.Zoning(4, 3, small))
	db.load(t, "broadband", layers.KindBroadband, fixture.Broadband(300, small, 1))
	return db
}

// load imports features (replacing the layer) and refreshes the catalog,
// as the NOTIFY would.
func (db *testDB) load(t testing.TB, name string, kind layers.Kind, feats []layers.Feature) {
	t.Helper()
	db.loadNoRefresh(t, name, kind, feats)
	if err := db.cat.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (db *testDB) loadNoRefresh(t testing.TB, name string, kind layers.Kind, feats []layers.Feature) {
	t.Helper()
	_, err := db.store.Import(context.Background(), layers.ImportSpec{Layer: name, Kind: kind, SRID: 4326, Attribution: "© test " + name,
		Source: layers.SourceInfo{Name: name + ".mem"}}, &fixture.Reader{Features: feats})
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
}

// countingDB counts the statements run, to check single flight and the
// 304 short cut.
// countingDB counts tile statements (not the affine fits' queries).
type countingDB struct {
	DB
	n atomic.Int64
}

func (c *countingDB) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if strings.HasPrefix(sql, "/* sit tile") {
		c.n.Add(1)
	}
	return c.DB.QueryRow(ctx, sql, args...)
}
