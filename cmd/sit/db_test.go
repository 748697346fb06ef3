package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Only `sit db up` and `sit demo` create a cluster: any other command on a
// data directory that holds none fails, names the directory, and leaves
// nothing behind.
func TestNoClusterCreatedByAccident(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "typo", "pg")
	for _, args := range [][]string{
		{"layers"},
		{"layers", "imports"},
		{"import", "../../data/admin/openpolis_limits_P_46_municipalities.geojson"},
		{"parcel", "1/1"},
		{"export", "pmtiles", "--layers", "x", filepath.Join(t.TempDir(), "x.pmtiles")},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Setenv("DATABASE_URL", "")
			_, errOut, code := runSit(t, append(args, "--data-dir", dir)...)
			if code == 0 || !strings.Contains(errOut, dir) || !strings.Contains(errOut, "sit db up") {
				t.Fatalf("exit %d, stderr %q; want a failure naming %s and `sit db up`", code, errOut, dir)
			}
			if _, err := os.Stat(filepath.Dir(dir)); !os.IsNotExist(err) {
				t.Fatalf("%s was created (%v)", filepath.Dir(dir), err)
			}
		})
	}
}
