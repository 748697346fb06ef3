package layers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sit-gis/sit/internal/dbtest"
)

// officeSQL is an office's table as a DBA keeps it: owned by the office's
// role, in its schema; SIT's owner may read it and install triggers on it
// (nothing more); an editor may write it and nothing of SIT's.
const officeSQL = `
CREATE ROLE ufficio_%[1]s NOLOGIN;
CREATE ROLE editor_%[1]s NOLOGIN;
CREATE SCHEMA ufficio AUTHORIZATION ufficio_%[1]s;
SET ROLE ufficio_%[1]s;
CREATE TABLE ufficio.zone (id integer PRIMARY KEY, nome text, geom geometry(Polygon, 3003));
INSERT INTO ufficio.zone SELECT i, 'z' || i, ST_Transform(ST_MakeEnvelope(10.5 + i * 0.001, 43.84, 10.5009 + i * 0.001, 43.8409, 4326), 3003)
	FROM generate_series(1, 20) i;
GRANT USAGE ON SCHEMA ufficio TO %[2]s, editor_%[1]s, sit_reader;
GRANT SELECT, TRIGGER ON ufficio.zone TO %[2]s WITH GRANT OPTION;
GRANT SELECT, INSERT, UPDATE, DELETE ON ufficio.zone TO editor_%[1]s;
RESET ROLE;
`

// TestTileCopyRoles: with SIT's roles as deployed (a non-superuser owner,
// the read-only reader serving) and a table that is the office's, sit
// publish builds the copy; an editor with no right on SIT's schemas
// edits the table and the copy follows; the serving catalog (the reader)
// rebuilds it after the office adds a column.
func TestTileCopyRoles(t *testing.T) {
	ctx := context.Background()
	roles := dbtest.Roles(t)
	owner, reader, super := rolePool(t, roles.Owner), rolePool(t, roles.Reader), rolePool(t, dbtest.Superuser(t, roles.Owner))
	if err := Migrate(ctx, owner); err != nil {
		t.Fatal(err)
	}
	var ownerRole string
	if err := owner.QueryRow(ctx, "SELECT current_user").Scan(&ownerRole); err != nil {
		t.Fatal(err)
	}
	tag := fmt.Sprint(time.Now().UnixNano())
	if _, err := super.Exec(ctx, fmt.Sprintf(officeSQL, tag, pgx.Identifier{ownerRole}.Sanitize())); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, r := range []string{"ufficio_", "editor_"} {
			super.Exec(context.Background(), "DROP OWNED BY "+r+tag)       //nolint:errcheck
			super.Exec(context.Background(), "DROP ROLE IF EXISTS "+r+tag) //nolint:errcheck
		}
	})
	rep, err := NewStore(owner, nil).Publish(ctx, PublishSpec{Schema: "ufficio", Relation: "zone"})
	if err != nil || len(rep.Copied) != 1 {
		t.Fatalf("publish: copied %q, pending %q, %v", rep.Copied, rep.Pending, err)
	}
	edit := func(sql string) {
		t.Helper()
		err := pgx.BeginFunc(ctx, super, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SET LOCAL ROLE editor_"+tag); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, sql)
			return err
		})
		if err != nil {
			t.Fatalf("the editor's %q: %v", sql, err)
		}
	}
	cat := NewCatalog(reader, nil)
	for _, step := range []struct{ sql, ddl string }{
		{sql: "INSERT INTO ufficio.zone SELECT id + 100, 'nuova', geom FROM ufficio.zone WHERE id <= 3"},
		{sql: "UPDATE ufficio.zone SET geom = ST_Translate(geom, 10, 0), nome = 'spostata' WHERE id > 15"},
		{sql: "DELETE FROM ufficio.zone WHERE id = 1"},
		{sql: "INSERT INTO ufficio.zone SELECT id, 'rifatta', ST_Buffer(geom, 5) FROM ufficio.zone WHERE id IN (2, 4) ON CONFLICT (id) DO UPDATE SET nome = EXCLUDED.nome, geom = EXCLUDED.geom"},
		{sql: `MERGE INTO ufficio.zone z USING (SELECT i AS id FROM generate_series(5, 30) i) s ON z.id = s.id
			WHEN MATCHED AND z.id < 8 THEN DELETE WHEN MATCHED THEN UPDATE SET nome = 'fusa'
			WHEN NOT MATCHED THEN INSERT VALUES (s.id, 'nata', ST_Transform(ST_MakeEnvelope(10.6, 43.84, 10.601, 43.841, 4326), 3003))`},
		{ddl: "ALTER TABLE ufficio.zone ADD COLUMN nota text", sql: "UPDATE ufficio.zone SET nota = 'x' WHERE id = 2"},
		{ddl: "ALTER TABLE ufficio.zone DROP COLUMN nome", sql: "UPDATE ufficio.zone SET nota = 'y' WHERE id = 3"},
	} {
		if step.ddl != "" {
			if _, err := super.Exec(ctx, "SET ROLE ufficio_"+tag+"; "+step.ddl+"; RESET ROLE"); err != nil {
				t.Fatal(err)
			}
		}
		edit(step.sql)
		if err := cat.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if err := cat.KeepCopies(ctx); err != nil { // as the server's pass does, as the reader
			t.Fatalf("%s: %v", step.sql, err)
		}
		l, _ := cat.Layer("ufficio.zone")
		if l.Source.TileCopy == "" {
			t.Fatalf("%s: no copy: %s", step.sql, l.Source.TilePath)
		}
		sameRows(t, super, l)
	}
}

