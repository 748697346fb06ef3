package pgcluster

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Roles names the login roles of one SIT database. The owner owns SIT's
// schemas and runs migrations and imports; the reader serves. Neither is a
// superuser: the superuser (or a DBA) only creates them and the database,
// and installs PostGIS (DESIGN §3b).
type Roles struct {
	Database string
	Owner    string
	Reader   string
	// Web is the login role the server writes accounts, sessions, tokens
	// and the audit log with (schema sit_auth only; no DDL, no layer data);
	// "" makes none.
	Web string
}

// ReaderGroup is the role SIT's migrations and imports grant SELECT to. The
// serving role is that role itself (the managed cluster) or a login member
// of it (a DBA's choice of name).
const ReaderGroup = "sit_reader"

// WebGroup is the role migrations grant sit_auth's tables to; the server's
// web role is that role itself or a login member of it.
const WebGroup = "sit_web"

var roleName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Validate checks that the names can be written into SQL as they are.
func (r Roles) Validate() error {
	for _, n := range []struct{ what, name string }{{"database", r.Database}, {"owner role", r.Owner}, {"reader role", r.Reader}, {"web role", r.Web}} {
		if n.what == "web role" && n.name == "" {
			continue
		}
		if !roleName.MatchString(n.name) {
			return fmt.Errorf("%s %q: use lower-case letters, digits and _ (at most 63)", n.what, n.name)
		}
	}
	if r.Owner == r.Reader || r.Web == r.Owner || r.Web == r.Reader {
		return fmt.Errorf("the owner, the reader and the web role must be three roles (%q, %q, %q)", r.Owner, r.Reader, r.Web)
	}
	return nil
}

func ident(s string) string { return pgx.Identifier{s}.Sanitize() }

