package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/internal/dbtest"
)

func TestMain(m *testing.M) {
	// The test binary doubles as the sit command for tests that need a real
	// process to kill.
	if os.Getenv("SIT_TEST_RUN_MAIN") == "1" {
		main()
		return
	}
	dbtest.Main(m)
}

// runSit runs the CLI in-process as a user would, returning its output and exit code.
func runSit(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	return runSitIO(t, "", nil, args...)
}

// runSitIO is runSit with a standard input and, when env is not nil, the
// environment the settings are read from instead of the test process's.
func runSitIO(t *testing.T, stdin string, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := newRootCmd()
	if env != nil {
		cmd.app.environ = env
	}
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	code := exitCode(context.Background(), err, &errOut, cmd.log())
	return out.String(), errOut.String(), code
}

func queryRow(t *testing.T, url, sql string, dest ...any) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if err := conn.QueryRow(context.Background(), sql).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func TestImportFormats(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	tests := []struct {
		name  string
		args  []string
		layer string
		count int
		check string // SQL returning one text value
		want  string
	}{
		{"ISTAT comuni GeoJSON", []string{"../../data/admin/openpolis_limits_P_46_municipalities.geojson", "--layer", "comuni", "--kind", "boundary"},
			"comuni", 33, "SELECT name FROM sit_data.comuni WHERE com_istat_code = '046017'", "Lucca"},
		{"zipped Shapefile in Latin-1 without .cpg", []string{"testdata/zone_latin1.zip", "--layer", "zone", "--kind", "zoning"},
			"zone", 2, "SELECT string_agg(nome || '|' || localita, ',' ORDER BY nome) FROM sit_data.zone", "Città di Lucca|Località Sant'Anna,Pietà|San Concordio"},
		{"Shapefile lands in Lucca after Gauss-Boaga transformation", []string{"testdata/zone_latin1.zip", "--layer", "zone2"},
			"zone2", 2, "SELECT (abs(ST_XMin(ST_Extent(geom)) - 10.50) < 0.0001 AND abs(ST_YMin(ST_Extent(geom)) - 43.84) < 0.0001)::text FROM sit_data.zone2", "true"},
		{"CSV with a WKT column", []string{"testdata/wkt.csv", "--layer", "porte", "--mixed", "keep"},
			"porte", 3, "SELECT string_agg(GeometryType(geom), ',' ORDER BY fid) FROM sit_data.porte", "POINT,POINT,LINESTRING"},
		{"CSV with semicolons and decimal commas", []string{"testdata/italiano.csv", "--layer", "ita"},
			"ita", 2, "SELECT string_agg(codice || ' ' || localita || ' ' || superficie::text || ' ' || round(ST_X(geom)::numeric, 4)::text, ',' ORDER BY codice) FROM sit_data.ita", "0037 Città 1234.5 10.5052,0038 Pietà 12.75 10.5100"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runSit(t, append([]string{"import", "--database-url", url}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
			}
			var n int
			queryRow(t, url, "SELECT feature_count FROM sit.layers WHERE name = '"+tc.layer+"'", &n)
			if n != tc.count {
				t.Fatalf("%s has %d features, want %d\n%s%s", tc.layer, n, tc.count, out, errOut)
			}
			var got string
			queryRow(t, url, tc.check, &got)
			if got != tc.want {
				t.Fatalf("%s = %q, want %q", tc.check, got, tc.want)
			}
		})
	}
	// The bad row of italiano.csv is reported with its record number.
	_, errOut, _ := runSit(t, "import", "--database-url", url, "testdata/italiano.csv", "--layer", "ita")
	if !strings.Contains(errOut, "1 record rejected") || !strings.Contains(errOut, "record 3") {
		t.Fatalf("rejection report missing:\n%s", errOut)
	}
	// With --fail-on-reject the same file fails and the layer stays at its version.
	var before, after int
	queryRow(t, url, "SELECT version FROM sit.layers WHERE name = 'ita'", &before)
	if _, _, code := runSit(t, "import", "--database-url", url, "testdata/italiano.csv", "--layer", "ita", "--fail-on-reject"); code == 0 {
		t.Fatal("--fail-on-reject with a bad row exited 0")
	}
	queryRow(t, url, "SELECT version FROM sit.layers WHERE name = 'ita'", &after)
	if before != after {
		t.Fatalf("version moved from %d to %d after a failed import", before, after)
	}
}

func TestImportBrokenFileKeepsPreviousVersion(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	src := "../../data/admin/openpolis_limits_P_46_municipalities.geojson"
	if _, errOut, code := runSit(t, "import", "--database-url", url, src, "--layer", "comuni"); code != 0 {
		t.Fatal(errOut)
	}
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cases := []struct {
		name, file string
		content    []byte
		want       string
	}{
		{"truncated GeoJSON", "comuni_troncato.geojson", b[:len(b)/2], "truncated"},
		{"garbage in the middle", "comuni_rotto.geojson", append(append(append([]byte{}, b[:len(b)/3]...), []byte("@@@###")...), b[len(b)/3:]...), "malformed"},
		{"corrupted zip", "zone.zip", []byte("PK\x03\x04 this is not really a zip archive"), "zone.zip"},
		{"empty file", "vuoto.geojson", nil, "vuoto.geojson"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, tc.file)
			if err := os.WriteFile(p, tc.content, 0o644); err != nil {
				t.Fatal(err)
			}
			_, errOut, code := runSit(t, "import", "--database-url", url, p, "--layer", "comuni")
			if code == 0 {
				t.Fatal("import of a broken file exited 0")
			}
			if !strings.Contains(errOut, tc.file) || !strings.Contains(strings.ToLower(errOut), tc.want) {
				t.Fatalf("message does not name the file and the problem (%q):\n%s", tc.want, errOut)
			}
			var v, n int
			queryRow(t, url, "SELECT version, feature_count FROM sit.layers WHERE name = 'comuni'", &v, &n)
			var rows int
			queryRow(t, url, "SELECT count(*) FROM sit_data.comuni", &rows)
			if v != 1 || n != 33 || rows != 33 {
				t.Fatalf("after a failed import: version %d, catalog count %d, rows %d; want 1, 33, 33", v, n, rows)
			}
		})
	}
}

func TestImportFlagErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad kind", []string{"import", "x.geojson", "--kind", "parcels"}, "unknown kind"},
		{"bad layer name", []string{"import", "x.geojson", "--layer", "Bad Name"}, "invalid layer name"},
		{"bad srid", []string{"import", "x.geojson", "--srid", "gauss"}, "--srid"},
		{"bad snapshot", []string{"import", "x.geojson", "--snapshot", "30/06/2025"}, "--snapshot"},
		{"missing file", []string{"import", "does-not-exist.geojson"}, "does-not-exist.geojson"},
		{"replace and append", []string{"import", "x.geojson", "--replace", "--append"}, "replace"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := runSit(t, append(tc.args, "--database-url", "postgres://nobody@127.0.0.1:1/none")...)
			if code == 0 || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d, stderr %q; want non-zero and %q", code, errOut, tc.want)
			}
		})
	}
}

func TestImportItalianSources(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	run := func(args ...string) string {
		t.Helper()
		out, errOut, code := runSit(t, append([]string{"import", "--database-url", url}, args...)...)
		if code != 0 {
			t.Fatalf("sit import %v: exit %d\n%s%s", args, code, out, errOut)
		}
		return out
	}
	// CXF: one layer per record family; the CRS must be given.
	if _, errOut, code := runSit(t, "import", "--database-url", url, "../../data/sources/H501D076700.CTF"); code == 0 || !strings.Contains(errOut, "--srid") {
		t.Fatalf("CXF without --srid: exit %d, %s", code, errOut)
	}
	run("../../data/sources/H501D076700.CTF", "--srid", "32633", "--layer", "roma")
	counts := map[string]int{"roma_bordi": 516, "roma_testi": 88, "roma_simboli": 307, "roma_fiduciali": 27, "roma_linee": 645}
	for layer, want := range counts {
		var n int
		queryRow(t, url, "SELECT count(*) FROM sit_data."+layer, &n)
		if n != want {
			t.Errorf("%s: %d features, want %d", layer, n, want)
		}
	}
	var buildings int
	var kind string
	queryRow(t, url, "SELECT count(*) FILTER (WHERE tipo = 'fabbricato'), (SELECT kind FROM sit.layers WHERE name = 'roma_bordi') FROM sit_data.roma_bordi", &buildings, &kind)
	if buildings != 131 || kind != "cadastral" {
		t.Fatalf("buildings %d kind %s, want 131 cadastral", buildings, kind)
	}
	// INSPIRE GML in EPSG:6706 (latitude first) comes out lon/lat.
	run("../../data/sources/ade_wfs_particella_A000W000200.gml", "--layer", "ade")
	var lon, lat float64
	queryRow(t, url, "SELECT ST_X(ST_Centroid(geom)), ST_Y(ST_Centroid(geom)) FROM sit_data.ade", &lon, &lat)
	if lon < 6 || lon > 19 || lat < 36 || lat > 47.5 || lon > lat {
		t.Fatalf("GML parcel at %f, %f: not lon/lat in Italy", lon, lat)
	}
	// AGCOM: no geometry, joined to the ISTAT comuni by code; two snapshots kept.
	if _, errOut, code := runSit(t, "import", "--database-url", url, "../../data/sources/agcom_Reportistica_250630_Comuni.csv", "--layer", "agcom", "--filter", "provincia=Lucca"); code == 0 || !strings.Contains(errOut, "com_istat_code_num") {
		t.Fatalf("AGCOM without boundaries: exit %d, %s", code, errOut)
	}
	run("../../data/admin/openpolis_limits_P_46_municipalities.geojson", "--layer", "comuni", "--kind", "boundary", "--role", "zones")
	run("../../data/sources/agcom_Reportistica_250331_Comuni.csv", "--layer", "agcom", "--filter", "provincia=Lucca")
	run("../../data/sources/agcom_Reportistica_250630_Comuni.csv", "--layer", "agcom", "--filter", "provincia=Lucca")
	var addr, ftth, fam, famFTTH, ftthBefore, comuni int
	queryRow(t, url, `SELECT indirizzi, indirizzi_ftth, famiglie, famiglie_ftth,
		(SELECT indirizzi_ftth FROM sit_data.agcom WHERE pro_com = 46017 AND snapshot = '2025-03-31'),
		(SELECT count(*) FROM sit_data.agcom WHERE snapshot = '2025-06-30')
		FROM sit_data.agcom WHERE pro_com = 46017 AND snapshot = '2025-06-30'`, &addr, &ftth, &fam, &famFTTH, &ftthBefore, &comuni)
	if addr != 461446 || ftth != 86636 || fam != 39213 || famFTTH != 20904 || ftthBefore != 80194 || comuni != 33 {
		t.Fatalf("Lucca AGCOM: %d %d %d %d, before %d, comuni %d", addr, ftth, fam, famFTTH, ftthBefore, comuni)
	}
}
