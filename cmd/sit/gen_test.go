package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenCommand(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		args    []string
		code    int
		out     string // in stdout
		errText string // in stderr
		file    string // written under the output directory
	}{
		{"geojsonl", []string{"--parcels", "500"}, 0, "500 parcels in", "", "lucca_parcels.geojsonl"},
		{"inspire bulk", []string{"--parcels", "500", "--format", "inspire-bulk"}, 0, "ITALIA/TOSCANA.zip  2 GML members", "", "ITALIA/TOSCANA.zip"},
		{"unknown format", []string{"--format", "shp"}, 1, "", `--format "shp": want geojsonl or inspire-bulk`, ""},
		{"too few parcels", []string{"--parcels", "5"}, 1, "", "parcels must be between", ""},
		{"more than Tuscany holds", []string{"--parcels", "29000000"}, 1, "", "km²", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			out, errOut, code := runSit(t, append([]string{"gen", "--out", dir}, c.args...)...)
			if code != c.code || !strings.Contains(out, c.out) || !strings.Contains(errOut, c.errText) {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
			}
			if c.file != "" {
				if st, err := os.Stat(filepath.Join(dir, c.file)); err != nil || st.Size() == 0 {
					t.Errorf("%s: %v", c.file, err)
				}
			}
		})
	}
}