// literal quotes a string constant (passwords: CREATE ROLE takes no parameters).
func literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// RoleStatements create or correct the two login roles (cluster-wide; run by
// a superuser or a role with CREATEROLE). Idempotent. The attributes are
// stated, not assumed, so that an existing role is brought into line.
func (r Roles) RoleStatements() []string {
	var out []string
	create := func(role string) string {
		return fmt.Sprintf(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s) THEN CREATE ROLE %s; END IF; END $$`,
			literal(role), ident(role))
	}
	const attrs = " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT"
	out = append(out, create(r.Owner), "ALTER ROLE "+ident(r.Owner)+attrs)
	if r.Reader != ReaderGroup {
		// Migrations grant to the group; a reader of another name inherits it.
		out = append(out, fmt.Sprintf(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s) THEN CREATE ROLE %s NOLOGIN; END IF; END $$`,
			literal(ReaderGroup), ident(ReaderGroup)))
	}
	out = append(out, create(r.Reader), "ALTER ROLE "+ident(r.Reader)+attrs,
		// Read-only whatever the client asks for at connection time; the
		// privileges below are what makes it so even if a session changes it.
		"ALTER ROLE "+ident(r.Reader)+" SET default_transaction_read_only = on")
	if r.Reader != ReaderGroup {
		out = append(out, "GRANT "+ident(ReaderGroup)+" TO "+ident(r.Reader))
	}
	if r.Web == "" {
		return out
	}
	if r.Web != WebGroup {
		out = append(out, fmt.Sprintf(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s) THEN CREATE ROLE %s NOLOGIN; END IF; END $$`,
			literal(WebGroup), ident(WebGroup)))
	}
	out = append(out, create(r.Web), "ALTER ROLE "+ident(r.Web)+attrs)
	if r.Web != WebGroup {
		out = append(out, "GRANT "+ident(WebGroup)+" TO "+ident(r.Web))
	}
	return out
}

// writeFunctions are the built-in functions that write even inside a
// read-only transaction (large objects, WAL messages, transaction ids) or
// reach other sessions (signals, notifications, SIT's advisory locks).
// PUBLIC may execute them by default; SIT's database revokes that.
var writeFunctions = []string{
	"lo_create(oid)", "lo_creat(integer)", "lo_from_bytea(oid, bytea)",
	"pg_logical_emit_message(boolean, text, text)", "pg_logical_emit_message(boolean, text, bytea)",
	"txid_current()", "pg_current_xact_id()",
	"pg_cancel_backend(integer)", "pg_terminate_backend(integer, bigint)",
}

// HardenedFunctions are the functions SIT's database keeps from the reader:
// the write functions above, notifications and advisory locks (one of
// each family is enough to tell whether the revocation was made).
func HardenedFunctions() []string {
	return append(append([]string(nil), writeFunctions...), "pg_notify(text, text)", "pg_advisory_lock(bigint)", "pg_try_advisory_xact_lock(integer, integer)")
}

// ownerFunctions are revoked from PUBLIC and granted back to the owner, who
// needs them: the catalog's change hint and the import and migration locks.
const ownerFunctionsQuery = `SELECT oid::regprocedure::text FROM pg_proc
	WHERE pronamespace = 'pg_catalog'::regnamespace AND (proname = 'pg_notify' OR proname ~ '^pg_(try_)?advisory_')`

// DatabaseStatements prepare SIT's database (run by a superuser, connected
// to it): PostGIS, who may connect, the owner's right to create its
// schemas, and the revocations that keep the reader from writing anything
// or disturbing the catalog. Idempotent.
func (r Roles) DatabaseStatements() []string {
	db := ident(r.Database)
	out := []string{
		// In public, where every role finds it: the search path would put
		// it in a schema named like the connecting role.
		"CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public",
		// PUBLIC gets CONNECT and TEMPORARY on every new database: SIT's
		// roles get exactly what they need instead, and no one temp tables.
		"REVOKE ALL ON DATABASE " + db + " FROM PUBLIC",
		"GRANT CONNECT, CREATE ON DATABASE " + db + " TO " + ident(r.Owner),
		"GRANT CONNECT ON DATABASE " + db + " TO " + ident(r.Reader),
		"REVOKE CREATE ON SCHEMA public FROM PUBLIC",
		"REVOKE EXECUTE ON FUNCTION " + strings.Join(writeFunctions, ", ") + " FROM PUBLIC",
		fmt.Sprintf(`DO $$ DECLARE f text; BEGIN
  FOR f IN %s LOOP
    EXECUTE format('REVOKE EXECUTE ON FUNCTION %%s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %%s TO %%I', f, %s);
  END LOOP;
END $$`, ownerFunctionsQuery, literal(r.Owner)),
		// The web role's tables, when a migration made them before the
		// role existed (migration 0700 grants them otherwise).
		`DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'sit_auth')
  AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '` + WebGroup + `') THEN
  GRANT USAGE ON SCHEMA sit_auth TO ` + ident(WebGroup) + `;
  GRANT SELECT, INSERT, UPDATE, DELETE ON sit_auth.accounts, sit_auth.sessions, sit_auth.tokens, sit_auth.throttle,
    sit_auth.oidc_flows, sit_auth.jobs TO ` + ident(WebGroup) + `;
  GRANT SELECT, INSERT ON sit_auth.audit TO ` + ident(WebGroup) + `;
  IF to_regclass('sit_auth.certificates') IS NOT NULL THEN
    GRANT SELECT, INSERT ON sit_auth.certificates TO ` + ident(WebGroup) + `; -- the register (0900), append-only
  END IF;
  GRANT USAGE ON ALL SEQUENCES IN SCHEMA sit_auth TO ` + ident(WebGroup) + `;
