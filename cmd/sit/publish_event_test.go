package main

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/internal/dbtest"
)

// TestPublishedEventTrigger: when sit publish runs as a superuser (its
// migrations too), it creates the event trigger, and tables another role
// creates in the published schema, and partitions attached later, are
// readable and tracked at once, without a re-run.
func TestPublishedEventTrigger(t *testing.T) {
	t.Parallel()
	roles := dbtest.Roles(t)
	super := dbtest.Superuser(t, roles.Owner)
	cfg, err := pgx.ParseConfig(roles.Owner)
	if err != nil {
		t.Fatal(err)
	}
	editor := pgx.Identifier{cfg.Database + "_ev"}.Sanitize()
	execSQL(t, super, "CREATE SCHEMA ev", "CREATE TABLE ev.base (id int PRIMARY KEY, geom geometry(Point, 4326))",
		"CREATE ROLE "+editor, "GRANT USAGE, CREATE ON SCHEMA ev TO "+editor)
	t.Cleanup(func() {
		execSQL(t, super, "DROP SCHEMA ev CASCADE", "DROP TABLE IF EXISTS public.altrove", "DROP OWNED BY "+editor, "DROP ROLE IF EXISTS "+editor)
	})
	if _, errOut, code := runSit(t, "db", "migrate", "--database-url", super); code != 0 {
		t.Fatalf("sit db migrate: %s", errOut)
	}
	out, errOut, code := runSit(t, "publish", "ev", "--database-url", super)
	if code != 0 || !strings.Contains(out, "event trigger sit_published_ddl") {
		t.Fatalf("sit publish as a superuser: %d %s %s", code, out, errOut)
	}
	s := startServe(t, roles.Reader)
	// Everything below is the editor's, which SIT's roles do not own.
	execSQL(t, super, "SET ROLE "+editor,
		"CREATE TABLE ev.nuova (id int PRIMARY KEY, geom geometry(Point, 4326))",
		"INSERT INTO ev.nuova VALUES (1, ST_SetSRID(ST_MakePoint(10.5, 43.84), 4326))",
		"CREATE TABLE ev.misure (id int, anno int, geom geometry(Point, 4326), PRIMARY KEY (id, anno)) PARTITION BY LIST (anno)",
		"CREATE TABLE ev.misure_1 PARTITION OF ev.misure FOR VALUES IN (1)",
		"CREATE TABLE ev.misure_2 (LIKE ev.misure)",
		"ALTER TABLE ev.misure ATTACH PARTITION ev.misure_2 FOR VALUES IN (2)",
		"INSERT INTO ev.misure VALUES (1, 1, ST_SetSRID(ST_MakePoint(10.5, 43.84), 4326)), (2, 2, ST_SetSRID(ST_MakePoint(10.51, 43.84), 4326))",
		"CREATE TABLE ev.senza_geometria (id int)")
	execSQL(t, super, "CREATE TABLE public.altrove (id int, geom geometry(Point, 4326))")
	list := publishedList(t, super)
	for _, name := range []string{"ev.nuova ", "ev.misure "} {
		if line := lineOf(list, name); !strings.Contains(line, " true ") {
			t.Errorf("%s not tracked at once: %q\n%s", name, line, list)
		}
	}
	var granted bool
	queryRow(t, super, "SELECT has_table_privilege('sit_reader', 'ev.senza_geometria', 'SELECT') OR has_table_privilege('sit_reader', 'public.altrove', 'SELECT')", &granted)
	if granted {
		t.Error("the reader may read a table without geometry, or one outside the published schema")
	}
	for _, c := range []string{"ev.nuova", "ev.misure"} {
		eventually(t, c+" served", func() bool {
			code, _, _ := get(t, s.base+"/collections/"+c)
			return code == 200
		})
	}
	// An edit naming the partition attached later changes the ETag.
	items := s.base + "/collections/ev.misure/items"
	_, before, _ := get(t, items)
	execSQL(t, super, "SET ROLE "+editor, "UPDATE ev.misure_2 SET geom = ST_SetSRID(ST_MakePoint(10.52, 43.84), 4326)")
	eventually(t, "a new ETag after an edit of the attached partition", func() bool {
		_, etag, _ := get(t, items)
		return etag != before
	})
}
