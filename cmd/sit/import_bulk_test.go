package main

import (
	"archive/zip"
	"strings"
	"testing"

	"github.com/sit-gis/sit/importers/bulk/bulktest"
	"github.com/sit-gis/sit/internal/dbtest"
)

// TestImportBulkArchive: sit import reads the cadastre's bulk download as
// published, and its one --comune flag selects comuni in such an archive
// and names the comune owning a new layer for any other file.
func TestImportBulkArchive(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	archive := bulktest.Write(t, t.TempDir(), bulktest.Layout{Region: "TOSCANA", Nested: zip.Deflate}, bulktest.Tuscany())
	lucca := bulktest.Tuscany()[0]
	out, errOut, code := sitImport(t, url, archive, "--layer", "catasto", "--comune", "Lucca")
	if code != 0 || !strings.Contains(out, "layer catasto_particelle, comuni: 1 new (E715 LUCCA)") ||
		!strings.Contains(out, "layers catasto_particelle, catasto_fogli: ") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	var parcels, others int
	queryRow(t, url, "SELECT count(*), count(*) FILTER (WHERE comune <> 'E715') FROM sit_data.catasto_particelle", &parcels, &others)
	if parcels != lucca.Parcels() || others != 0 {
		t.Errorf("%d parcels, %d of other comuni; want %d of Lucca alone", parcels, others, lucca.Parcels())
	}
	var owner string
	queryRow(t, url, "SELECT coalesce(comune, '') FROM sit.layers WHERE name = 'catasto_particelle'", &owner)
	if owner != "" {
		t.Errorf("a layer of an archive belongs to comune %q: the selection is not an owner", owner)
	}

	tests := []struct {
		name string
		args []string
		code int
		want string // in the standard error
	}{
		{"unknown comune", []string{archive, "--comune", "Lucca Sicula"}, 2, "--comune: Lucca Sicula: no comune of that Belfiore code or name"},
		{"province code", []string{archive, "--province", "Lucca"}, 2, "--province"},
		{"release date", []string{archive, "--release-date", "31/12/2025"}, 2, "--release-date"},
		{"comuni of a GeoJSON", []string{geojsonFile(t), "--comune", "lucca", "--comune", "capannori"}, 2, "give one --comune"},
		{"Belfiore code for a GeoJSON", []string{geojsonFile(t), "--comune", "E715"}, 2, "is not an archive of comuni"},
	}
	mustSit(t, "comune", "add", "lucca", "--name", "Comune di Lucca", "--belfiore", "E715", "--database-url", url)
	if out, errOut, code := sitImport(t, url, geojsonFile(t), "--layer", "punti", "--comune", "lucca"); code != 0 {
		t.Fatalf("--comune lucca on a GeoJSON: exit %d\n%s%s", code, out, errOut)
	}
	queryRow(t, url, "SELECT coalesce(comune, '') FROM sit.layers WHERE name = 'punti'", &owner)
	if owner != "lucca" {
		t.Errorf("--comune lucca on a GeoJSON: the layer belongs to %q", owner)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := sitImport(t, url, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, want %d with %q:\n%s", code, tc.code, tc.want, errOut)
			}
		})
	}
}

// geojsonFile is a GeoJSON file of one point in Lucca.
func geojsonFile(t *testing.T) string {
	t.Helper()
	return writeFile(t, t.TempDir(), "punti.geojson", `{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"nome":"uno"},"geometry":{"type":"Point","coordinates":[10.5,43.84]}}]}`)
}