// sameRows checks that a layer's tile copy holds the table's rows: the
// same keys, columns and geometries (in EPSG:3857).
func sameRows(t *testing.T, q *pgxpool.Pool, l Layer) {
	t.Helper()
	var diff int
	copy, table := l.TileCopyIdent().Sanitize(), l.Ident().Sanitize()
	sql := fmt.Sprintf(`SELECT count(*) FROM ((SELECT id, %[3]s geom FROM %[1]s EXCEPT SELECT id, %[3]s ST_Transform(geom, 3857) FROM %[2]s)
		UNION ALL (SELECT id, %[3]s ST_Transform(geom, 3857) FROM %[2]s EXCEPT SELECT id, %[3]s geom FROM %[1]s)) d`, copy, table, props(l))
	if err := q.QueryRow(context.Background(), sql).Scan(&diff); err != nil {
		t.Fatal(err)
	}
	if diff != 0 {
		t.Errorf("%d rows differ between %s and %s", diff, copy, table)
	}
}

// props lists a layer's non-key properties, in order, each followed by a
// comma.
func props(l Layer) string {
	var b strings.Builder
	for _, p := range l.Properties {
		if p.Name != "id" {
			b.WriteString(pgx.Identifier{p.Name}.Sanitize() + ", ")
		}
	}
	return b.String()
}

