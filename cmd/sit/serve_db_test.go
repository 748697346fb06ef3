package main

import (
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/dbtest"
)

// TestServeCredentials: the server logs in only as a read-only role, on a
// migrated schema; anything else is refused before it listens.
func TestServeCredentials(t *testing.T) {
	t.Parallel()
	roles := dbtest.Roles(t)
	super := dbtest.URL(t)
	if _, errOut, code := runSit(t, "db", "migrate", "--database-url", super); code != 0 {
		t.Fatal(errOut)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"owner URL only", []string{"--database-url", roles.Owner}, "--reader-url"},
		{"superuser as reader", []string{"--reader-url", super}, "superuser"},
		{"owner as reader", []string{"--reader-url", roles.Owner}, "CREATE on the database"},
		{"migrate without the owner", []string{"--reader-url", roles.Reader, "--migrate"}, "--database-url"},
		{"schema not migrated", []string{"--reader-url", roles.Reader}, "sit db migrate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"serve", "--addr", "127.0.0.1:0"}, tc.args...)
			_, errOut, code := runSit(t, args...)
			if code == 0 || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d, stderr %q; want a refusal naming %q", code, errOut, tc.want)
			}
		})
	}
}

// TestDBGrantsScript: the DBA's script names the roles given and the
// revocations the server checks for.
func TestDBGrantsScript(t *testing.T) {
	t.Parallel()
	out, errOut, code := runSit(t, "db", "grants", "--database", "sit_lucca", "--owner", "lucca_gis", "--reader", "lucca_web")
	if code != 0 {
		t.Fatal(errOut)
	}
	for _, want := range []string{`CREATE DATABASE "sit_lucca"`, `GRANT CONNECT, CREATE ON DATABASE "sit_lucca" TO "lucca_gis"`,
		`GRANT "sit_reader" TO "lucca_web"`, `ALTER ROLE "lucca_web" SET default_transaction_read_only = on`,
		"REVOKE ALL ON DATABASE", "lo_create(oid)", "pg_notify", "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"} {
		if !strings.Contains(out, want) {
			t.Errorf("script lacks %q", want)
		}
	}
	if _, errOut, code := runSit(t, "db", "grants", "--owner", "Bad Name"); code == 0 || !strings.Contains(errOut, "owner role") {
		t.Fatalf("bad role name: exit %d, %s", code, errOut)
	}
}
