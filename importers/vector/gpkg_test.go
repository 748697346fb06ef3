package vector

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/importers/importertest"
	"github.com/sit-gis/sit/layers"
)

// gpkgBlob wraps WKB in a GeoPackage geometry header. envelope is the
// header's envelope indicator (0 none, 1 xy, 2 xyz); bigEndian sets the
// header's byte order; empty sets the empty flag.
func gpkgBlob(wkbData []byte, srsID int32, envelope int, bigEndian, empty bool) []byte {
	var bo binary.ByteOrder = binary.LittleEndian
	flags := byte(envelope << 1)
	if bigEndian {
		bo = binary.BigEndian
	} else {
		flags |= 1
	}
	if empty {
		flags |= 0x10
	}
	b := []byte{'G', 'P', 0, flags, 0, 0, 0, 0}
	bo.PutUint32(b[4:], uint32(srsID))
	n := []int{0, 4, 6, 6, 8}[envelope]
	for i := range n {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(float64(i)))
	}
	return append(b, wkbData...)
}

// wkbPointZ writes a point with Z in ISO (type 1001) or EWKB (flag) form.
func wkbPointZ(x, y, z float64, ewkb bool) []byte {
	typ := uint32(1001)
	if ewkb {
		typ = 0x80000001
	}
	b := binary.LittleEndian.AppendUint32([]byte{1}, typ)
	for _, v := range []float64{x, y, z} {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b
}

// wkbMultiPolygonZM writes an ISO MULTIPOLYGON ZM (3006) with one square.
func wkbMultiPolygonZM(x0, y0, size float64) []byte {
	b := binary.BigEndian.AppendUint32([]byte{0}, 3006)
	b = binary.BigEndian.AppendUint32(b, 1)
	b = append(b, 0)
	b = binary.BigEndian.AppendUint32(b, 3003)
	b = binary.BigEndian.AppendUint32(b, 1)
	b = binary.BigEndian.AppendUint32(b, 5)
	for _, p := range []orb.Point{{x0, y0}, {x0, y0 + size}, {x0 + size, y0 + size}, {x0 + size, y0}, {x0, y0}} {
		for _, v := range []float64{p[0], p[1], 12.5, 99} {
			b = binary.BigEndian.AppendUint64(b, math.Float64bits(v))
		}
	}
	return b
}

const rdn2008WKT2 = `PROJCRS["UTM 32 su RDN2008",BASEGEOGCRS["RDN2008",DATUM["Rete Dinamica Nazionale 2008",ELLIPSOID["GRS 1980",6378137,298.257222101,LENGTHUNIT["metre",1]]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]]],CONVERSION["UTM zone 32N",METHOD["Transverse Mercator"],PARAMETER["Latitude of natural origin",0,ANGLEUNIT["degree",0.0174532925199433]],PARAMETER["Longitude of natural origin",9,ANGLEUNIT["degree",0.0174532925199433]],PARAMETER["Scale factor at natural origin",0.9996,SCALEUNIT["unity",1]],PARAMETER["False easting",500000,LENGTHUNIT["metre",1]],PARAMETER["False northing",0,LENGTHUNIT["metre",1]]],CS[Cartesian,2],AXIS["easting (E)",east,ORDER[1]],AXIS["northing (N)",north,ORDER[2]]]`

// writeTestGPKG builds a GeoPackage the way QGIS/GDAL lay one out: a
// cadastral table in Gauss-Boaga (EPSG:3003), an address table in a
// custom-organisation RDN2008 CRS, and an attribute-only table.
func writeTestGPKG(t testing.TB, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustWKB := func(g orb.Geometry) []byte {
		b, err := wkb.Marshal(g)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	square := func(x, y, s float64) orb.Ring {
		return orb.Ring{{x, y}, {x, y + s}, {x + s, y + s}, {x + s, y}, {x, y}}
	}
	stmts := []struct {
		q    string
		args []any
	}{
		{q: `PRAGMA application_id = 1196444487`},
		{q: `PRAGMA user_version = 10300`},
		{q: `CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
			organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`},
		{q: `INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', NULL),
			('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', NULL),
			('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84"]', NULL),
			('Monte Mario / Italy zone 1', 3003, 'epsg', 3003, ?, NULL),
			('UTM 32 su RDN2008', 100001, 'NONE', 100001, ?, NULL)`, args: []any{prjGaussBoagaOvest, rdn2008WKT2}},
		{q: `CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
			description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
			min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER)`},
		{q: `CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
			srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, PRIMARY KEY (table_name, column_name))`},
		{q: `CREATE TABLE gpkg_ogr_contents (table_name TEXT NOT NULL PRIMARY KEY, feature_count INTEGER DEFAULT NULL)`},
		{q: `INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES
			('particelle', 'features', 'Particelle catastali', 3003), ('civici', 'features', 'Numeri civici', 100001),
			('decodifica', 'attributes', 'Decodifica', NULL)`},
		{q: `INSERT INTO gpkg_geometry_columns VALUES ('particelle', 'geom', 'MULTIPOLYGON', 3003, 0, 0), ('civici', 'geom', 'POINT', 100001, 1, 0)`},
		{q: `INSERT INTO gpkg_ogr_contents VALUES ('particelle', 7)`},
		{q: `CREATE TABLE particelle (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON, foglio TEXT(4), mappale MEDIUMINT,
			supcat REAL, edificabile BOOLEAN, data_agg DATE, ts DATETIME, note TEXT, foto BLOB, "codice ""fiscale""" VARCHAR(16))`},
		{q: `INSERT INTO particelle VALUES (1, ?, '0012', 125, 1234.5, 1, '2024-03-01', '2024-03-01T10:20:30Z', 'Località Sant''Anna', x'00', 'x')`,
			args: []any{gpkgBlob(mustWKB(orb.MultiPolygon{{square(1620000, 4850000, 10)}, {square(1620100, 4850000, 5)}}), 3003, 1, false, false)}},
		{q: `INSERT INTO particelle VALUES (2, ?, '0012', 126, 80, 0, NULL, NULL, 'Pietà', NULL, NULL)`,
			args: []any{gpkgBlob(mustWKB(orb.Polygon{square(1620020, 4850000, 10)}), 3003, 2, true, false)}},
		{q: `INSERT INTO particelle (fid, geom, foglio, mappale) VALUES (3, NULL, '0013', 1)`},
		{q: `INSERT INTO particelle (fid, geom, foglio, mappale) VALUES (4, ?, '0013', 2)`, args: []any{gpkgBlob(nil, 3003, 0, false, true)}},
		{q: `INSERT INTO particelle (fid, geom, foglio, mappale) VALUES (5, x'4758000100000000', '0013', 3)`},
		{q: `INSERT INTO particelle (fid, geom, foglio, mappale) VALUES (6, NULL, '0013', 'abc')`},
		{q: `INSERT INTO particelle (fid, geom, foglio, mappale) VALUES (7, ?, '0014', 4)`,
			args: []any{gpkgBlob(wkbMultiPolygonZM(1620200, 4850000, 10), 3003, 0, false, false)}},
		{q: `CREATE TABLE civici (fid INTEGER PRIMARY KEY, geom POINT, via TEXT, civico TEXT)`},
		{q: `INSERT INTO civici VALUES (10, ?, 'Via Fillungo', '12'), (11, ?, 'Via Fillungo', '14/A')`, args: []any{
			gpkgBlob(wkbPointZ(628000.5, 4857000.25, 19, true), 100001, 0, false, false),
			gpkgBlob(wkbPointZ(math.NaN(), math.NaN(), math.NaN(), false), 100001, 0, false, false),
		}},
		{q: `CREATE TABLE decodifica (id INTEGER PRIMARY KEY, codice TEXT)`},
	}
	for _, s := range stmts {
		if _, err := db.Exec(s.q, s.args...); err != nil {
			t.Fatalf("%s: %v", s.q, err)
		}
	}
}

func TestGeoPackage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "catasto.gpkg")
	writeTestGPKG(t, path)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	src, err := open(path, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if src.Format != "gpkg" || len(src.Datasets) != 2 {
		t.Fatalf("format %s, %d datasets", src.Format, len(src.Datasets))
	}
	civ, par := src.Datasets[0], src.Datasets[1]
	if civ.Info.Name != "civici" || civ.Info.SRID != 7791 || civ.Info.GeometryType != "Point" || civ.Info.Count != -1 {
		t.Errorf("civici info = %+v", civ.Info)
	}
	if par.Info.Name != "particelle" || par.Info.SRID != 3003 || par.Info.GeometryType != "MultiPolygon" || par.Info.Count != 7 {
		t.Errorf("particelle info = %+v", par.Info)
	}
	wantFields := []layers.Field{
		{Name: "foglio", Type: layers.TypeText}, {Name: "mappale", Type: layers.TypeInteger},
		{Name: "supcat", Type: layers.TypeDouble}, {Name: "edificabile", Type: layers.TypeBoolean},
		{Name: "data_agg", Type: layers.TypeDate}, {Name: "ts", Type: layers.TypeTimestamp},
		{Name: "note", Type: layers.TypeText}, {Name: `codice "fiscale"`, Type: layers.TypeText},
	}
	if fmt.Sprint(par.Info.Fields) != fmt.Sprint(wantFields) {
		t.Errorf("fields = %v\nwant     %v", par.Info.Fields, wantFields)
	}

	checkGPKGParticelle(t, src, par)

	r, err := civ.Open()
	if err != nil {
		t.Fatal(err)
	}
	civFeats, recErrs, err := importertest.ReadAll(t, r)
	r.Close()
	if err != nil || len(recErrs) != 0 || len(civFeats) != 2 {
		t.Fatalf("civici: %v %v %d features", err, recErrs, len(civFeats))
	}
	if civFeats[0].Geometry != (orb.Point{628000.5, 4857000.25}) || civFeats[0].ID != "10" || civFeats[0].Props["civico"] != "12" {
		t.Errorf("EWKB point Z gave %#v %#v", civFeats[0].Geometry, civFeats[0].Props)
	}
	if civFeats[1].Geometry != nil {
		t.Errorf("POINT EMPTY (NaN) gave %#v", civFeats[1].Geometry)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}

	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256(before) != sha256.Sum256(after) {
		t.Error("reading changed the GeoPackage file")
	}
	for _, suffix := range []string{"-journal", "-wal"} {
		if _, err := os.Stat(path + suffix); err == nil {
			t.Errorf("reading left %s behind", path+suffix)
		}
	}
}

// --srid overrides the CRS a table declares; the declared one stays known
// (the import core refuses an override that disagrees unless forced).
// checkGPKGParticelle reads the particelle table of writeTestGPKG's file:
// ids, rejected records, geometries of every encoding, typed attributes.
func checkGPKGParticelle(t *testing.T, src *importers.Source, par importers.Dataset) {
	t.Helper()
	r, err := par.Open()
	if err != nil {
		t.Fatal(err)
	}
	feats, recErrs, err := importertest.ReadAll(t, r)
	r.Close()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range feats {
		ids = append(ids, f.ID)
	}
	if fmt.Sprint(ids) != "[1 2 3 4 7]" {
		t.Errorf("feature ids = %v, want [1 2 3 4 7]", ids)
	}
	if len(recErrs) != 2 || recErrs[0].Record != 5 || !strings.Contains(recErrs[0].Reason, "invalid geometry") ||
		recErrs[1].Record != 6 || !strings.Contains(recErrs[1].Reason, "column mappale") {
		t.Errorf("record errors = %v", recErrs)
	}
	f1 := feats[0]
	if mp, ok := f1.Geometry.(orb.MultiPolygon); !ok || len(mp) != 2 || mp[1][0][0] != (orb.Point{1620100, 4850000}) {
		t.Errorf("feature 1 geometry = %#v", f1.Geometry)
	}
	wantTS := time.Date(2024, 3, 1, 10, 20, 30, 0, time.UTC)
	if f1.Props["foglio"] != "0012" || f1.Props["mappale"] != int64(125) || f1.Props["supcat"] != 1234.5 ||
		f1.Props["edificabile"] != true || f1.Props["data_agg"] != time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC) ||
		!f1.Props["ts"].(time.Time).Equal(wantTS) || f1.Props["note"] != "Località Sant'Anna" || f1.Props[`codice "fiscale"`] != "x" {
		t.Errorf("feature 1 props = %#v", f1.Props)
	}
	if _, ok := f1.Props["foto"]; ok {
		t.Error("BLOB column foto should not be an attribute")
	}
	if _, ok := f1.Props["fid"]; ok {
		t.Error("the primary key should be the feature id, not an attribute")
	}
	if p, ok := feats[1].Geometry.(orb.Polygon); !ok || p[0][0] != (orb.Point{1620020, 4850000}) || feats[1].Props["edificabile"] != false || feats[1].Props["data_agg"] != nil {
		t.Errorf("feature 2 (big-endian header, xyz envelope) = %#v %#v", feats[1].Geometry, feats[1].Props)
	}
	if feats[2].Geometry != nil || feats[3].Geometry != nil {
		t.Errorf("NULL and empty geometries gave %#v and %#v", feats[2].Geometry, feats[3].Geometry)
	}
	if mp, ok := feats[4].Geometry.(orb.MultiPolygon); !ok || len(mp) != 1 || mp[0][0][2] != (orb.Point{1620210, 4850010}) {
		t.Errorf("MULTIPOLYGON ZM gave %#v", feats[4].Geometry)
	}
	if got, want := src.Meter.Done(), par.Info.Size; got != want || want == 0 {
		t.Errorf("progress after a full read: %d of %d", got, want)
	}
}

