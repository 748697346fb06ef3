package main

import (
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/internal/dbtest"
)

// retiSQL is a schema of an office's utility network: a partitioned
// table (by year), an overloaded function, and the owner role's grants
// that let another role create tables in it.
const retiSQL = `
CREATE SCHEMA reti;
CREATE TABLE reti.interventi (id int, anno int NOT NULL, descr text, geom geometry(Point, 4326), PRIMARY KEY (id, anno))
	PARTITION BY LIST (anno);
CREATE TABLE reti.interventi_2025 PARTITION OF reti.interventi FOR VALUES IN (2025);
CREATE TABLE reti.interventi_2026 PARTITION OF reti.interventi FOR VALUES IN (2026);
INSERT INTO reti.interventi SELECT i, 2025 + i % 2, 'scavo ' || i, ST_SetSRID(ST_MakePoint(10.50 + i * 0.001, 43.84), 4326)
	FROM generate_series(1, 10) i;
CREATE FUNCTION reti.vicini(r integer) RETURNS TABLE (id int, geom geometry) LANGUAGE sql STABLE AS
	$$ SELECT id, geom FROM reti.interventi LIMIT r $$;
CREATE FUNCTION reti.vicini(r integer, d text) RETURNS TABLE (id int, geom geometry) LANGUAGE sql STABLE AS
	$$ SELECT id, geom FROM reti.interventi WHERE descr = d LIMIT r $$;
CREATE FUNCTION reti.interventi_tile(z integer, x integer, y integer) RETURNS bytea LANGUAGE sql STABLE AS $$
	SELECT ST_AsMVT(q, 'interventi', 4096, 'geom') FROM (SELECT i.id, ST_AsMVTGeom(ST_Transform(i.geom, 3857), ST_TileEnvelope(z, x, y), 4096, 64, true) AS geom
		FROM reti.interventi i WHERE ST_Transform(i.geom, 3857) && ST_TileEnvelope(z, x, y)) q $$;
CREATE FUNCTION reti.interventi_tile(z integer, x integer, y integer, anno_scelto integer) RETURNS bytea LANGUAGE sql STABLE AS $$
	SELECT ST_AsMVT(q, 'interventi', 4096, 'geom') FROM (SELECT i.id, ST_AsMVTGeom(ST_Transform(i.geom, 3857), ST_TileEnvelope(z, x, y), 4096, 64, true) AS geom
		FROM reti.interventi i WHERE ST_Transform(i.geom, 3857) && ST_TileEnvelope(z, x, y) AND i.anno = anno_scelto) q $$;
-- Two overloads PostgreSQL cannot tell apart when d is left out.
CREATE FUNCTION reti.entro(r integer) RETURNS TABLE (id int, geom geometry) LANGUAGE sql STABLE AS
	$$ SELECT id, geom FROM reti.interventi LIMIT r $$;
CREATE FUNCTION reti.entro(r integer, d text DEFAULT 'scavo 1') RETURNS TABLE (id int, geom geometry) LANGUAGE sql STABLE AS
	$$ SELECT id, geom FROM reti.interventi WHERE descr = d LIMIT r $$;
ANALYZE;
`

// TestPublishedOps: what a GIS office's database does after sit publish
// ran: edits straight on a partition, a partition attached later, a table
// another role creates, an overloaded function, a foreign table.
func TestPublishedOps(t *testing.T) {
	t.Parallel()
	roles := dbtest.Roles(t)
	super := dbtest.Superuser(t, roles.Owner)
	execSQL(t, roles.Owner, retiSQL)
	// The owner role is no superuser: no event trigger (the poll and the
	// notes below do its work).
	if out, errOut, code := runSit(t, "publish", "reti", "--database-url", roles.Owner); code != 0 || !strings.Contains(out, "1 tracked") ||
		strings.Contains(out, "event trigger") {
		t.Fatalf("sit publish reti: %d %s %s", code, out, errOut)
	}
	s := startServe(t, roles.Reader)
	t.Run("partitions", func(t *testing.T) { testPublishedPartitions(t, roles.Owner, s.base) })
	t.Run("overloaded functions", func(t *testing.T) { testPublishedOverloads(t, roles.Owner, s.base) })
	t.Run("another role's table", func(t *testing.T) { testPublishedOtherRole(t, roles.Owner, super, s.base) })
	t.Run("foreign table", func(t *testing.T) { testPublishedForeign(t, roles.Owner, super, s.base) })
}