func rolePool(t *testing.T, u string) *pgxpool.Pool {
	t.Helper()
	p, err := pgxpool.New(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// TestTilePath: how a published relation's tiles get Web Mercator, and
// why no copy, from what the catalog read.
func TestTilePath(t *testing.T) {
	ok := copyRow{oid: 42, wanted: true, state: "ok", key: "id", geom: "geom", current: true, present: true}
	with := func(f func(r *publishedRow)) publishedRow {
		r := publishedRow{relkind: "r", srid: 3003, geom: "geom", copy: ok}
		f(&r)
		return r
	}
	tests := []struct {
		name    string
		row     publishedRow
		key     string
		tracked bool
		several bool
		copy    string // Source.TileCopy
		build   bool
		says    string
	}{
		{"usable", with(func(*publishedRow) {}), "id", true, false, "t_42", false, "SIT's tile copy sit_copies.t_42"},
		{"3857", with(func(r *publishedRow) { r.srid = 3857 }), "id", true, false, "", false, "own geometry (EPSG:3857)"},
		{"stored column", with(func(r *publishedRow) { r.merc, r.mercIndexed = "geom_3857", true }), "id", true, false, "", false, "stored column geom_3857"},
		{"view", with(func(r *publishedRow) { r.relkind = "v" }), "id", false, false, "", false, "a view has no tile copy"},
		{"partitioned", with(func(r *publishedRow) { r.relkind = "p" }), "id", true, false, "", false, "partitioned"},
		{"declined", with(func(r *publishedRow) { r.copy.wanted = false }), "id", true, false, "", false, "no_tile_copy"},
		{"row security", with(func(r *publishedRow) { r.copy.refused = true }), "id", true, false, "", false, "row-level security"},
		{"several geometries", with(func(*publishedRow) {}), "id", true, true, "", false, "several geometry columns"},
		{"keyless", with(func(*publishedRow) {}), "", true, false, "", false, "without a key"},
		{"untracked", with(func(*publishedRow) {}), "id", false, false, "", false, "may not install triggers on it"},
		{"none yet", with(func(r *publishedRow) { r.copy = copyRow{oid: 42, wanted: true} }), "id", true, false, "", true, "being built"},
		{"stale", with(func(r *publishedRow) { r.copy.state, r.copy.reason = "stale", "column \"nome\" does not exist" }), "id", true, false, "", true, "went stale (column"},
		{"columns changed", with(func(r *publishedRow) { r.copy.current = false }), "id", true, false, "", true, "columns changed"},
		{"another key", with(func(*publishedRow) {}), "gid", true, false, "", true, "missing"},
		{"triggers gone", with(func(r *publishedRow) { r.copy.present = false }), "id", true, false, "", true, "missing"},
		{"failed lately", with(func(r *publishedRow) {
			r.copy.state, r.copy.recent, r.copy.reason = "failed", true, "permission denied"
		}), "id", true, false, "", false, "could not be built (permission denied)"},
		{"failed a while ago", with(func(r *publishedRow) { r.copy.state, r.copy.reason = "failed", "lock timeout" }), "id", true, false, "", true, "built again after: lock timeout"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := Source{Origin: origins[tc.row.relkind], Key: tc.key, Tracked: tc.tracked}
			tc.row.tilePath(&src, tc.several)
			if src.TileCopy != tc.copy || src.buildCopy != tc.build || !strings.Contains(src.TilePath, tc.says) {
				t.Errorf("copy %q, build %v, %q; want %q, %v, %q", src.TileCopy, src.buildCopy, src.TilePath, tc.copy, tc.build, tc.says)
			}
			if tc.copy == "" && tc.row.srid != 3857 && tc.row.merc == "" && !strings.HasPrefix(src.TilePath, "transform every row from EPSG:3003 (") {
				t.Errorf("no copy, yet %q", src.TilePath)
			}
		})
	}
}

// TestTileCopyBuildOnce: two servers' passes build a table's copy at once:
// the second finds it being built ('busy') and leaves it alone, rather
// than wait for the lock and record its timeout as a failed build; a
// build asked of a copy already built and current does nothing.
func TestTileCopyBuildOnce(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.Pool(t)
	if err := Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `CREATE SCHEMA ufficio;
		CREATE TABLE ufficio.zone (id integer PRIMARY KEY, geom geometry(Polygon, 3003));
		INSERT INTO ufficio.zone SELECT i, ST_Transform(ST_MakeEnvelope(10.5 + i * 0.001, 43.84, 10.5009 + i * 0.001, 43.8409, 4326), 3003)
			FROM generate_series(1, 10) i;
		INSERT INTO sit.published (schema_name, relation) VALUES ('ufficio', 'zone');
		DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sit_reader') THEN
			GRANT USAGE ON SCHEMA ufficio TO sit_reader; GRANT SELECT ON ufficio.zone TO sit_reader; END IF; END $$`); err != nil {
		t.Fatal(err)
	}
	build := "SELECT sit.tile_copy_build('ufficio.zone'::regclass, 'geom', 'id')"
	first, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback(ctx) //nolint:errcheck
	var why string
	if err := first.QueryRow(ctx, build).Scan(&why); err != nil || why != "" {
		t.Fatalf("the first build: %q %v", why, err)
	}
	if err := pool.QueryRow(ctx, build).Scan(&why); err != nil || why != "busy" {
		t.Fatalf("a build while another runs: %q %v", why, err)
	}
	if err := first.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var before, after time.Time
	state := "SELECT changed_at FROM sit.tile_copies WHERE relid = 'ufficio.zone'::regclass AND state = 'ok'"
	if err := pool.QueryRow(ctx, state).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, build).Scan(&why); err != nil || why != "" {
		t.Fatalf("a build of a current copy: %q %v", why, err)
	}
	if err := pool.QueryRow(ctx, state).Scan(&after); err != nil || !after.Equal(before) {
		t.Errorf("a current copy was built again (%v, %v)", after, err)
	}
}