func TestGeoPackageSRIDOverride(t *testing.T) {
	path := filepath.Join(t.TempDir(), "catasto.gpkg")
	writeTestGPKG(t, path)
	src, err := open(path, importers.Options{SRID: 6707})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var got []string
	for _, ds := range src.Datasets {
		got = append(got, fmt.Sprintf("%s:%d:%d", ds.Info.Name, ds.Info.SRID, ds.Info.FileSRID))
	}
	if fmt.Sprint(got) != "[civici:6707:7791 particelle:6707:3003]" {
		t.Errorf("datasets (name:srid:file srid) = %v", got)
	}
}

func TestGeoPackageBadFiles(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "rubrica.gpkg")
	db, err := sql.Open("sqlite", plain)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE contatti (nome TEXT)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	text := filepath.Join(dir, "nota.gpkg")
	if err := os.WriteFile(text, []byte("questo non è un geopackage"), 0o644); err != nil {
		t.Fatal(err)
	}

	good := filepath.Join(dir, "buono.gpkg")
	writeTestGPKG(t, good)
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	corrupt := filepath.Join(dir, "rovinato.gpkg")
	// Keep the SQLite header, overwrite the schema and data pages.
	damaged := append(bytes.Clone(b[:100]), bytes.Repeat([]byte{0xA5}, len(b)-100)...)
	if err := os.WriteFile(corrupt, damaged, 0o644); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name, path, want string
	}{
		{"SQLite database that is not a GeoPackage", plain, "not a GeoPackage"},
		{"text file", text, "not an SQLite database"},
		{"damaged pages", corrupt, "cannot read the SQLite database"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src, err := open(tc.path, importers.Options{})
			if err == nil {
				src.Close()
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
				t.Errorf("err = %v, want %q naming the file", err, tc.want)
			}
		})
	}
}

