package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/sit-gis/sit/importers/importertest"
	"github.com/sit-gis/sit/internal/dbtest"
)

// writeFile writes content under dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// featureCollection makes a GeoJSON FeatureCollection of the geometries.
func featureCollection(geoms ...string) string {
	var fs []string
	for i, g := range geoms {
		fs = append(fs, fmt.Sprintf(`{"type":"Feature","properties":{"n":%d},"geometry":%s}`, i+1, g))
	}
	return `{"type":"FeatureCollection","features":[` + strings.Join(fs, ",") + `]}`
}

func square(x, y, d float64) string {
	return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}`, x, y, x+d, y, x+d, y+d, x, y+d, x, y)
}

func point(x, y float64) string { return fmt.Sprintf(`{"type":"Point","coordinates":[%g,%g]}`, x, y) }

// sitImport runs `sit import` on the test database.
func sitImport(t *testing.T, url string, args ...string) (string, string, int) {
	t.Helper()
	return runSit(t, append([]string{"import", "--database-url", url}, args...)...)
}

func layerVersion(t *testing.T, url, layer string) (v int, geom string) {
	t.Helper()
	queryRow(t, url, "SELECT version, geometry_type FROM sit.layers WHERE name = '"+layer+"'", &v, &geom)
	return v, geom
}

// Nothing is replaced by accident: a replace that changes the kind, the
// geometry or the source file needs --replace (there is no terminal here
// to confirm on), and the refusal says why and leaves the layer as it was.
func TestImportReplaceNeedsConsent(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	dir := t.TempDir()
	zone := writeFile(t, dir, "zone.geojson", featureCollection(square(10.50, 43.84, 0.01), square(10.52, 43.84, 0.01)))
	if _, errOut, code := sitImport(t, url, zone, "--layer", "zone", "--kind", "zoning"); code != 0 {
		t.Fatal(errOut)
	}
	// Re-importing the same file is an ordinary update, with no question.
	if _, errOut, code := sitImport(t, url, zone, "--layer", "zone"); code != 0 {
		t.Fatalf("re-import of the same file: %s", errOut)
	}
	if v, _ := layerVersion(t, url, "zone"); v != 2 {
		t.Fatalf("version %d after a re-import, want 2", v)
	}
	var kind string
	queryRow(t, url, "SELECT kind FROM sit.layers WHERE name = 'zone'", &kind)
	if kind != "zoning" {
		t.Fatalf("a re-import without --kind changed the kind to %s", kind)
	}
	civici := writeFile(t, dir, "civici.geojson", featureCollection(point(10.50, 43.84)))
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"other file and geometry", []string{civici, "--layer", "zone"}, []string{"geometry MultiPolygon → Point", "source file zone.geojson → civici.geojson", "--replace"}},
		{"other kind", []string{zone, "--layer", "zone", "--kind", "constraint"}, []string{"kind zoning → constraint", "--replace"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := sitImport(t, url, tc.args...)
			if code == 0 {
				t.Fatal("the layer was replaced without --replace")
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("message lacks %q:\n%s", w, errOut)
				}
			}
			if v, g := layerVersion(t, url, "zone"); v != 2 || g != "MultiPolygon" {
				t.Fatalf("after a refusal: version %d %s, want 2 MultiPolygon", v, g)
			}
		})
	}
	if _, errOut, code := sitImport(t, url, civici, "--layer", "zone", "--replace"); code != 0 {
		t.Fatalf("--replace: %s", errOut)
	}
	if v, g := layerVersion(t, url, "zone"); v != 3 || g != "Point" {
		t.Fatalf("after --replace: version %d %s, want 3 Point", v, g)
	}
}

// One bad record among good ones: the good ones load, the bad one is
// reported with its number and reason (issue 19).
func TestImportUnclosedRingIsOneRejectedRecord(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	dir := t.TempDir()
	unclosed := `{"type":"Polygon","coordinates":[[[10.51,43.84],[10.52,43.84],[10.52,43.85],[10.51,43.85]]]}`
	p := writeFile(t, dir, "particelle.geojson", featureCollection(square(10.50, 43.84, 0.001), unclosed, square(10.53, 43.84, 0.001)))
	out, errOut, code := sitImport(t, url, p)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "2 features loaded (3 read, 1 rejected") || !strings.Contains(errOut, "record 2: outer ring is not closed") {
		t.Fatalf("stdout %s\nstderr %s", out, errOut)
	}
}

// Data that would land in the wrong place is refused or warned about, and
// every import says where it landed.
func TestImportCRSYouCanTrust(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	dir := t.TempDir()
	t.Run("extent printed", func(t *testing.T) {
		out, errOut, code := sitImport(t, url, writeFile(t, dir, "lucca.geojson", featureCollection(point(10.50, 43.84), point(10.52, 43.85))))
		if code != 0 || !strings.Contains(out, "extent lon 10.5000…10.5200, lat 43.8400…43.8500") || strings.Contains(errOut, "warning") {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
	})
	t.Run("projected GeoJSON without crs", func(t *testing.T) {
		_, errOut, code := sitImport(t, url, writeFile(t, dir, "gb.geojson", featureCollection(square(1620000, 4854000, 50), square(1620100, 4854000, 50))))
		if code == 0 || !strings.Contains(errOut, "not longitude/latitude") || !strings.Contains(errOut, "--srid 3003") || strings.Contains(errOut, "SQLSTATE") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
	t.Run("swapped axes", func(t *testing.T) {
		swapped := writeFile(t, dir, "scambiati.geojson", featureCollection(point(43.84, 10.50), point(43.85, 10.52)))
		_, errOut, code := sitImport(t, url, swapped)
		if code == 0 || !strings.Contains(errOut, "look swapped") || !strings.Contains(errOut, "--swap-axes") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		out, errOut, code := sitImport(t, url, swapped, "--swap-axes")
		if code != 0 || !strings.Contains(out, "extent lon 10.5000…10.5200, lat 43.8400…43.8500") {
			t.Fatalf("--swap-axes: exit %d\n%s%s", code, out, errOut)
		}
	})
	t.Run("outside Italy", func(t *testing.T) {
		p := writeFile(t, dir, "balcani.geojson", featureCollection(point(22.75, 43.84)))
		out, errOut, code := sitImport(t, url, p)
		if code != 0 || !strings.Contains(errOut, "warning: layer balcani lies outside Italy: lon 22.7500") {
			t.Fatalf("exit %d\n%s%s", code, out, errOut)
		}
		if _, errOut, _ := sitImport(t, url, p, "--expected-area", "20,40,25,45"); strings.Contains(errOut, "warning") {
			t.Fatalf("warned inside the expected area: %s", errOut)
		}
		if _, errOut, code := sitImport(t, url, p, "--expected-area", "20,40"); code == 0 || !strings.Contains(errOut, "--expected-area") {
			t.Fatalf("bad --expected-area: exit %d %s", code, errOut)
		}
	})
}

// Mixed geometry types are reported, then split or kept on request.
func TestImportMixedGeometries(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	dir := t.TempDir()
	p := writeFile(t, dir, "misti.geojson", featureCollection(square(10.50, 43.84, 0.001), square(10.51, 43.84, 0.001), point(10.52, 43.84)))
	_, errOut, code := sitImport(t, url, p)
	if code == 0 || !strings.Contains(errOut, "polygons: 2 (the first at record 1); points: 1 (the first at record 3)") || !strings.Contains(errOut, "--mixed split") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out, errOut, code := sitImport(t, url, p, "--mixed", "split"); code != 0 {
		t.Fatalf("split: %s%s", out, errOut)
	}
	var polys, points int
	queryRow(t, url, "SELECT (SELECT feature_count FROM sit.layers WHERE name = 'misti_polygons'), (SELECT feature_count FROM sit.layers WHERE name = 'misti_points')", &polys, &points)
	if polys != 2 || points != 1 {
		t.Fatalf("split into %d polygons, %d points", polys, points)
	}
	if _, errOut, code := sitImport(t, url, p, "--mixed", "keep"); code != 0 {
		t.Fatal(errOut)
	}
	if _, g := layerVersion(t, url, "misti"); g != "Geometry" {
		t.Fatalf("keep: geometry %s", g)
	}
}

// A derived name is never cut: two long file names with the same
// beginning would otherwise replace each other's layer (issue 19).
func TestImportLongNamesAreNotCut(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := writeFile(t, dir, "Piano Operativo Comunale di Lucca - zonizzazione tavola 1.geojson", featureCollection(point(10.5, 43.8)))
	_, errOut, code := runSit(t, "import", "--database-url", "postgres://nobody@127.0.0.1:1/none", p)
	if code == 0 || !strings.Contains(errOut, "--layer piano_operativo_comunale_di_lucca_zonizzazione") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	_, errOut, code = runSit(t, "import", "--database-url", "postgres://nobody@127.0.0.1:1/none", p, "--layer", "Zone PO")
	if code == 0 || !strings.Contains(errOut, "for example zone_po") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

// sit layers rm asks only on a terminal; in a script it removes.
func TestLayersRm(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	p := writeFile(t, t.TempDir(), "via.geojson", featureCollection(point(10.5, 43.8)))
	if _, errOut, code := sitImport(t, url, p); code != 0 {
		t.Fatal(errOut)
	}
	out, errOut, code := runSit(t, "layers", "rm", "via", "--database-url", url)
	if code != 0 || !strings.Contains(out, "removed layer via") {
		t.Fatalf("exit %d %s%s", code, out, errOut)
	}
	if _, errOut, code := runSit(t, "layers", "rm", "via", "--database-url", url); code == 0 || !strings.Contains(errOut, "not found") {
		t.Fatalf("removing a missing layer: exit %d %s", code, errOut)
	}
}

// A --srid that contradicts the file's own CRS is refused unless forced
// (issue 19: --srid 6707 on a Gauss-Boaga Shapefile put Lucca in the Balkans).
func TestImportSRIDAgainstTheFile(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	_, errOut, code := sitImport(t, url, "testdata/zone_latin1.zip", "--layer", "zone", "--srid", "6707")
	if code == 0 || !strings.Contains(errOut, "declares its coordinates in EPSG:3003, but --srid says EPSG:6707") || !strings.Contains(errOut, "--force-srid") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// The same CRS by another name is no contradiction.
	if _, errOut, code := sitImport(t, url, "testdata/zone_latin1.zip", "--layer", "zone", "--srid", "EPSG:3003"); code != 0 {
		t.Fatalf("the file's own CRS: %s", errOut)
	}
	out, errOut, code := sitImport(t, url, "testdata/zone_latin1.zip", "--layer", "zone", "--srid", "6707", "--force-srid", "--replace")
	if code != 0 || !strings.Contains(errOut, "warning: layer zone lies outside Italy") || !strings.Contains(out, "extent lon 22.7") {
		t.Fatalf("forced: exit %d\n%s%s", code, out, errOut)
	}
}

// A GeoPackage table keeps its layer with and without --table; one --kind
// for several tables is refused; roles are checked.
func TestImportGeoPackageTables(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	sq := func(x, y float64) orb.Polygon {
		return orb.Polygon{{{x, y}, {x + 50, y}, {x + 50, y + 50}, {x, y + 50}, {x, y}}}
	}
	p := filepath.Join(t.TempDir(), "piano.gpkg")
	importertest.WriteGeoPackage(t, p,
		importertest.Table{Name: "zone", SRID: 3003, Geoms: []orb.Geometry{sq(1620000, 4854000), sq(1620100, 4854000)}},
		importertest.Table{Name: "vincoli", SRID: 3003, Geoms: []orb.Geometry{sq(1620200, 4854000)}})
	if _, errOut, code := sitImport(t, url, p, "--kind", "zoning"); code == 0 || !strings.Contains(errOut, "--kind zoning would apply to every one of them") {
		t.Fatalf("one kind for two tables: exit %d %s", code, errOut)
	}
	if _, errOut, code := sitImport(t, url, p, "--kind", "zone=zoning,vincoli=constraint", "--role", "zone=zoning"); code != 0 {
		t.Fatal(errOut)
	}
	var kinds string
	queryRow(t, url, "SELECT string_agg(name || ':' || kind || ':' || array_to_string(roles, '+'), ' ' ORDER BY name) FROM sit.layers", &kinds)
	if kinds != "piano_vincoli:constraint: piano_zone:zoning:zoning" {
		t.Fatalf("layers %s", kinds)
	}
	// Re-importing one table with --table updates the same layer.
	if _, errOut, code := sitImport(t, url, p, "--table", "zone"); code != 0 {
		t.Fatal(errOut)
	}
	var n, v int
	queryRow(t, url, "SELECT count(*), max(version) FILTER (WHERE name = 'piano_zone') FROM sit.layers", &n, &v)
	if n != 2 || v != 2 {
		t.Fatalf("%d layers, piano_zone at version %d; want 2 layers and version 2", n, v)
	}
	if _, errOut, code := sitImport(t, url, p, "--table", "zone", "--role", "zonning"); code == 0 || !strings.Contains(errOut, "did you mean zoning?") {
		t.Fatalf("role typo: exit %d %s", code, errOut)
	}
	if _, errOut, code := sitImport(t, url, p, "--table", "vincoli", "--role", "cadastre"); code == 0 || !strings.Contains(errOut, "kind constraint cannot have the role cadastre") {
		t.Fatalf("role of another kind: exit %d %s", code, errOut)
	}
}

// Roles and kinds are shown by sit layers and changed by sit layers set,
// without a re-import.
func TestLayersSet(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	dir := t.TempDir()
	// Parcels whose columns carry the canonical names, imported without --kind.
	parcels := `{"type":"FeatureCollection","features":[` +
		`{"type":"Feature","properties":{"comune":"E715","foglio":"37","particella":"125"},"geometry":` + square(10.50, 43.84, 0.001) + `},` +
		`{"type":"Feature","properties":{"comune":"E715","foglio":"37","particella":"126"},"geometry":` + square(10.51, 43.84, 0.001) + `}]}`
	p := writeFile(t, dir, "particelle.geojson", parcels)
	if _, errOut, code := sitImport(t, url, p); code != 0 {
		t.Fatal(errOut)
	}
	set := func(args ...string) (string, string, int) {
		return runSit(t, append([]string{"layers", "set", "particelle", "--database-url", url}, args...)...)
	}
	if _, errOut, code := set("--role", "cadastre"); code == 0 || !strings.Contains(errOut, "kind generic cannot have the role cadastre") {
		t.Fatalf("role of another kind: exit %d %s", code, errOut)
	}
	if _, errOut, code := set("--role", "catasto"); code == 0 || !strings.Contains(errOut, "unknown role") {
		t.Fatalf("unknown role: exit %d %s", code, errOut)
	}
	out, errOut, code := set("--kind", "cadastral", "--role", "cadastre", "--title", "Particelle di Lucca")
	if code != 0 || !strings.Contains(out, `kind cadastral, roles cadastre, title "Particelle di Lucca",`) || !strings.Contains(out, "(version 2)") {
		t.Fatalf("exit %d %s%s", code, out, errOut)
	}
	var area float64
	queryRow(t, url, "SELECT area_m2 FROM sit_data.particelle WHERE particella = '125'", &area)
	if area < 8000 || area > 10000 {
		t.Fatalf("area_m2 %f: the derived column was not computed", area)
	}
	out, _, _ = runSit(t, "layers", "--database-url", url)
	if !strings.Contains(out, "ROLES") || !regexpMatch(`particelle\s+cadastral\s+cadastre\s+MultiPolygon\s+2\s+2`, out) {
		t.Fatalf("sit layers:\n%s", out)
	}
	// The parcel lookup now finds the parcel by its role.
	if out, errOut, code := runSit(t, "parcel", "--database-url", url, "foglio 37 particella 125"); code != 0 || !strings.Contains(out, "125") {
		t.Fatalf("parcel lookup: exit %d %s%s", code, out, errOut)
	}
	if _, errOut, code := set("--kind", "zoning"); code == 0 || !strings.Contains(errOut, "has none of the columns of that kind (zone_code") {
		t.Fatalf("kind without its columns: exit %d %s", code, errOut)
	}
	if _, errOut, code := set(); code == 0 || !strings.Contains(errOut, "nothing to change") {
		t.Fatalf("no flags: exit %d %s", code, errOut)
	}
	if out, errOut, code := set("--role", ""); code != 0 || !strings.Contains(out, "roles -") {
		t.Fatalf("clearing roles: exit %d %s%s", code, out, errOut)
	}
}

func regexpMatch(re, s string) bool { return regexp.MustCompile(re).MatchString(s) }

// With two cadastral layers and no role, the parcel lookup says so and how
// to fix it, as the zoning report does, instead of "nothing matches".
func TestParcelAmbiguousCadastre(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	dir := t.TempDir()
	fc := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"foglio":"1","particella":"1"},"geometry":` + square(10.50, 43.84, 0.001) + `}]}`
	for _, name := range []string{"catasto_a.geojson", "catasto_b.geojson"} {
		if _, errOut, code := sitImport(t, url, writeFile(t, dir, name, fc), "--kind", "cadastral"); code != 0 {
			t.Fatal(errOut)
		}
	}
	want := `no layer has the role "cadastre" and several layers are of kind cadastral (catasto_a, catasto_b): set the role on one (sit layers set catasto_a --role cadastre)`
	for _, args := range [][]string{{"parcel", "1/1"}, {"parcel", "--at", "10.5005,43.8405"}, {"report", "zoning", "1/1"}} {
		if _, errOut, code := runSit(t, append(args, "--database-url", url)...); code == 0 || !strings.Contains(errOut, want) {
			t.Errorf("sit %v: exit %d %s", args, code, errOut)
		}
	}
	if _, errOut, code := runSit(t, "layers", "set", "catasto_a", "--role", "cadastre", "--database-url", url); code != 0 {
		t.Fatal(errOut)
	}
	if out, errOut, code := runSit(t, "parcel", "1/1", "--database-url", url); code != 0 || !strings.Contains(out, "Foglio 1 particella 1") {
		t.Fatalf("after setting the role: exit %d %s%s", code, out, errOut)
	}
}