// publishedList is `sit publish --list`.
func publishedList(t *testing.T, owner string) string {
	t.Helper()
	out, errOut, code := runSit(t, "publish", "--list", "--database-url", owner)
	if code != 0 {
		t.Fatalf("sit publish --list: %s %s", out, errOut)
	}
	return out
}

// testPublishedPartitions: an UPDATE naming a partition (which fires only
// that partition's statement triggers) changes the published table's
// ETag; a partition attached later leaves it untracked, with a note, until
// sit publish runs again.
func testPublishedPartitions(t *testing.T, owner, base string) {
	items := base + "/collections/reti.interventi/items?limit=100"
	if line := lineOf(publishedList(t, owner), "reti.interventi "); !strings.Contains(line, " true ") {
		t.Fatalf("the partitioned table is not tracked: %q", line)
	}
	edit := func(what string, sql ...string) {
		t.Helper()
		_, before, _ := get(t, items)
		execSQL(t, owner, sql...)
		eventually(t, "a new ETag after "+what, func() bool {
			_, etag, _ := get(t, items)
			return etag != before
		})
	}
	for _, tc := range []struct{ what, sql string }{
		{"an UPDATE of a partition", "UPDATE reti.interventi_2025 SET descr = 'rifatto' WHERE id = 2"},
		{"a DELETE from a partition", "DELETE FROM reti.interventi_2026 WHERE id = 1"},
		{"an INSERT into the parent", "INSERT INTO reti.interventi VALUES (1, 2026, 'di nuovo', ST_SetSRID(ST_MakePoint(10.5, 43.84), 4326))"},
	} {
		edit(tc.what, tc.sql)
	}
	// A partition attached after sit publish: untracked, and the list
	// says which one and what to run.
	execSQL(t, owner, "CREATE TABLE reti.interventi_2027 (LIKE reti.interventi)",
		"ALTER TABLE reti.interventi ATTACH PARTITION reti.interventi_2027 FOR VALUES IN (2027)")
	line := lineOf(publishedList(t, owner), "reti.interventi ")
	if !strings.Contains(line, " false ") || !strings.Contains(line, "reti.interventi_2027") || !strings.Contains(line, "sit publish reti.interventi") {
		t.Fatalf("a partition attached later: %q", line)
	}
	if out, errOut, code := runSit(t, "publish", "reti.interventi", "--database-url", owner); code != 0 || !strings.Contains(out, "1 tracked") {
		t.Fatalf("sit publish again: %s %s", out, errOut)
	}
	if line := lineOf(publishedList(t, owner), "reti.interventi "); !strings.Contains(line, " true ") {
		t.Fatalf("tracked again? %q", line)
	}
	edit("an INSERT into the new partition", "INSERT INTO reti.interventi_2027 VALUES (50, 2027, 'nuovo', ST_SetSRID(ST_MakePoint(10.51, 43.84), 4326))")
	var p itemsPage
	getJSON(t, items, &p)
	var want int64
	queryRow(t, owner, "SELECT count(*) FROM reti.interventi", &want)
	if p.NumberMatched != want || want != 11 {
		t.Errorf("numberMatched %d, PostgreSQL %d (want 11)", p.NumberMatched, want)
	}
}

