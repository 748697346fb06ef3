package pgcluster

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestMajorVersion(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"debian", "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)", "15"},
		{"plain", "postgres (PostgreSQL) 16.2", "16"},
		{"none", "postgres", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := majorVersion(tc.in); got != tc.want {
				t.Fatalf("majorVersion(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestUpDownIdempotent starts a real cluster twice, checks PostGIS and the
// reader role, then stops it. It needs the PostgreSQL binaries; without them
// it skips, except under CI=true.
func TestUpDownIdempotent(t *testing.T) {
	if _, err := FindBinaries(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	c, err := New(Options{Dir: dir, Settings: map[string]string{"fsync": "off"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Destroy(context.Background()) })
	if err := c.Up(ctx); err != nil {
		t.Fatal(err)
	}
	port := c.State().Port
	// Second Up on a running cluster: no error, same port.
	c2, err := New(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := c2.Up(ctx); err != nil {
		t.Fatalf("second Up: %v", err)
	}
	if c2.State().Port != port {
		t.Fatalf("port changed from %d to %d", port, c2.State().Port)
	}
	conn, err := pgx.Connect(ctx, c.ReaderURL())
	if err != nil {
		t.Fatalf("reader connects: %v", err)
	}
	var v string
	if err := conn.QueryRow(ctx, "SELECT postgis_lib_version()").Scan(&v); err != nil || v == "" {
		t.Fatalf("postgis version: %q %v", v, err)
	}
	conn.Close(ctx)
	checkRoleAttributes(t, ctx, c)
	if err := c.Down(ctx); err != nil {
		t.Fatal(err)
	}
	if running, _ := c.Running(ctx); running {
		t.Fatal("still running after Down")
	}
	// Down on a stopped cluster is fine; Up brings it back.
	if err := c.Down(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Up(ctx); err != nil {
		t.Fatalf("Up after Down: %v", err)
	}
}

// checkRoleAttributes: only the admin is a superuser; the owner and the
// reader have no attribute beyond LOGIN, and the reader is read-only at role level.
func checkRoleAttributes(t *testing.T, ctx context.Context, c *Cluster) {
	t.Helper()
	conn, err := pgx.Connect(ctx, c.OwnerURL())
	if err != nil {
		t.Fatalf("owner connects: %v", err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT rolname, rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR rolreplication,
		coalesce('default_transaction_read_only=on' = ANY (rolconfig), false) FROM pg_roles WHERE rolname = ANY ($1) ORDER BY 1`,
		[]string{c.State().AdminRole, c.Roles().Owner, c.Roles().Reader})
	if err != nil {
		t.Fatal(err)
	}
	type attrs struct{ privileged, readOnly bool }
	got := map[string]attrs{}
	for rows.Next() {
		var name string
		var a attrs
		if err := rows.Scan(&name, &a.privileged, &a.readOnly); err != nil {
			t.Fatal(err)
		}
		got[name] = a
	}
	want := map[string]attrs{c.State().AdminRole: {true, false}, c.Roles().Owner: {false, false}, c.Roles().Reader: {false, true}}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("role %s: privileged %v, read-only %v; want %v, %v", name, got[name].privileged, got[name].readOnly, w.privileged, w.readOnly)
		}
	}
}

// TestUpAdoptsLegacyCluster: a cluster made when the owner "sit" was the
// bootstrap superuser (and owned SIT's schemas) comes out of Up with a
// separate, unprivileged owner that owns them, its data intact.
func TestUpAdoptsLegacyCluster(t *testing.T) {
	bins, err := FindBinaries()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c, err := New(Options{Dir: t.TempDir(), Settings: map[string]string{"fsync": "off"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Destroy(context.Background()) })
	if err := os.MkdirAll(c.Dir(), 0o700); err != nil {
		t.Fatal(err)
	}
	// The old layout: superuser "sit", whose password was the owner's.
	if err := c.initdb(ctx, bins, "sit"); err != nil {
		t.Fatal(err)
	}
	c.state.OwnerPassword, c.state.AdminRole, c.state.AdminPassword, c.state.OwnerRole = c.state.AdminPassword, "", "", ""
	if err := c.saveState(); err != nil {
		t.Fatal(err)
	}
	if err := c.start(ctx); err != nil {
		t.Fatal(err)
	}
	legacy := func(db, sql string) {
		t.Helper()
		conn, err := pgx.Connect(ctx, c.url("sit", c.state.OwnerPassword, db))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	legacy("postgres", "CREATE DATABASE sit")
	legacy("postgres", "CREATE ROLE sit_reader LOGIN")
	legacy("sit", `CREATE EXTENSION postgis; CREATE SCHEMA sit; CREATE SCHEMA sit_data; CREATE TABLE sit.layers (name text PRIMARY KEY);
		CREATE TABLE sit_data.strato (fid bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, nome text);
		INSERT INTO sit_data.strato (nome) VALUES ('Lucca'); GRANT USAGE ON SCHEMA sit, sit_data TO sit_reader;
		GRANT SELECT ON ALL TABLES IN SCHEMA sit, sit_data TO sit_reader`)
	if err := c.Up(ctx); err != nil {
		t.Fatalf("Up on a legacy cluster: %v", err)
	}
	if c.Roles().Owner != legacyOwnerRole || c.State().AdminRole != "sit" {
		t.Fatalf("roles after adoption: owner %s, admin %s", c.Roles().Owner, c.State().AdminRole)
	}
	checkRoleAttributes(t, ctx, c)
	conn, err := pgx.Connect(ctx, c.OwnerURL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var owners string
	if err := conn.QueryRow(ctx, `SELECT string_agg(DISTINCT pg_get_userbyid(o), ',') FROM (
		SELECT nspowner AS o FROM pg_namespace WHERE nspname IN ('sit', 'sit_data')
		UNION ALL SELECT relowner FROM pg_class WHERE relnamespace IN ('sit'::regnamespace, 'sit_data'::regnamespace)) x`).Scan(&owners); err != nil {
		t.Fatal(err)
	}
	if owners != legacyOwnerRole {
		t.Fatalf("SIT's schemas and tables owned by %s, want %s", owners, legacyOwnerRole)
	}
	// The new owner can write its tables (and its identity sequence).
	if _, err := conn.Exec(ctx, "INSERT INTO sit_data.strato (nome) VALUES ('Capannori')"); err != nil {
		t.Fatalf("owner writes: %v", err)
	}
	rc, err := pgx.Connect(ctx, c.ReaderURL())
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close(ctx)
	var n int
	if err := rc.QueryRow(ctx, "SELECT count(*) FROM sit_data.strato").Scan(&n); err != nil || n != 2 {
		t.Fatalf("reader reads %d rows (%v), want 2", n, err)
	}
}