END IF; END $$`,
	}
	if r.Web != "" {
		out = append(out, "GRANT CONNECT ON DATABASE "+db+" TO "+ident(r.Web))
	}
	return out
}

// Script is what a DBA runs to host SIT on a PostgreSQL that SIT does not
// manage (`sit db grants` prints it). Passwords are set apart with \password.
func (r Roles) Script() string {
	var b strings.Builder
	fmt.Fprintf(&b, "-- SIT on a database it does not manage: run as a superuser with psql.\n")
	fmt.Fprintf(&b, "-- 1. Roles (cluster-wide). Then set their passwords: \\password %s, \\password %s and \\password %s\n", r.Owner, r.Reader, r.Web)
	for _, s := range r.RoleStatements() {
		b.WriteString(s + ";\n")
	}
	fmt.Fprintf(&b, "-- 2. The database, owned by the superuser (not by SIT's owner role).\n")
	fmt.Fprintf(&b, "CREATE DATABASE %s;\n\\connect %s\n", ident(r.Database), ident(r.Database))
	fmt.Fprintf(&b, "-- 3. PostGIS, connections, and what neither role may do. If other applications\n")
	fmt.Fprintf(&b, "--    share this database, grant them CONNECT (and TEMPORARY) by name.\n")
	for _, s := range r.DatabaseStatements() {
		b.WriteString(s + ";\n")
	}
	fmt.Fprintf(&b, "-- Then: sit db migrate --database-url postgres://%s@HOST/%s\n", r.Owner, r.Database)
	fmt.Fprintf(&b, "--       sit serve --reader-url postgres://%s@HOST/%s --web-url postgres://%s@HOST/%s\n", r.Reader, r.Database, r.Web, r.Database)
	return b.String()
}

// EnsureRoles runs RoleStatements and sets the passwords.
func EnsureRoles(ctx context.Context, conn *pgx.Conn, r Roles, ownerPassword, readerPassword, webPassword string) error {
	for _, s := range r.RoleStatements() {
		if _, err := conn.Exec(ctx, s); err != nil {
			return fmt.Errorf("roles: %w", err)
		}
	}
	pws := map[string]string{r.Owner: ownerPassword, r.Reader: readerPassword}
	if r.Web != "" {
		pws[r.Web] = webPassword
	}
	for role, pw := range pws {
		if _, err := conn.Exec(ctx, "ALTER ROLE "+ident(role)+" PASSWORD "+literal(pw)); err != nil {
			return fmt.Errorf("role %s: password: %w", role, err)
		}
	}
	return nil
}

// PrepareDatabase runs DatabaseStatements on a superuser connection to the
// database, then hands SIT's schemas to the owner if another role owns
// them (clusters made before the owner stopped being a superuser).
func PrepareDatabase(ctx context.Context, conn *pgx.Conn, r Roles) error {
	for _, s := range r.DatabaseStatements() {
		if _, err := conn.Exec(ctx, s); err != nil {
			return fmt.Errorf("prepare database %s: %w", r.Database, err)
		}
	}
	return handOver(ctx, conn, r)
}

// sitSchemas are the schemas SIT's owner creates and owns.
var sitSchemas = []string{"sit", "sit_data", "sit_versions", "sit_copies"}

// handOver gives the owner every object of SIT's schemas that another role
// owns (extension members excepted). Before this design the managed cluster's owner was the bootstrap
// superuser, which cannot be demoted: its objects move to a new owner.
func handOver(ctx context.Context, conn *pgx.Conn, r Roles) error {
	_, err := conn.Exec(ctx, fmt.Sprintf(`DO $$ DECLARE o record; owner text := %s; BEGIN
  FOR o IN SELECT nspname FROM pg_namespace WHERE nspname = ANY (%s) AND nspowner <> owner::regrole LOOP
    EXECUTE format('ALTER SCHEMA %%I OWNER TO %%I', o.nspname, owner);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %%I IN SCHEMA %%I GRANT SELECT ON TABLES TO %%I', owner, o.nspname, %s);
  END LOOP;
  FOR o IN SELECT c.oid::regclass AS rel, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY (%s) AND c.relowner <> owner::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i', 'e')) LOOP
    EXECUTE format(CASE o.relkind WHEN 'v' THEN 'ALTER VIEW %%s OWNER TO %%I' WHEN 'm' THEN 'ALTER MATERIALIZED VIEW %%s OWNER TO %%I'
      WHEN 'S' THEN 'ALTER SEQUENCE %%s OWNER TO %%I' ELSE 'ALTER TABLE %%s OWNER TO %%I' END, o.rel, owner);
  END LOOP;
  FOR o IN SELECT p.oid::regprocedure AS fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = ANY (%s) AND p.proowner <> owner::regrole
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e') LOOP
    EXECUTE format('ALTER FUNCTION %%s OWNER TO %%I', o.fn, owner);
  END LOOP;
END $$`, literal(r.Owner), schemaArray(), literal(ReaderGroup), schemaArray(), schemaArray()))
	if err != nil {
		return fmt.Errorf("hand SIT's schemas to %s: %w", r.Owner, err)
	}
	return nil
}

func schemaArray() string {
	q := make([]string, len(sitSchemas))
	for i, s := range sitSchemas {
		q[i] = literal(s)
	}
	return "ARRAY[" + strings.Join(q, ", ") + "]::name[]"
}