// testPublishedOverload: publishing an overloaded function is refused,
// naming each signature.
func testPublishedOverloads(t *testing.T, owner, base string) {
	if out, errOut, code := runSit(t, "publish", "reti.vicini", "reti.interventi_tile", "reti.entro", "--database-url", owner); code != 0 {
		t.Fatalf("sit publish overloaded functions: %s %s", out, errOut)
	}
	list := publishedList(t, owner)
	for _, name := range []string{"reti.vicini(int4) ", "reti.vicini(int4;text) ", "reti.interventi_tile(int4;int4;int4) ",
		"reti.interventi_tile(int4;int4;int4;int4) ", "reti.entro(int4;text) "} {
		if lineOf(list, name) == "" {
			t.Errorf("sit publish --list lacks %s:\n%s", name, list)
		}
	}
	if line := lineOf(list, "not served: reti.entro(int4):"); !strings.Contains(line, "reti.entro(int4;text) takes the same call") {
		t.Errorf("the overload PostgreSQL cannot call: %q", line)
	}
	eventually(t, "the overloads are served", func() bool {
		code, _, _ := get(t, base+"/collections/"+url.PathEscape("reti.vicini(int4;text)"))
		return code == 200
	})
	items := func(name string) string { return base + "/collections/" + url.PathEscape(name) + "/items" }
	tile := func(name string) string {
		return base + "/tiles/" + url.PathEscape(name) + "/" + tileAt(10.505, 43.84, 12) + ".mvt"
	}
	sizes := map[string]int{}
	for _, tc := range []struct {
		name, url string
		code      int
		returned  int64  // features, for a 200 of items
		param     string // the parameter a 400 names
	}{
		{"one overload", items("reti.vicini(int4)") + "?r=3", 200, 3, ""},
		{"the other", items("reti.vicini(int4;text)") + "?r=5&d=" + url.QueryEscape("scavo 3"), 200, 1, ""},
		{"a wrong type", items("reti.vicini(int4)") + "?r=tre", 400, 0, "r"},
		{"a parameter of the other", items("reti.vicini(int4)") + "?r=3&d=x", 400, 0, "d"},
		{"a required one missing", items("reti.vicini(int4;text)") + "?r=5", 400, 0, "d"},
		{"a default PostgreSQL cannot use", items("reti.entro(int4;text)") + "?r=5", 400, 0, "d"},
		{"given, it can", items("reti.entro(int4;text)") + "?r=5&d=" + url.QueryEscape("scavo 3"), 200, 1, ""},
		{"a tile overload", tile("reti.interventi_tile(int4;int4;int4)"), 200, 0, ""},
		{"the other tile overload", tile("reti.interventi_tile(int4;int4;int4;int4)") + "?anno_scelto=2025", 200, 0, ""},
		{"a tile parameter of the wrong type", tile("reti.interventi_tile(int4;int4;int4;int4)") + "?anno_scelto=duemila", 400, 0, "anno_scelto"},
		{"a tile parameter missing", tile("reti.interventi_tile(int4;int4;int4;int4)"), 400, 0, "anno_scelto"},
		{"the plain name", items("reti.vicini") + "?r=3", 404, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, body := get(t, tc.url)
			if code != tc.code {
				t.Fatalf("%d %.300s", code, body)
			}
			sizes[tc.name] = len(body)
			switch {
			case tc.param != "":
				var p problemDoc
				if err := json.Unmarshal(body, &p); err != nil || p.Parameter != tc.param {
					t.Errorf("the 400 names %q, want %q: %s", p.Parameter, tc.param, body)
				}
			case tc.returned > 0:
				var p itemsPage
				if err := json.Unmarshal(body, &p); err != nil || p.NumberReturned != tc.returned {
					t.Errorf("%d features, want %d: %.300s", p.NumberReturned, tc.returned, body)
				}
			}
		})
	}
	// Ten points, half of them of 2025: each tile overload ran its own body.
	if a, b := sizes["a tile overload"], sizes["the other tile overload"]; a == 0 || b == 0 || b >= a {
		t.Errorf("tile sizes: every year %d bytes, 2025 %d", a, b)
	}
	// A name overloaded after it was published: each overload its own source.
	execSQL(t, owner, "CREATE FUNCTION reti.uno(r integer) RETURNS TABLE (id int, geom geometry) LANGUAGE sql STABLE AS $$ SELECT id, geom FROM reti.interventi LIMIT r $$")
	if out, errOut, code := runSit(t, "publish", "reti.uno", "--database-url", owner); code != 0 {
		t.Fatalf("publish reti.uno: %s %s", out, errOut)
	}
	execSQL(t, owner, "CREATE FUNCTION reti.uno(r bigint) RETURNS TABLE (id int, geom geometry) LANGUAGE sql STABLE AS $$ SELECT id, geom FROM reti.interventi LIMIT r $$")
	list = publishedList(t, owner)
	if lineOf(list, "reti.uno(int4) ") == "" || lineOf(list, "reti.uno(int8) ") == "" {
		t.Errorf("an overload created later:\n%s", list)
	}
}

