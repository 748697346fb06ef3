// Package dbtest gives database tests a real PostGIS: the server named by
// SIT_TEST_DATABASE_URL, or else a throwaway cluster started through the same
// managed-cluster code `sit db up` uses. Each test gets a fresh database.
// Without any PostgreSQL the tests skip, except when CI=true: then they fail.
package dbtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sit-gis/sit/internal/pgcluster"
)

// server is the PostgreSQL this test binary uses; set up once by Main.
type server struct {
	adminURL string // a URL to the maintenance database with CREATEDB rights
	cluster  *pgcluster.Cluster
	template string
	err      error
}

var (
	once sync.Once
	srv  server
)

// Main wraps testing.M: it runs the tests and then removes the throwaway
// cluster, if one was started. Use it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if srv.cluster != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		if err := srv.cluster.Destroy(ctx); err != nil {
			log.Printf("dbtest: removing the throwaway cluster: %v", err)
		}
		cancel()
	}
	os.Exit(code)
}

func setup() {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if u := os.Getenv("SIT_TEST_DATABASE_URL"); u != "" {
		srv.adminURL = u
	} else {
		dir, err := os.MkdirTemp("", "sit-dbtest-")
		if err != nil {
			srv.err = err
			return
		}
		c, err := pgcluster.New(pgcluster.Options{Dir: dir, Settings: throwaway, NoSync: true})
		if err != nil {
			srv.err = err
			return
		}
		if err := c.Up(ctx); err != nil {
			_ = c.Destroy(ctx)
			srv.err = err
			return
		}
		srv.cluster = c
		srv.adminURL = c.AdminURLFor("postgres")
	}
	// A template with PostGIS makes each test database cheap to create.
	srv.template = fmt.Sprintf("sit_tpl_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)
	conn, err := pgx.Connect(ctx, srv.adminURL)
	if err != nil {
		srv.err = fmt.Errorf("connect %s: %w", redact(srv.adminURL), err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{srv.template}.Sanitize()); err != nil {
		srv.err = fmt.Errorf("create template database: %w", err)
		return
	}
	tc, err := pgx.Connect(ctx, withDatabase(srv.adminURL, srv.template))
	if err != nil {
		srv.err = err
		return
	}
	defer tc.Close(ctx)
	if _, err := tc.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS postgis"); err != nil {
		srv.err = fmt.Errorf("create extension postgis: %w", err)
	}
}

// URL returns the connection string of a fresh, empty PostGIS database that
// is dropped when the test ends, as a superuser (the harness's, not SIT's
// roles: see Roles). It skips the test when no PostgreSQL is available, and
// fails it when CI=true.
func URL(t testing.TB) string {
	t.Helper()
	return withDatabase(srv.adminURL, newDatabase(t))
}

// Superuser returns the harness's superuser URL for the database of u
// (a URL from Roles): for a test that sets up what only a DBA may (an
// extension, a foreign server, another role), never for SIT itself.
func Superuser(t testing.TB, u string) string {
	t.Helper()
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	return withDatabase(srv.adminURL, cfg.Database)
}

// RoleURLs are connection strings to one database as SIT's two roles.
type RoleURLs struct {
	Owner, Reader, Web string
}

// Roles returns a fresh database prepared as `sit db up` prepares the
// managed one (and as `sit db grants` tells a DBA): SIT's non-superuser
// owner and read-only reader, PostGIS, the grants and revocations. Nothing
// is migrated yet. With SIT_TEST_DATABASE_URL the roles are sit_test_owner
// and sit_test_reader (a member of sit_reader).
func Roles(t testing.TB) RoleURLs {
	t.Helper()
	name := newDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r := pgcluster.Roles{Database: name, Owner: pgcluster.OwnerRole, Reader: pgcluster.ReaderRole, Web: pgcluster.WebRole}
	var ownerPW, readerPW, webPW string
	if srv.cluster != nil {
		st := srv.cluster.State()
		ownerPW, readerPW, webPW = st.OwnerPassword, st.ReaderPassword, st.WebPassword
	} else {
		// Shared by every test binary on that server: derived, not random,
		// so that concurrent packages set the same passwords.
		r.Owner, r.Reader, r.Web = "sit_test_owner", "sit_test_reader", "sit_test_web"
		sum := sha256.Sum256([]byte(srv.adminURL))
		ownerPW, readerPW, webPW = hex.EncodeToString(sum[:12]), hex.EncodeToString(sum[12:24]), hex.EncodeToString(sum[24:])
	}
	conn, err := pgx.Connect(ctx, srv.adminURL)
	if err != nil {
		t.Fatalf("dbtest: connect: %v", err)
	}
	if srv.cluster == nil {
		rolesMu.Lock()
		err = pgcluster.EnsureRoles(ctx, conn, r, ownerPW, readerPW, webPW)
		rolesMu.Unlock()
	}
	conn.Close(ctx)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	dbc, err := pgx.Connect(ctx, withDatabase(srv.adminURL, name))
	if err != nil {
		t.Fatalf("dbtest: connect: %v", err)
	}
	defer dbc.Close(ctx)
	if err := pgcluster.PrepareDatabase(ctx, dbc, r); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	return RoleURLs{Owner: roleURL(srv.adminURL, name, r.Owner, ownerPW), Reader: roleURL(srv.adminURL, name, r.Reader, readerPW),
		Web: roleURL(srv.adminURL, name, r.Web, webPW)}
}

// rolesMu serialises role changes of this test binary (concurrent ALTER
// ROLE of one role fails with "tuple concurrently updated").
var rolesMu sync.Mutex

// newDatabase creates a fresh database from the PostGIS template, dropped
// when the test ends, and returns its name.
func newDatabase(t testing.TB) string {
	t.Helper()
	once.Do(setup)
	if srv.err != nil {
		unavailable(t, fmt.Errorf("set SIT_TEST_DATABASE_URL or install PostgreSQL: %w", srv.err))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	name := fmt.Sprintf("sit_test_%d_%d", os.Getpid(), time.Now().UnixNano())
	conn, err := pgx.Connect(ctx, srv.adminURL)
	if err != nil {
		t.Fatalf("dbtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	// CREATE DATABASE ... TEMPLATE fails while another session uses the
	// template; retry briefly since packages create databases in parallel.
	for i := 0; ; i++ {
		_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE "+pgx.Identifier{srv.template}.Sanitize())
		if err == nil || i > 50 || !strings.Contains(err.Error(), "being accessed") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("dbtest: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		c, err := pgx.Connect(ctx, srv.adminURL)
		if err != nil {
			return
		}
		defer c.Close(ctx)
		_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	})
	return name
}

// Pool returns a pool on a fresh database (see URL), closed when the test ends.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	u := URL(t)
	pool, err := pgxpool.New(context.Background(), u)
	if err != nil {
		t.Fatalf("dbtest: pool: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// withDatabase swaps the database name of a postgres URL.
func withDatabase(u, db string) string {
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		return u
	}
	return roleURL(u, db, cfg.User, cfg.Password)
}

// roleURL is the URL of the server of u, for another database and role.
func roleURL(u, db, user, password string) string {
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		return u
	}
	// Rebuild from the parsed config keeps host and port.
	return fmt.Sprintf("postgres://%s:%s@%s:%d/%s?sslmode=disable",
		urlEscape(user), urlEscape(password), cfg.Host, cfg.Port, db)
}

func urlEscape(s string) string {
	r := strings.NewReplacer("%", "%25", ":", "%3A", "@", "%40", "/", "%2F", "?", "%3F", "#", "%23", " ", "%20")
	return r.Replace(s)
}

func redact(u string) string {
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		return "(unparseable URL)"
	}
	return fmt.Sprintf("postgres://%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}

// Cluster starts a managed cluster of the test's own (for what needs a
// whole server, such as a streaming replica of it), bootstrapped with SIT's
// roles and database and removed when the test ends. It skips the test
// without PostgreSQL, and fails it when CI=true.
func Cluster(t testing.TB) *pgcluster.Cluster {
	t.Helper()
	if _, err := pgcluster.FindBinaries(); err != nil {
		unavailable(t, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, err := pgcluster.New(pgcluster.Options{Dir: t.TempDir() + "/primary", Settings: throwaway, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	destroyAtEnd(t, c)
	if err := c.Up(ctx); err != nil {
		t.Fatalf("dbtest: cluster: %v", err)
	}
	return c
}

// Standby starts a streaming hot standby of primary (pg_basebackup -R),
// removed when the test ends.
func Standby(t testing.TB, primary *pgcluster.Cluster) *pgcluster.Cluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	sb, err := primary.Standby(ctx, t.TempDir()+"/standby")
	if sb != nil {
		destroyAtEnd(t, sb)
	}
	if err != nil {
		t.Fatalf("dbtest: standby: %v", err)
	}
	return sb
}

// throwaway are the settings of test clusters: durability costs time and
// buys nothing here.
var throwaway = map[string]string{
	"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
	"shared_buffers": "'128MB'",
}

func destroyAtEnd(t testing.TB, c *pgcluster.Cluster) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := c.Destroy(ctx); err != nil {
			t.Logf("dbtest: removing a cluster: %v", err)
		}
	})
}

// unavailable skips the test without PostgreSQL, or fails it under CI.
func unavailable(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("database tests need PostgreSQL + PostGIS and CI=true: %v", err)
	}
	t.Skipf("no PostgreSQL + PostGIS for database tests (install postgresql-15-postgis-3): %v", err)
}