func TestGeoPackageGeometryHeader(t *testing.T) {
	pt, _ := wkb.Marshal(orb.Point{10.5, 43.8})
	cases := []struct {
		name    string
		blob    []byte
		want    orb.Geometry
		wantErr string
	}{
		{"no envelope", gpkgBlob(pt, 4326, 0, false, false), orb.Point{10.5, 43.8}, ""},
		{"xy envelope", gpkgBlob(pt, 4326, 1, false, false), orb.Point{10.5, 43.8}, ""},
		{"xyzm envelope, big-endian header", gpkgBlob(pt, 4326, 4, true, false), orb.Point{10.5, 43.8}, ""},
		{"empty flag", gpkgBlob(nil, 4326, 0, false, true), nil, ""},
		{"ISO point Z", gpkgBlob(wkbPointZ(1, 2, 3, false), 4326, 0, false, false), orb.Point{1, 2}, ""},
		{"bad magic", append([]byte("XX"), gpkgBlob(pt, 4326, 0, false, false)[2:]...), nil, "no GP magic"},
		{"bad envelope indicator", func() []byte { b := gpkgBlob(pt, 4326, 0, false, false); b[3] |= 5 << 1; return b }(), nil, "envelope indicator 5"},
		{"shorter than the header", []byte("GP\x00\x01"), nil, "no GP magic"},
		{"extended type", func() []byte { b := gpkgBlob(pt, 4326, 0, false, false); b[3] |= 0x20; return b }(), nil, "extended"},
		{"truncated WKB", gpkgBlob(pt[:12], 4326, 0, false, false), nil, "WKB"},
		{"truncated WKB Z", gpkgBlob(wkbPointZ(1, 2, 3, false)[:20], 4326, 0, false, false), nil, "truncated"},
		{"curve type", gpkgBlob(binary.LittleEndian.AppendUint32([]byte{1}, 1008), 4326, 0, false, false), nil, "unsupported"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, err := parseGPKGGeometry(tc.blob)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprintf("%#v", g) != fmt.Sprintf("%#v", tc.want) {
				t.Errorf("geometry = %#v, want %#v", g, tc.want)
			}
		})
	}
}

func TestGeoPackageDetectedWithoutExtension(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "catasto.gpkg")
	writeTestGPKG(t, path)
	bare := filepath.Join(dir, "catasto_export")
	if err := os.Rename(path, bare); err != nil {
		t.Fatal(err)
	}
	src, err := open(bare, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Format != "gpkg" || len(src.Datasets) != 2 || src.Datasets[1].Info.Name != "particelle" {
		t.Errorf("format %s, datasets %+v", src.Format, src.Datasets)
	}
}