// testPublishedOtherRole: a table another role creates in a published
// schema is listed as not served, with the GRANT its owner runs; once
// granted it is served, untracked with the trigger statement to run; once
// that runs, tracked.
func testPublishedOtherRole(t *testing.T, owner, super, base string) {
	cfg, err := pgx.ParseConfig(owner)
	if err != nil {
		t.Fatal(err)
	}
	editor := cfg.Database + "_editor" // roles are the cluster's: one per database
	ed := pgx.Identifier{editor}.Sanitize()
	execSQL(t, super, "CREATE ROLE "+ed, "GRANT USAGE, CREATE ON SCHEMA reti TO "+ed, "SET ROLE "+ed,
		"CREATE TABLE reti.allacci (id int PRIMARY KEY, geom geometry(Point, 4326))",
		"INSERT INTO reti.allacci VALUES (1, ST_SetSRID(ST_MakePoint(10.5, 43.84), 4326))")
	t.Cleanup(func() {
		execSQL(t, super, "DROP TABLE IF EXISTS reti.allacci", "DROP OWNED BY "+ed, "DROP ROLE IF EXISTS "+ed)
	})
	steps := []struct {
		what, sql string
		listed    string // the line of sit publish --list that says so
		want      []string
	}{
		{"created by another role", "", "not served: reti.allacci", []string{"owned by " + editor, "GRANT SELECT ON \"reti\".\"allacci\" TO sit_reader", "sit publish reti"}},
		{"granted", "GRANT SELECT ON reti.allacci TO sit_reader", "reti.allacci ", []string{" false ", "no change trigger", "sit publish reti.allacci"}},
		{"trigger by its owner", "CREATE TRIGGER sit_published_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON reti.allacci FOR EACH STATEMENT EXECUTE FUNCTION sit.published_changed()",
			"reti.allacci ", []string{" true "}},
	}
	for _, st := range steps {
		if st.sql != "" {
			execSQL(t, super, "SET ROLE "+ed, st.sql)
		}
		line := lineOf(publishedList(t, owner), st.listed)
		for _, w := range st.want {
			if !strings.Contains(line, w) {
				t.Errorf("%s: %q lacks %q", st.what, line, w)
			}
		}
		if st.what == "granted" {
			// sit publish prints the trigger statement the owner role may not run.
			out, errOut, _ := runSit(t, "publish", "reti", "--database-url", owner)
			if !strings.Contains(out, "ON \"reti\".\"allacci\" FOR EACH STATEMENT") {
				t.Errorf("sit publish does not print the trigger for the table's owner: %s %s", out, errOut)
			}
			eventually(t, "the granted table served", func() bool {
				code, _, _ := get(t, base+"/collections/reti.allacci")
				return code == 200
			})
		}
	}
}

// testPublishedForeign: a foreign table (file_fdw, set up by a superuser
// as a DBA would) is listed, served and counted, untracked.
func testPublishedForeign(t *testing.T, owner, super, base string) {
	var avail bool
	queryRow(t, super, "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'file_fdw')", &avail)
	if !avail {
		// Debian's postgresql-15 package ships file_fdw, so CI must run this.
		if os.Getenv("CI") == "true" {
			t.Fatal("file_fdw is not installed with this PostgreSQL")
		}
		t.Skip("file_fdw is not installed with this PostgreSQL")
	}
	cfg, err := pgx.ParseConfig(owner)
	if err != nil {
		t.Fatal(err)
	}
	execSQL(t, super, "CREATE EXTENSION file_fdw", "CREATE SERVER file_esterni FOREIGN DATA WRAPPER file_fdw",
		`CREATE FOREIGN TABLE reti.idranti (codice text, geom geometry(Point, 4326)) SERVER file_esterni
			OPTIONS (program 'printf "I1,SRID=4326;POINT(10.501 43.841)\nI2,SRID=4326;POINT(10.502 43.842)\nI3,SRID=4326;POINT(10.503 43.843)\n"', format 'csv')`,
		"ALTER FOREIGN TABLE reti.idranti OWNER TO "+pgx.Identifier{cfg.User}.Sanitize())
	if out, errOut, code := runSit(t, "publish", "reti.idranti", "--database-url", owner); code != 0 {
		t.Fatalf("publish a foreign table: %s %s", out, errOut)
	}
	line := lineOf(publishedList(t, owner), "reti.idranti ")
	for _, w := range []string{"foreign", " false ", "foreign table has no change trigger"} {
		if !strings.Contains(line, w) {
			t.Errorf("sit publish --list: %q lacks %q", line, w)
		}
	}
	var p itemsPage
	eventually(t, "the foreign table served", func() bool {
		code, _, _ := get(t, base+"/collections/reti.idranti")
		return code == 200
	})
	getJSON(t, base+"/collections/reti.idranti/items?bbox=10.5005,43.8405,10.5025,43.8425", &p)
	if p.NumberMatched != 2 || p.NumberReturned != 2 {
		t.Errorf("foreign table, bbox: matched %d, returned %d (want 2)", p.NumberMatched, p.NumberReturned)
	}
}
