package layers_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/layers"
)

// TestTileCopyWatchRebuilds: a serving catalog (Watch) rebuilds a tile
// copy whose table gained a column, by itself: the copy comes back with
// the column, and the tiles read it again.
func TestTileCopyWatchRebuilds(t *testing.T) {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if err := layers.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `CREATE SCHEMA ufficio;
		CREATE TABLE ufficio.zone (id integer PRIMARY KEY, nome text, geom geometry(Polygon, 6707));
		INSERT INTO ufficio.zone SELECT i, 'z' || i, ST_Transform(ST_MakeEnvelope(10.5 + i * 0.001, 43.84, 10.5009 + i * 0.001, 43.8409, 4326), 6707)
			FROM generate_series(1, 10) i`); err != nil {
		t.Fatal(err)
	}
	if rep, err := layers.NewStore(pool, nil).Publish(ctx, layers.PublishSpec{Schema: "ufficio"}); err != nil || len(rep.Copied) != 1 {
		t.Fatalf("publish: %+v %v", rep, err)
	}
	cat := layers.NewCatalog(pool, nil)
	if err := cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	watch(t, ctx, cat)
	if _, err := pool.Exec(ctx, "ALTER TABLE ufficio.zone ADD COLUMN nota text"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the copy rebuilt with the new column", func() bool {
		l, ok := cat.Layer("ufficio.zone")
		_, has := l.Property("nota")
		return ok && has && l.Source.TileCopy != ""
	})
	var n int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'sit_copies' AND column_name = 'nota'").Scan(&n); err != nil || n != 1 {
		t.Errorf("the rebuilt copy's column: %d %v", n, err)
	}
}
