package backup

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sit-gis/sit/ingest"
	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/internal/pgcluster"
	"github.com/sit-gis/sit/layers"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// importFile loads a file of the repository into a layer, as the owner.
func importFile(t *testing.T, pool *pgxpool.Pool, path string, req ingest.Request) {
	t.Helper()
	req.Path = filepath.Join("..", "..", path)
	plan, err := ingest.Prepare(req)
	if err != nil {
		t.Fatal(err)
	}
	defer plan.Close()
	if err := plan.Run(context.Background(), layers.NewStore(pool, nil), &ingest.Job{}); err != nil {
		t.Fatal(err)
	}
}

func ownerPool(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if err := layers.Migrate(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	return pool
}

// A round trip into another database gives the same layers, versions and
// feature counts, the reader can read them, and the file holds no
// password.
func TestBackupRestoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := dbtest.Roles(t)
	pool := ownerPool(t, src.Owner)
	importFile(t, pool, "data/admin/openpolis_limits_P_46_municipalities.geojson", ingest.Request{Layer: "comuni", Kind: "boundary"})
	importFile(t, pool, "data/admin/openpolis_limits_P_46_municipalities.geojson", ingest.Request{Layer: "comuni", Kind: "boundary", Replace: true})
	importFile(t, pool, "data/lucca_046017_boundary.geojson", ingest.Request{Layer: "lucca", Kind: "boundary"})

	file := filepath.Join(t.TempDir(), "sit.backup")
	made, err := Backup(ctx, Options{OwnerURL: src.Owner, Path: file, SitVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if len(made.Layers) != 2 || made.Layers[0].Name != "comuni" || made.Layers[0].Version != 2 || made.Layers[0].Features != 33 || made.Layers[1].Features != 1 {
		t.Fatalf("manifest layers %+v", made.Layers)
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("backup file %v %v", st, err)
	}
	raw, _ := os.ReadFile(file)
	if pw := passwordOf(t, src.Owner); pw != "" && strings.Contains(string(raw), pw) {
		t.Fatal("the backup holds the owner's password")
	}

	dst := dbtest.Roles(t)
	m, err := ReadManifest(file)
	if err != nil || m.Dump.SHA256 != made.Dump.SHA256 || m.Features() != 34 {
		t.Fatalf("manifest read back: %+v %v", m, err)
	}
	if err := Restore(ctx, Options{OwnerURL: dst.Owner, Path: file}, m); err != nil {
		t.Fatal(err)
	}
	// The reader reads the restored data: the grants came back.
	reader, err := pgxpool.New(ctx, dst.Reader)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	var n int
	if err := reader.QueryRow(ctx, "SELECT count(*) FROM sit_data.comuni").Scan(&n); err != nil || n != 33 {
		t.Fatalf("reader: %d rows, %v", n, err)
	}
	if pending, err := layers.Pending(ctx, reader); err != nil || len(pending) != 0 {
		t.Fatalf("pending migrations after restore: %v %v", pending, err)
	}

	// Restoring again over data is refused and changes nothing.
	if err := Restore(ctx, Options{OwnerURL: dst.Owner, Path: file}, m); err == nil || !strings.Contains(err.Error(), "already holds SIT's schemas") {
		t.Fatalf("restore over data: %v", err)
	}
}

// A damaged or cut file is refused before anything is written.
func TestRestoreRefusesDamagedFiles(t *testing.T) {
	ctx := context.Background()
	src := dbtest.Roles(t)
	pool := ownerPool(t, src.Owner)
	importFile(t, pool, "data/lucca_046017_boundary.geojson", ingest.Request{Layer: "lucca", Kind: "boundary"})
	file := filepath.Join(t.TempDir(), "sit.backup")
	if _, err := Backup(ctx, Options{OwnerURL: src.Owner, Path: file}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	flipped := append([]byte(nil), raw...)
	flipped[blockSize+100] ^= 0xff
	cases := map[string][]byte{"flipped byte": flipped, "cut": raw[:len(raw)/2], "not a backup": []byte("hello")}
	dst := dbtest.Roles(t)
	for name, b := range cases {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadManifest(p); err == nil {
			t.Fatalf("%s: accepted", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
	var schemas int
	dstPool := ownerPoolNoMigrate(t, dst.Owner)
	if err := dstPool.QueryRow(ctx, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'sit%'").Scan(&schemas); err != nil || schemas != 0 {
		t.Fatalf("%d SIT schemas after refused restores (%v)", schemas, err)
	}
}

func ownerPoolNoMigrate(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func passwordOf(t *testing.T, url string) string {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	return cfg.ConnConfig.Password
}

// A backup restores into a database whose owner role has another name (a
// managed cluster's backup into a DBA's database): the dump's default
// privileges, which name the old owner, are set again for the new one.
func TestRestoreAsAnotherOwner(t *testing.T) {
	ctx := context.Background()
	src := dbtest.Roles(t)
	pool := ownerPool(t, src.Owner)
	importFile(t, pool, "data/lucca_046017_boundary.geojson", ingest.Request{Layer: "lucca", Kind: "boundary"})
	file := filepath.Join(t.TempDir(), "sit.backup")
	if _, err := Backup(ctx, Options{OwnerURL: src.Owner, Path: file}); err != nil {
		t.Fatal(err)
	}

	admin := dbtest.URL(t)
	owner := "sit_other_" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "_"))[len("Test"):]
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	r := pgcluster.Roles{Database: conn.Config().Database, Owner: owner, Reader: pgcluster.ReaderRole}
	if err := pgcluster.EnsureRoles(ctx, conn, r, "other-pw", "reader-pw-unused", ""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, admin)
		if err == nil {
			_, _ = c.Exec(ctx, "DROP OWNED BY "+owner)
			_, _ = c.Exec(ctx, "DROP ROLE "+owner)
			c.Close(ctx)
		}
	})
	if err := pgcluster.PrepareDatabase(ctx, conn, r); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(admin)
	u.User = url.UserPassword(owner, "other-pw")
	m, err := ReadManifest(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := Restore(ctx, Options{OwnerURL: u.String(), Path: file}, m); err != nil {
		t.Fatal(err)
	}
	var def bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_default_acl d JOIN pg_namespace n ON n.oid = d.defaclnamespace
		WHERE n.nspname = 'sit_data' AND d.defaclrole = $1::regrole)`, owner).Scan(&def); err != nil || !def {
		t.Fatalf("default privileges for %s in sit_data: %v %v", owner, def, err)
	}
}