// TestTileCopyGrant: a table SIT's owner may only read. sit publish asks
// its owner for the change trigger and for the grant that lets SIT install
// its triggers; with the trigger alone, the copy fails and the grant is
// asked again; once granted, the next sit publish builds the copy at once
// (not after the retry period of a failed build). Before that: the schema
// grants SIT's roles need, and the office's default privileges.
func TestTileCopyGrant(t *testing.T) {
	f := newGrantFixture(t)
	f.schemaUsage(t)
	grant := `GRANT SELECT, TRIGGER ON "ufficio"."pozzi" TO ` + pgx.Identifier{f.me}.Sanitize() + ";"
	for _, step := range []struct {
		name, asOffice string
		pending        []string // statements asked of the table's owner, in order
		copied         bool
	}{
		{"SIT may only read", "", []string{"CREATE TRIGGER " + TrackTrigger, grant}, false},
		{"the change trigger alone", "CREATE TRIGGER " + TrackTrigger + " AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ufficio.pozzi FOR EACH STATEMENT EXECUTE FUNCTION sit.published_changed()",
			[]string{grant}, false},
		{"granted", "GRANT SELECT, TRIGGER ON ufficio.pozzi TO " + pgx.Identifier{f.me}.Sanitize(), nil, true},
	} {
		f.asOffice(t, step.asOffice)
		rep, err := f.store.Publish(f.ctx, PublishSpec{Schema: "ufficio"})
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		var asked []string
		for _, p := range rep.Pending {
			if !strings.HasPrefix(p, "GRANT USAGE ON SCHEMA sit ") && !strings.HasPrefix(p, "ALTER DEFAULT PRIVILEGES FOR ROLE") {
				asked = append(asked, p)
			}
		}
		ok := len(asked) == len(step.pending) && (len(rep.Copied) == 1) == step.copied
		for i := 0; ok && i < len(asked); i++ {
			ok = strings.HasPrefix(asked[i], step.pending[i])
		}
		if !ok || len(rep.Advice) > 0 != !step.copied {
			t.Errorf("%s: pending %q (want %q), copied %q, advice %q", step.name, rep.Pending, step.pending, rep.Copied, rep.Advice)
		}
	}
	f.officeDefaults(t)
}

// grantFixture is an office's schema and table, created by a role of
// the office's that has granted SIT nothing yet.
type grantFixture struct {
	ctx          context.Context
	owner, super *pgxpool.Pool
	store        *Store
	me, office   string
	defaults     string // the default privilege asked of the office
}

func newGrantFixture(t *testing.T) *grantFixture {
	f := &grantFixture{ctx: context.Background()}
	roles := dbtest.Roles(t)
	f.owner, f.super = rolePool(t, roles.Owner), rolePool(t, dbtest.Superuser(t, roles.Owner))
	if err := Migrate(f.ctx, f.owner); err != nil {
		t.Fatal(err)
	}
	if err := f.owner.QueryRow(f.ctx, "SELECT current_user").Scan(&f.me); err != nil {
		t.Fatal(err)
	}
	f.office = "ufficio_" + fmt.Sprint(time.Now().UnixNano())
	if _, err := f.super.Exec(f.ctx, fmt.Sprintf(`CREATE ROLE %[1]s NOLOGIN; CREATE SCHEMA ufficio AUTHORIZATION %[1]s; SET ROLE %[1]s;
		CREATE TABLE ufficio.pozzi (id integer PRIMARY KEY, geom geometry(Point, 6707));
		INSERT INTO ufficio.pozzi SELECT i, ST_Transform(ST_SetSRID(ST_MakePoint(10.5 + i * 0.001, 43.84), 4326), 6707) FROM generate_series(1, 20) i;
		RESET ROLE`, f.office)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		f.super.Exec(context.Background(), "DROP OWNED BY "+f.office)       //nolint:errcheck
		f.super.Exec(context.Background(), "DROP ROLE IF EXISTS "+f.office) //nolint:errcheck
	})
	f.store = NewStore(f.owner, nil)
	f.defaults = `ALTER DEFAULT PRIVILEGES FOR ROLE "` + f.office + `" IN SCHEMA "ufficio" GRANT SELECT ON TABLES TO sit_reader;`
	return f
}

// asOffice runs sql ("": nothing) as the office's role.
func (f *grantFixture) asOffice(t *testing.T, sql string) {
	t.Helper()
	if sql == "" {
		return
	}
	if _, err := f.super.Exec(f.ctx, "SET ROLE "+f.office+"; "+sql+"; RESET ROLE"); err != nil {
		t.Fatalf("as the office, %s: %v", sql, err)
	}
}

