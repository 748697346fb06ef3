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
