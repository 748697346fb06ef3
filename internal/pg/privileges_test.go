package pg_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/internal/pg"
	"github.com/sit-gis/sit/layers"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// hostedDB is a database prepared as `sit db up` prepares the managed one,
// migrated and holding one imported layer, with pools opened as the server
// opens them.
type hostedDB struct {
	urls   dbtest.RoleURLs
	owner  *pgxpool.Pool
	reader *pgxpool.Pool
	web    *pgxpool.Pool
	layer  layers.Layer
}

func newHostedDB(t *testing.T) hostedDB {
	t.Helper()
	ctx := context.Background()
	urls := dbtest.Roles(t)
	owner, err := pg.Open(ctx, urls.Owner, pg.PoolOptions{MaxConns: 4, AppName: "test owner"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(owner.Close)
	if err := layers.Migrate(ctx, owner); err != nil {
		t.Fatalf("the owner migrates: %v", err)
	}
	store := layers.NewStore(owner, nil)
	sq := orb.Polygon{{{10.50, 43.84}, {10.51, 43.84}, {10.51, 43.85}, {10.50, 43.84}}}
	feats := []layers.Feature{{Record: 1, ID: "1", Geometry: sq, Props: map[string]any{"nome": "uno"}}}
	if _, err := store.Import(ctx, layers.ImportSpec{Layer: "strato", SRID: 4326}, layers.NewSliceReader(feats)); err != nil {
		t.Fatalf("the owner imports: %v", err)
	}
	l, err := layers.GetLayer(ctx, owner, "strato")
	if err != nil {
		t.Fatal(err)
	}
	reader, err := pg.Open(ctx, urls.Reader, pg.PoolOptions{ReadOnly: true, StatementTimeout: 10 * time.Second, MaxConns: 2, AppName: "test serve"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(reader.Close)
	web, err := pg.Open(ctx, urls.Web, pg.PoolOptions{StatementTimeout: 10 * time.Second, MaxConns: 2, AppName: "test web"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(web.Close)
	return hostedDB{urls: urls, owner: owner, reader: reader, web: web, layer: l}
}

// escapes are what no role SIT holds may do: reach the server's files and
// programs, make roles or databases, change the server's configuration,
// create temporary tables or objects outside SIT's schemas, or call the
// functions that write even in a read-only transaction.
var escapes = []string{
	"COPY (SELECT 1) TO PROGRAM 'true'",
	"COPY sit.imports FROM PROGRAM 'true'",
	"COPY (SELECT 1) TO '/tmp/sit-privileges-test'",
	"SELECT pg_read_file('/etc/passwd')",
	"SELECT pg_ls_dir('.')",
	"SELECT lo_import('/etc/passwd')",
	"CREATE TEMP TABLE t (a int)",
	"SELECT 1 AS a INTO TEMP t",
	"CREATE TABLE public.t (a int)",
	"CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
	"CREATE ROLE intruder LOGIN SUPERUSER",
	"CREATE ROLE intruder LOGIN",
	"CREATE DATABASE intruder",
	"ALTER SYSTEM SET log_statement = 'none'",
	"SET ROLE sit_admin",
	"CREATE EXTENSION file_fdw",
	"UPDATE public.spatial_ref_sys SET proj4text = '' WHERE srid = 4326",
	"SELECT lo_create(0)",
	"SELECT lo_from_bytea(0, 'x')",
	"SELECT pg_logical_emit_message(false, 'sit', 'x')",
	"SELECT txid_current()",
	"SELECT pg_current_xact_id()",
	"SELECT pg_terminate_backend(pg_backend_pid())",
	"SELECT pg_cancel_backend(pg_backend_pid())",
}

// readerWrites are what the serving role may not do to SIT's own data:
// writes, row locks, DDL, advisory locks and notifications.
func readerWrites(l layers.Layer) []string {
	table := l.Ident().Sanitize()
	return []string{
		"INSERT INTO sit.layers (name, table_name) VALUES ('x', 'x')",
		"UPDATE sit.layers SET version = version + 1",
		"DELETE FROM sit.imports",
		"TRUNCATE sit.layers",
		"INSERT INTO " + table + " (fid) VALUES (99)",
		"UPDATE " + table + " SET fid = fid + 1",
		"DELETE FROM " + table,
		"TRUNCATE " + table,
		"SELECT * FROM " + table + " FOR UPDATE",
		"BEGIN; LOCK TABLE sit.layers IN ACCESS EXCLUSIVE MODE; COMMIT",
		"DROP TABLE " + table,
		"ALTER TABLE sit.layers ADD COLUMN x int",
		"CREATE TABLE sit_data.x (a int)",
		"CREATE INDEX ON " + table + " (fid)",
		"CREATE VIEW sit.v AS SELECT 1",
		"CREATE SCHEMA x",
		"COMMENT ON TABLE sit.layers IS 'x'",
		"DO $$ BEGIN DELETE FROM sit.layers; END $$",
		"SELECT nextval('sit.imports_id_seq')",
		"SELECT setval('sit.imports_id_seq', 1)",
		"SELECT pg_advisory_lock(1)",
		"SELECT pg_try_advisory_xact_lock(hashtext('sit.import'), hashtext('strato'))",
		"SELECT pg_notify('" + layers.NotifyChannel + "', '{}')",
		// A session that turns read-only off still has no privilege to write.
		"SELECT set_config('default_transaction_read_only', 'off', false), lo_create(0)",
	}
}

// authReads are the credentials the reader must not even see.
var authReads = []string{
	"SELECT * FROM sit_auth.accounts",
	"SELECT * FROM sit_auth.sessions",
	"SELECT * FROM sit_auth.tokens",
	"SELECT * FROM sit_auth.audit",
	"INSERT INTO sit_auth.audit (actor, action, result) VALUES ('x', 'x', 'ok')",
}

// webWrites are what the web role may not do although it writes
// sit_auth: DDL there, emptying tables wholesale, rewriting or deleting
// the audit log.
var webWrites = []string{
	"UPDATE sit_auth.audit SET actor = 'someone else'",
	"DELETE FROM sit_auth.audit",
	"TRUNCATE sit_auth.audit",
	"TRUNCATE sit_auth.accounts",
	"ALTER TABLE sit_auth.accounts ADD COLUMN x int",
	"DROP TABLE sit_auth.sessions",
	"CREATE TABLE sit_auth.x (a int)",
	"CREATE TRIGGER t BEFORE INSERT ON sit_auth.audit FOR EACH ROW EXECUTE FUNCTION sit.speed_band()",
	"ALTER TABLE sit_auth.audit DISABLE TRIGGER ALL",
	"UPDATE sit.comuni SET name = 'x'",
	"INSERT INTO sit.comuni (slug, name) VALUES ('x', 'x')",
}

// mustFail runs each statement on its own (autocommit) on one connection
// of pool and fails the test if any succeeds. With privilegesOnly, the
// session has first turned read-only off, as a stolen password or an
// injected set_config could: then only privileges may stop the statement,
// and a refusal because of read-only mode or a transaction block does not
// count.
func mustFail(t *testing.T, pool *pgxpool.Pool, role string, stmts []string, privilegesOnly bool) {
	t.Helper()
	ctx := context.Background()
	pc, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The session settings below must not go back to the pool.
	conn := pc.Hijack()
	defer conn.Close(ctx)
	if privilegesOnly {
		if _, err := conn.Exec(ctx, "SET default_transaction_read_only = off"); err != nil {
			t.Fatal(err)
		}
	}
	for _, sql := range stmts {
		_, err := conn.Exec(ctx, sql)
		var pgErr *pgconn.PgError
		switch {
		case err == nil:
			t.Errorf("%s may run %q", role, sql)
		case privilegesOnly && errors.As(err, &pgErr) && (pgErr.Code == "25006" || pgErr.Code == "25001"):
			t.Errorf("%s: %q is stopped only by read-only mode or a transaction block: %v", role, sql, err)
		default:
			t.Logf("%s: %s: %v", role, sql, err)
		}
		// Leave no aborted transaction block to the next statement.
		if _, err := conn.Exec(ctx, "ROLLBACK"); err != nil {
			t.Fatal(err)
		}
	}
}

// TestServingRolesCannotWrite tries every kind of write, DDL, COPY …
// PROGRAM, temporary table and notification through each role a server can
// hold: the reader it serves with, and the owner it migrates with.
func TestServingRolesCannotWrite(t *testing.T) {
	db := newHostedDB(t)
	ctx := context.Background()
	all := append(readerWrites(db.layer), escapes...)
	// PostgreSQL lets every role change its own session defaults (and a
	// non-owner's GRANT is a no-op with a warning): a serving session,
	// read-only, cannot; with read-only off it could only undo the
	// read-only default, never gain a privilege (CheckReader warns then).
	mustFail(t, db.reader, "the reader", append(all, "ALTER ROLE CURRENT_USER SET default_transaction_read_only = off"), false)
	mustFail(t, db.reader, "the reader, read-only mode off", all, true)
	mustFail(t, db.reader, "the reader (credentials)", authReads, true)
	mustFail(t, db.owner, "the owner", escapes, true)
	// The web role: no layer data, no catalog, no DDL, no escape, and the
	// audit log append-only.
	mustFail(t, db.web, "the web role", append(all, webWrites...), false)
	if rep, err := pg.CheckReader(ctx, db.reader); err != nil || rep.Err() != nil || len(rep.Warnings) > 0 {
		t.Fatalf("after the attempts the reader is no longer clean: %v %v %v", err, rep.Err(), rep.Warnings)
	}
	if rep, err := pg.CheckWeb(ctx, db.web); err != nil || rep.Err() != nil || len(rep.Warnings) > 0 {
		t.Fatalf("the web role is not clean: %v %v %v", err, rep.Err(), rep.Warnings)
	}
	// What the web role is for, it can do.
	if _, err := db.web.Exec(ctx, "INSERT INTO sit_auth.audit (actor, action, result) VALUES ('test', 'probe', 'ok')"); err != nil {
		t.Fatalf("the web role cannot append to the audit log: %v", err)
	}
	if _, err := db.web.Exec(ctx, "INSERT INTO sit_auth.accounts (username, role) VALUES ('probe', 'admin')"); err != nil {
		t.Fatalf("the web role cannot add an account: %v", err)
	}
	// The reader still reads, through the role-level read-only default.
	var n int
	var ro string
	if err := db.reader.QueryRow(ctx, "SELECT count(*), current_setting('transaction_read_only') FROM "+db.layer.Ident().Sanitize()).Scan(&n, &ro); err != nil || n != 1 || ro != "on" {
		t.Fatalf("reader: %d rows, read-only %q, %v", n, ro, err)
	}
	plain, err := pgx.Connect(ctx, db.urls.Reader) // no client-side read-only setting
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close(ctx)
	if err := plain.QueryRow(ctx, "SHOW transaction_read_only").Scan(&ro); err != nil || ro != "on" {
		t.Fatalf("reader without client settings: transaction_read_only %q (%v), want on", ro, err)
	}
	var super bool
	if err := db.owner.QueryRow(ctx, "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR rolreplication FROM pg_roles WHERE rolname = current_user").Scan(&super); err != nil || super {
		t.Fatalf("owner is privileged: %v %v", super, err)
	}
}

// TestCheckReader: the server accepts the hardened reader without warnings
// and refuses the owner and a superuser, naming why.
func TestCheckReader(t *testing.T) {
	db := newHostedDB(t)
	ctx := context.Background()
	rep, err := pg.CheckReader(ctx, db.reader)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Err() != nil || len(rep.Warnings) > 0 {
		t.Fatalf("hardened reader: refused %v, warnings %v", rep.Err(), rep.Warnings)
	}
	super, err := pgxpool.New(ctx, dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer super.Close()
	for _, tc := range []struct {
		name string
		pool *pgxpool.Pool
		want string
	}{{"owner", db.owner, "owns or may write sit."}, {"superuser", super, "superuser"}, {"web role", db.web, "may write sit_auth."}} {
		rep, err := pg.CheckReader(ctx, tc.pool)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Err() == nil || !strings.Contains(rep.Err().Error(), tc.want) {
			t.Errorf("%s: %v; want a refusal naming %q", tc.name, rep.Err(), tc.want)
		}
	}
}

// TestCheckWeb: the server accepts the web role and refuses the reader's
// twin roles that could write more: the owner and a superuser.
func TestCheckWeb(t *testing.T) {
	db := newHostedDB(t)
	ctx := context.Background()
	super, err := pgxpool.New(ctx, dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer super.Close()
	for _, tc := range []struct {
		name string
		pool *pgxpool.Pool
		want string
	}{{"owner", db.owner, "owns or may write beyond the accounts"}, {"superuser", super, "superuser"}} {
		rep, err := pg.CheckWeb(ctx, tc.pool)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Err() == nil || !strings.Contains(rep.Err().Error(), tc.want) {
			t.Errorf("%s: %v; want a refusal naming %q", tc.name, rep.Err(), tc.want)
		}
	}
}