// schemaUsage: without USAGE on the schema, publishing is refused naming
// the grant; with the table granted to the reader but not its schema, it
// is not served (a GRANT by SIT's owner, who may not grant, only warns)
// and the grant is asked of the schema's owner, as is the office's
// default privilege. Leaves the schema usable by both roles.
func (f *grantFixture) schemaUsage(t *testing.T) {
	_, err := f.store.Publish(f.ctx, PublishSpec{Schema: "ufficio"})
	var se *SpecError
	if !errors.As(err, &se) || se.Field != "source" || !strings.Contains(err.Error(), `GRANT USAGE ON SCHEMA "ufficio" TO `+pgx.Identifier{f.me}.Sanitize()) {
		t.Fatalf("publish without USAGE: %v", err)
	}
	f.asOffice(t, fmt.Sprintf(`GRANT USAGE ON SCHEMA ufficio TO %[1]s; GRANT SELECT ON ufficio.pozzi TO %[1]s, sit_reader`, pgx.Identifier{f.me}.Sanitize()))
	rep, err := f.store.Publish(f.ctx, PublishSpec{Schema: "ufficio"})
	if err != nil || !slices.Contains(rep.Pending, `GRANT USAGE ON SCHEMA "ufficio" TO sit_reader;`) ||
		!slices.ContainsFunc(rep.Pending, func(p string) bool { return strings.HasPrefix(p, f.defaults) }) {
		t.Fatalf("publish, the reader without USAGE: pending %q, %v", rep.Pending, err)
	}
	ls, _, err := ListPublished(f.ctx, f.owner, time.Now())
	gaps, gerr := PublishedGaps(f.ctx, f.owner)
	if err != nil || gerr != nil || len(ls) != 0 || len(gaps) != 1 || !strings.Contains(gaps[0].Note, `GRANT USAGE ON SCHEMA "ufficio" TO sit_reader`) {
		t.Fatalf("the reader without USAGE: listed %d, gaps %+v, %v, %v", len(ls), gaps, err, gerr)
	}
	f.asOffice(t, "GRANT USAGE ON SCHEMA ufficio TO sit_reader")
}

// officeDefaults: with the default privileges the publish asked for, a
// table the office creates later is served without anyone granting it,
// the next sit publish tracks it and builds its tile copy, and the
// privileges are no longer asked.
func (f *grantFixture) officeDefaults(t *testing.T) {
	rep, err := f.store.Publish(f.ctx, PublishSpec{Schema: "ufficio"})
	if err != nil {
		t.Fatal(err)
	}
	var defaults []string
	for _, p := range rep.Pending {
		if strings.HasPrefix(p, "ALTER DEFAULT PRIVILEGES FOR ROLE") {
			defaults = append(defaults, p)
		}
	}
	if len(defaults) != 2 || !strings.HasPrefix(defaults[0], f.defaults) || !strings.Contains(defaults[1], "GRANT SELECT, TRIGGER ON TABLES TO "+pgx.Identifier{f.me}.Sanitize()) {
		t.Fatalf("the default privileges asked: %q", rep.Pending)
	}
	f.asOffice(t, strings.Join(defaults, "\n")+"\nCREATE TABLE ufficio.nuova (id integer PRIMARY KEY, geom geometry(Point, 3003))")
	ls, _, err := ListPublished(f.ctx, f.owner, time.Now())
	if err != nil || !slices.ContainsFunc(ls, func(l Layer) bool { return l.Name == "ufficio.nuova" }) {
		t.Errorf("a table the office created after the default privilege: %d listed, %v", len(ls), err)
	}
	rep, err = f.store.Publish(f.ctx, PublishSpec{Schema: "ufficio"})
	if err != nil || slices.ContainsFunc(rep.Pending, func(p string) bool { return strings.HasPrefix(p, "ALTER DEFAULT PRIVILEGES") }) ||
		!slices.Contains(rep.Tracked, "nuova") || !slices.Contains(rep.Copied, "ufficio.nuova") {
		t.Errorf("after the default privileges: pending %q, tracked %q, copied %q, %v", rep.Pending, rep.Tracked, rep.Copied, err)
	}
}
