package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/internal/pgcluster"
)

// managedCluster is a data directory whose cluster is destroyed when the
// test ends (its PostgreSQL data may live outside the directory).
func managedCluster(t *testing.T) string {
	t.Helper()
	dbtest.Roles(t) // skips without PostgreSQL, fails under CI
	dir := filepath.Join(t.TempDir(), "pg")
	t.Cleanup(func() {
		if c, err := pgcluster.New(pgcluster.Options{Dir: dir}); err == nil && c.Initialised() {
			_ = c.Destroy(context.Background())
		}
	})
	return dir
}

func mustSit(t *testing.T, args ...string) string {
	t.Helper()
	return mustSitEnv(t, nil, args...)
}

// environWithout is the test process's environment without the variables
// named.
func environWithout(names ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !slices.Contains(names, k) {
			env = append(env, kv)
		}
	}
	return env
}

// mustSitEnv is mustSit with env as the environment (nil: the process's).
func mustSitEnv(t *testing.T, env []string, args ...string) string {
	t.Helper()
	out, errOut, code := runSitIO(t, "", env, args...)
	if code != 0 {
		t.Fatalf("sit %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// sit db backup, then sit db restore into a fresh data directory: the same
// layers, versions, feature counts and import history, and the restored
// cluster has secrets of its own.
func TestBackupRestoreIntoFreshDataDir(t *testing.T) {
	t.Parallel()
	// The managed clusters of --data-dir, whatever DATABASE_URL the shell has.
	env := environWithout("DATABASE_URL")
	mustSit := func(t *testing.T, args ...string) string { t.Helper(); return mustSitEnv(t, env, args...) }
	runSit := func(t *testing.T, args ...string) (string, string, int) {
		t.Helper()
		return runSitIO(t, "", env, args...)
	}
	src, dst := managedCluster(t), managedCluster(t)
	mustSit(t, "demo", "--no-serve", "--parcels", "1500", "--data-dir", src)
	// A second version of one layer, and a removed one.
	mustSit(t, "import", "../../data/lucca_046017_boundary.geojson", "--layer", "confine", "--kind", "boundary", "--data-dir", src)
	mustSit(t, "import", "../../data/lucca_046017_boundary.geojson", "--layer", "confine", "--kind", "boundary", "--replace", "--data-dir", src)
	file := filepath.Join(t.TempDir(), "lucca.sitbackup")
	out := mustSit(t, "db", "backup", file, "--data-dir", src)
	if !strings.Contains(out, "confine v2 (1)") {
		t.Fatalf("backup summary: %s", out)
	}
	out = mustSit(t, "db", "restore", file, "--data-dir", dst)
	if !strings.Contains(out, "creating a managed PostgreSQL cluster in "+dst) || !strings.Contains(out, "checked against the backup") {
		t.Fatalf("restore: %s", out)
	}
	for _, args := range [][]string{{"layers"}, {"layers", "imports", "--limit", "100"}} {
		a := mustSit(t, append(args, "--data-dir", src)...)
		b := mustSit(t, append(args, "--data-dir", dst)...)
		if a != b || strings.Count(a, "\n") < 5 {
			t.Fatalf("sit %s differs after the restore:\n%s\n---\n%s", strings.Join(args, " "), a, b)
		}
	}
	cs, _ := pgcluster.New(pgcluster.Options{Dir: src})
	cd, _ := pgcluster.New(pgcluster.Options{Dir: dst})
	if cs.State().OwnerPassword == cd.State().OwnerPassword || cs.State().ReaderPassword == cd.State().ReaderPassword {
		t.Fatal("the restored cluster reuses the old passwords")
	}
	raw, err := os.ReadFile(file)
	if err != nil || strings.Contains(string(raw), cs.State().OwnerPassword) || strings.Contains(string(raw), cs.State().ReaderPassword) {
		t.Fatalf("a password is in the backup (%v)", err)
	}
	// A second restore over the restored data is refused, exit 1, nothing changed.
	_, errOut, code := runSit(t, "db", "restore", file, "--data-dir", dst)
	if code != exitFailed || !strings.Contains(errOut, "already holds SIT's schemas") {
		t.Fatalf("restore over data: exit %d %s", code, errOut)
	}
	// A damaged file is refused before any cluster is made.
	bad := filepath.Join(t.TempDir(), "bad.sitbackup")
	if err := os.WriteFile(bad, raw[:len(raw)-2000], 0o600); err != nil {
		t.Fatal(err)
	}
	none := filepath.Join(t.TempDir(), "none")
	if _, errOut, code := runSit(t, "db", "restore", bad, "--data-dir", none); code != exitFailed || !strings.Contains(errOut, "cut short") && !strings.Contains(errOut, "damaged") && !strings.Contains(errOut, "EOF") {
		t.Fatalf("damaged file: exit %d %s", code, errOut)
	}
	if _, err := os.Stat(none); !os.IsNotExist(err) {
		t.Fatalf("a cluster was made for a damaged file: %v", err)
	}
}
