package vector

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"golang.org/x/text/encoding/charmap"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/importers/importertest"
	"github.com/sit-gis/sit/layers"
)

// ---- a small shapefile writer for fixtures ----

// shpRec is the content of one .shp record (shape type + geometry).
type shpRec []byte

func le32(b []byte, v int32) []byte { return binary.LittleEndian.AppendUint32(b, uint32(v)) }
func lef64(b []byte, v float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
}

func bbox(b []byte, pts []orb.Point) []byte {
	bd := orb.MultiPoint(pts).Bound()
	b = lef64(b, bd.Min[0])
	b = lef64(b, bd.Min[1])
	b = lef64(b, bd.Max[0])
	return lef64(b, bd.Max[1])
}

func nullShape() shpRec { return le32(nil, shpNull) }

func pointShape(p orb.Point) shpRec {
	b := le32(nil, shpPoint)
	b = lef64(b, p[0])
	return lef64(b, p[1])
}

// pointZShape writes a PointZ with Z and M, which the reader must drop.
func pointZShape(p orb.Point, z, m float64) shpRec {
	b := le32(nil, shpPointZ)
	b = lef64(b, p[0])
	b = lef64(b, p[1])
	b = lef64(b, z)
	return lef64(b, m)
}

func multiPointShape(pts []orb.Point) shpRec {
	b := le32(nil, shpMultiPoint)
	b = bbox(b, pts)
	b = le32(b, int32(len(pts)))
	for _, p := range pts {
		b = lef64(lef64(b, p[0]), p[1])
	}
	return b
}

// partsShape writes a PolyLine/Polygon (or their Z variants, with Z and M arrays).
func partsShape(typ int32, parts ...[]orb.Point) shpRec {
	var all []orb.Point
	for _, p := range parts {
		all = append(all, p...)
	}
	b := le32(nil, typ)
	b = bbox(b, all)
	b = le32(b, int32(len(parts)))
	b = le32(b, int32(len(all)))
	start := 0
	for _, p := range parts {
		b = le32(b, int32(start))
		start += len(p)
	}
	for _, p := range all {
		b = lef64(lef64(b, p[0]), p[1])
	}
	if typ == shpPolyLineZ || typ == shpPolygonZ {
		for range 2 { // Z range and values, then M range and values
			b = lef64(lef64(b, 0), 100)
			for i := range all {
				b = lef64(b, float64(i))
			}
		}
	}
	return b
}

// shpBytes assembles a .shp and its .shx from record contents.
func shpBytes(typ int32, recs []shpRec) (shp, shx []byte) {
	header := func(length int) []byte {
		h := make([]byte, 100)
		binary.BigEndian.PutUint32(h[0:], 9994)
		binary.BigEndian.PutUint32(h[24:], uint32(length/2))
		binary.LittleEndian.PutUint32(h[28:], 1000)
		binary.LittleEndian.PutUint32(h[32:], uint32(typ))
		return h
	}
	var body, index []byte
	for i, r := range recs {
		index = binary.BigEndian.AppendUint32(index, uint32((100+len(body))/2))
		index = binary.BigEndian.AppendUint32(index, uint32(len(r)/2))
		body = binary.BigEndian.AppendUint32(body, uint32(i+1))
		body = binary.BigEndian.AppendUint32(body, uint32(len(r)/2))
		body = append(body, r...)
	}
	shp = append(header(100+len(body)), body...)
	shx = append(header(100+len(index)), index...)
	return shp, shx
}

// dbfCol declares a dBase column for the fixture writer.
type dbfCol struct {
	name     string
	typ      byte
	length   int
	decimals int
}

// dbfRow is one record: raw bytes per column, deleted flag.
type dbfRow struct {
	deleted bool
	vals    []string
}

func dbfBytes(ldid byte, cols []dbfCol, rows []dbfRow) []byte {
	recLen := 1
	for _, c := range cols {
		recLen += c.length
	}
	hdrLen := 32 + 32*len(cols) + 1
	b := make([]byte, 32)
	b[0] = 0x03
	b[1], b[2], b[3] = 124, 5, 17
	binary.LittleEndian.PutUint32(b[4:], uint32(len(rows)))
	binary.LittleEndian.PutUint16(b[8:], uint16(hdrLen))
	binary.LittleEndian.PutUint16(b[10:], uint16(recLen))
	b[29] = ldid
	for _, c := range cols {
		d := make([]byte, 32)
		copy(d, c.name)
		d[11] = c.typ
		d[16] = byte(c.length)
		d[17] = byte(c.decimals)
		if c.typ == 'C' {
			d[17] = byte(c.length >> 8) // width's high byte, as FoxPro writes it
		}
		b = append(b, d...)
	}
	b = append(b, 0x0D)
	for _, r := range rows {
		if r.deleted {
			b = append(b, '*')
		} else {
			b = append(b, ' ')
		}
		for i, c := range cols {
			v := r.vals[i]
			if len(v) > c.length {
				v = v[:c.length]
			}
			pad := strings.Repeat(" ", c.length-len(v))
			if c.typ == 'N' || c.typ == 'F' {
				b = append(b, pad+v...)
			} else {
				b = append(b, v+pad...)
			}
		}
	}
	return append(b, 0x1A)
}

// shapefileFixture is a complete shapefile in memory.
type shapefileFixture struct {
	stem     string
	shp, shx []byte
	dbf      []byte
	prj, cpg string
}

func (s shapefileFixture) files() map[string][]byte {
	m := map[string][]byte{s.stem + ".shp": s.shp}
	if s.shx != nil {
		m[s.stem+".shx"] = s.shx
	}
	if s.dbf != nil {
		m[s.stem+".dbf"] = s.dbf
	}
	if s.prj != "" {
		m[s.stem+".prj"] = []byte(s.prj)
	}
	if s.cpg != "" {
		m[s.stem+".cpg"] = []byte(s.cpg)
	}
	return m
}

func (s shapefileFixture) writeDir(t testing.TB, dir string) string {
	t.Helper()
	for name, b := range s.files() {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, s.stem+".shp")
}

func writeZip(t testing.TB, path string, files map[string][]byte) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func latin1(s string) string {
	b, err := charmap.Windows1252.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return b
}

const prjGaussBoagaOvest = `PROJCS["Monte_Mario_Italy_1",GEOGCS["GCS_Monte_Mario",DATUM["D_Monte_Mario",SPHEROID["International_1924",6378388.0,297.0]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",1500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",9.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`

// zoningFixture is a polygon layer of a Tuscan plan with Latin-1 text and
// every dBase type the reader maps.
func zoningFixture(stem string, ldid byte, cpg string, text func(string) string) shapefileFixture {
	sq := func(x0, y0, x1, y1 float64, cw bool) []orb.Point {
		if cw {
			return []orb.Point{{x0, y0}, {x0, y1}, {x1, y1}, {x1, y0}, {x0, y0}}
		}
		return []orb.Point{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	}
	recs := []shpRec{
		// 1: outer ring with a hole.
		partsShape(shpPolygon, sq(1620000, 4850000, 1620100, 4850100, true), sq(1620040, 4850040, 1620060, 4850060, false)),
		// 2: deleted in the .dbf: must not appear.
		partsShape(shpPolygon, sq(0, 0, 1, 1, true)),
		// 3: null shape.
		nullShape(),
		// 4: two outer rings, the hole listed first belongs to the second.
		partsShape(shpPolygon, sq(1620000, 4850000, 1620010, 4850010, true), sq(1620203, 4850003, 1620207, 4850007, false), sq(1620200, 4850000, 1620210, 4850010, true)),
	}
	shp, shx := shpBytes(shpPolygon, recs)
	cols := []dbfCol{
		{"ZONA", 'C', 8, 0}, {"DESCRIZ", 'C', 40, 0}, {"ART_NTA", 'N', 4, 0},
		{"SUP_MQ", 'N', 12, 2}, {"VIGENTE", 'L', 1, 0}, {"DATA_APP", 'D', 8, 0},
	}
	rows := []dbfRow{
		{vals: []string{"B1", text("Città - zona di completamento"), "12", "10000.00", "T", "20190415"}},
		{deleted: true, vals: []string{"XX", "cancellato", "1", "1.00", "F", "20000101"}},
		{vals: []string{"E", text("Località Sant'Anna"), "", "", "?", ""}},
		{vals: []string{"F2", text("Pietà, verde pubblico"), "7", "200.50", "N", "20230101"}},
	}
	return shapefileFixture{stem: stem, shp: shp, shx: shx, dbf: dbfBytes(ldid, cols, rows), prj: prjGaussBoagaOvest, cpg: cpg}
}

func openOne(t *testing.T, path string, opt importers.Options) (*importers.Source, []layers.Feature, []*layers.RecordError) {
	t.Helper()
	src, err := open(path, opt)
	if err != nil {
		t.Fatalf("open(%s): %v", path, err)
	}
	t.Cleanup(func() { src.Close() })
	if len(src.Datasets) != 1 {
		t.Fatalf("got %d datasets, want 1", len(src.Datasets))
	}
	r, err := src.Datasets[0].Open()
	if err != nil {
		t.Fatalf("Dataset.Open: %v", err)
	}
	defer r.Close()
	feats, recErrs, err := importertest.ReadAll(t, r)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return src, feats, recErrs
}

// ---- tests ----

func TestShapefilePolygonsAttributesAndEncodings(t *testing.T) {
	cases := []struct {
		name string
		ldid byte
		cpg  string
		enc  string
		text func(string) string
	}{
		{"latin1 without cpg or driver byte", 0, "", "", latin1},
		{"latin1 with ESRI ANSI driver byte", 0x57, "", "", latin1},
		{"latin1 with cpg 1252", 0, "1252", "", latin1},
		{"latin1 with cpg 8859-1", 0, "8859-1", "", latin1},
		{"utf-8 with cpg", 0, "UTF-8", "", func(s string) string { return s }},
		{"utf-8 without cpg", 0, "", "", func(s string) string { return s }},
		{"latin1 forced by option", 0, "UTF-8", "iso-8859-1", latin1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := zoningFixture("zone_prg", tc.ldid, tc.cpg, tc.text).writeDir(t, t.TempDir())
			src, feats, recErrs := openOne(t, path, importers.Options{Encoding: tc.enc})
			info := src.Datasets[0].Info
			if src.Format != "shapefile" || info.Name != "zone_prg" || info.SRID != 3003 || info.GeometryType != "MultiPolygon" || info.Count != 4 {
				t.Errorf("info = %+v (format %s)", info, src.Format)
			}
			wantFields := []layers.Field{
				{Name: "ZONA", Type: layers.TypeText}, {Name: "DESCRIZ", Type: layers.TypeText},
				{Name: "ART_NTA", Type: layers.TypeInteger}, {Name: "SUP_MQ", Type: layers.TypeDouble},
				{Name: "VIGENTE", Type: layers.TypeBoolean}, {Name: "DATA_APP", Type: layers.TypeDate},
			}
			if fmt.Sprint(info.Fields) != fmt.Sprint(wantFields) {
				t.Errorf("fields = %v, want %v", info.Fields, wantFields)
			}
			if len(recErrs) != 0 {
				t.Fatalf("record errors: %v", recErrs)
			}
			if len(feats) != 3 {
				t.Fatalf("got %d features, want 3 (the deleted record skipped)", len(feats))
			}
			if got := []int64{feats[0].Record, feats[1].Record, feats[2].Record}; fmt.Sprint(got) != "[1 3 4]" {
				t.Errorf("record numbers = %v, want [1 3 4]", got)
			}
			p0 := feats[0].Props
			if p0["DESCRIZ"] != "Città - zona di completamento" || p0["ZONA"] != "B1" || p0["ART_NTA"] != int64(12) ||
				p0["SUP_MQ"] != 10000.0 || p0["VIGENTE"] != true || p0["DATA_APP"] != time.Date(2019, 4, 15, 0, 0, 0, 0, time.UTC) {
				t.Errorf("record 1 props = %#v", p0)
			}
			p1 := feats[1].Props
			if p1["DESCRIZ"] != "Località Sant'Anna" || p1["ART_NTA"] != nil || p1["SUP_MQ"] != nil || p1["VIGENTE"] != nil || p1["DATA_APP"] != nil {
				t.Errorf("record 3 props = %#v", p1)
			}
			if feats[2].Props["DESCRIZ"] != "Pietà, verde pubblico" || feats[2].Props["VIGENTE"] != false {
				t.Errorf("record 4 props = %#v", feats[2].Props)
			}
			poly, ok := feats[0].Geometry.(orb.Polygon)
			if !ok || len(poly) != 2 || len(poly[0]) != 5 || len(poly[1]) != 5 {
				t.Errorf("record 1 geometry = %#v, want a polygon with one hole", feats[0].Geometry)
			}
			if feats[1].Geometry != nil {
				t.Errorf("null shape gave %#v", feats[1].Geometry)
			}
			mp, ok := feats[2].Geometry.(orb.MultiPolygon)
			if !ok || len(mp) != 2 || len(mp[0]) != 1 || len(mp[1]) != 2 || mp[1][1][0] != (orb.Point{1620203, 4850003}) {
				t.Errorf("record 4 geometry = %#v, want two polygons, the hole in the second", feats[2].Geometry)
			}
			if size := src.Datasets[0].Info.Size; size == 0 || src.Meter.Done() != size {
				t.Errorf("progress: read %d of %d bytes after a full read", src.Meter.Done(), size)
			}
		})
	}
}

func TestPolygonRingAssembly(t *testing.T) {
	cw := func(x0, y0, x1, y1 float64) orb.Ring {
		return orb.Ring{{x0, y0}, {x0, y1}, {x1, y1}, {x1, y0}, {x0, y0}}
	}
	ccw := func(x0, y0, x1, y1 float64) orb.Ring {
		return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	}
	cases := []struct {
		name  string
		rings []orb.Ring
		// want lists, per polygon, the first vertex of each ring.
		want [][]orb.Point
	}{
		{"outer only", []orb.Ring{cw(0, 0, 10, 10)}, [][]orb.Point{{{0, 0}}}},
		{"outer and hole", []orb.Ring{cw(0, 0, 10, 10), ccw(2, 2, 4, 4)}, [][]orb.Point{{{0, 0}, {2, 2}}}},
		{"hole before its outer", []orb.Ring{ccw(2, 2, 4, 4), cw(0, 0, 10, 10)}, [][]orb.Point{{{0, 0}, {2, 2}}}},
		{"island in a hole takes the inner hole", []orb.Ring{
			cw(0, 0, 100, 100), ccw(10, 10, 90, 90), cw(20, 20, 80, 80), ccw(40, 40, 60, 60),
		}, [][]orb.Point{{{0, 0}, {10, 10}}, {{20, 20}, {40, 40}}}},
		{"hole touching the outer at a vertex", []orb.Ring{cw(0, 0, 10, 10), ccw(0, 0, 5, 5)}, [][]orb.Point{{{0, 0}, {0, 0}}}},
		{"all counter-clockwise: nesting decides", []orb.Ring{ccw(0, 0, 10, 10), ccw(2, 2, 4, 4)}, [][]orb.Point{{{0, 0}, {2, 2}}}},
		{"orphan hole becomes an outer ring", []orb.Ring{cw(0, 0, 10, 10), ccw(20, 20, 30, 30)}, [][]orb.Point{{{0, 0}}, {{20, 20}}}},
		{"two outers, two holes", []orb.Ring{cw(0, 0, 10, 10), cw(20, 0, 30, 10), ccw(22, 2, 24, 4), ccw(2, 2, 4, 4)},
			[][]orb.Point{{{0, 0}, {2, 2}}, {{20, 0}, {22, 2}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			polys := assembleRings(tc.rings)
			var got [][]orb.Point
			for _, p := range polys {
				var firsts []orb.Point
				for _, r := range p {
					firsts = append(firsts, r[0])
				}
				got = append(got, firsts)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("polygons (first vertices) = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestShapefilePointsLinesAndZ(t *testing.T) {
	line := []orb.Point{{10.5, 43.8}, {10.6, 43.9}, {10.7, 43.85}}
	cases := []struct {
		name     string
		typ      int32
		recs     []shpRec
		wantType string
		want     []orb.Geometry
	}{
		{"points", shpPoint, []shpRec{pointShape(orb.Point{10.5, 43.84})}, "Point", []orb.Geometry{orb.Point{10.5, 43.84}}},
		{"pointZ drops Z and M", shpPointZ, []shpRec{pointZShape(orb.Point{10.5, 43.84}, 19, 7)}, "Point", []orb.Geometry{orb.Point{10.5, 43.84}}},
		{"multipoint", shpMultiPoint, []shpRec{multiPointShape(line)}, "MultiPoint", []orb.Geometry{orb.MultiPoint(line)}},
		{"polyline one part", shpPolyLine, []shpRec{partsShape(shpPolyLine, line)}, "MultiLineString", []orb.Geometry{orb.LineString(line)}},
		{"polyline two parts", shpPolyLine, []shpRec{partsShape(shpPolyLine, line, line[:2])}, "MultiLineString",
			[]orb.Geometry{orb.MultiLineString{line, line[:2]}}},
		{"polylineZ", shpPolyLineZ, []shpRec{partsShape(shpPolyLineZ, line)}, "MultiLineString", []orb.Geometry{orb.LineString(line)}},
		{"polygonZ, ring left open", shpPolygonZ, []shpRec{partsShape(shpPolygonZ, []orb.Point{{0, 0}, {0, 1}, {1, 1}, {1, 0}})}, "MultiPolygon",
			[]orb.Geometry{orb.Polygon{{{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			shp, shx := shpBytes(tc.typ, tc.recs)
			var rows []dbfRow
			for i := range tc.recs {
				rows = append(rows, dbfRow{vals: []string{fmt.Sprint(i + 1)}})
			}
			fx := shapefileFixture{stem: "civici", shp: shp, shx: shx, dbf: dbfBytes(0, []dbfCol{{"ID", 'N', 9, 0}}, rows)}
			src, feats, recErrs := openOne(t, fx.writeDir(t, t.TempDir()), importers.Options{SRID: 4326})
			if len(recErrs) != 0 {
				t.Fatalf("record errors: %v", recErrs)
			}
			if got := src.Datasets[0].Info; got.GeometryType != tc.wantType || got.SRID != 4326 {
				t.Errorf("info = %+v", got)
			}
			if len(feats) != len(tc.want) {
				t.Fatalf("got %d features, want %d", len(feats), len(tc.want))
			}
			for i, f := range feats {
				if fmt.Sprintf("%#v", f.Geometry) != fmt.Sprintf("%#v", tc.want[i]) {
					t.Errorf("feature %d geometry = %#v, want %#v", i, f.Geometry, tc.want[i])
				}
				if f.Props["ID"] != int64(i+1) {
					t.Errorf("feature %d ID = %#v", i, f.Props["ID"])
				}
			}
		})
	}
}

func TestShapefileBadRecordsAreRecordErrors(t *testing.T) {
	badParts := partsShape(shpPolyLine, []orb.Point{{0, 0}, {1, 1}})
	binary.LittleEndian.PutUint32(badParts[44:], 7) // part starts past the points
	nan := pointShape(orb.Point{math.NaN(), 1})
	shp, shx := shpBytes(shpPolyLine, []shpRec{
		partsShape(shpPolyLine, []orb.Point{{0, 0}, {1, 1}}),
		badParts,
		nan,
		partsShape(shpPolyLine, []orb.Point{{2, 2}, {3, 3}}),
	})
	rows := []dbfRow{{vals: []string{"1"}}, {vals: []string{"2"}}, {vals: []string{"3"}}, {vals: []string{"x4"}}}
	fx := shapefileFixture{stem: "linee", shp: shp, shx: shx, dbf: dbfBytes(0, []dbfCol{{"N", 'N', 4, 0}}, rows)}
	src, err := open(fx.writeDir(t, t.TempDir()), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	r, err := src.Datasets[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	feats, recErrs, err := importertest.ReadAll(t, r)
	if err != nil {
		t.Fatalf("fatal error: %v", err)
	}
	if len(feats) != 1 || feats[0].Record != 1 {
		t.Errorf("features = %+v, want only record 1", feats)
	}
	want := []struct {
		rec  int64
		text string
	}{{2, "part 1 starts at point 7"}, {3, "non-finite"}, {4, `field N: invalid integer "x4"`}}
	if len(recErrs) != len(want) {
		t.Fatalf("record errors = %v, want %d", recErrs, len(want))
	}
	for i, w := range want {
		if recErrs[i].Record != w.rec || !strings.Contains(recErrs[i].Reason, w.text) {
			t.Errorf("record error %d = %v, want record %d mentioning %q", i, recErrs[i], w.rec, w.text)
		}
	}
}

func TestShapefileZip(t *testing.T) {
	dir := t.TempDir()
	zone := zoningFixture("ZONE_PRG", 0, "", latin1)
	shp, shx := shpBytes(shpPoint, []shpRec{pointShape(orb.Point{1620001, 4850001}), pointShape(orb.Point{1620002, 4850002})})
	civ := shapefileFixture{stem: "civici", shp: shp, shx: shx, prj: prjGaussBoagaOvest,
		dbf: dbfBytes(0, []dbfCol{{"VIA", 'C', 30, 0}}, []dbfRow{{vals: []string{latin1("Via di Sant'Anna")}}, {vals: []string{"Piazza Napoleone"}}})}
	files := map[string][]byte{"README.txt": []byte("dati del comune")}
	for n, b := range zone.files() {
		// Upper-case extensions, as Windows tools write them.
		files["prg/"+strings.TrimSuffix(n, filepath.Ext(n))+strings.ToUpper(filepath.Ext(n))] = b
	}
	for n, b := range civ.files() {
		files[n] = b
	}
	zipPath := filepath.Join(dir, "consegna.zip")
	writeZip(t, zipPath, files)

	t.Run("every shapefile is a dataset", func(t *testing.T) {
		src, err := open(zipPath, importers.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		var names []string
		for _, d := range src.Datasets {
			names = append(names, fmt.Sprintf("%s:%d:%d", d.Info.Name, d.Info.SRID, d.Info.Count))
		}
		if fmt.Sprint(names) != "[civici:3003:2 ZONE_PRG:3003:4]" {
			t.Errorf("datasets = %v", names)
		}
		var total int
		for _, d := range src.Datasets {
			r, err := d.Open()
			if err != nil {
				t.Fatal(err)
			}
			feats, recErrs, err := importertest.ReadAll(t, r)
			r.Close()
			if err != nil || len(recErrs) > 0 {
				t.Fatalf("%s: %v %v", d.Info.Name, err, recErrs)
			}
			if src.Meter.Done() != d.Info.Size {
				t.Errorf("%s: progress %d of %d", d.Info.Name, src.Meter.Done(), d.Info.Size)
			}
			total += len(feats)
			if d.Info.Name == "civici" && feats[0].Props["VIA"] != "Via di Sant'Anna" {
				t.Errorf("civici props = %v", feats[0].Props)
			}
		}
		if total != 5 {
			t.Errorf("read %d features, want 5", total)
		}
	})
}

func TestShapefileCorruptFiles(t *testing.T) {
	good := zoningFixture("zone", 0, "", latin1)
	cases := []struct {
		name string
		// mutate edits the fixture's files; zip writes them into a zip instead.
		mutate  func(files map[string][]byte)
		zip     bool
		openErr string // expected in the Open error, "" if Open succeeds
		readErr string // expected in the fatal read error
		file    string // file the error must name
	}{
		{name: "truncated shp", mutate: func(f map[string][]byte) { f["zone.shp"] = f["zone.shp"][:len(f["zone.shp"])-30] },
			readErr: "truncated", file: "zone.shp"},
		{name: "truncated shp in a zip", zip: true, mutate: func(f map[string][]byte) { f["zone.shp"] = f["zone.shp"][:len(f["zone.shp"])-30] },
			readErr: "truncated", file: "zone.shp"},
		{name: "dbf with fewer records than the shp", mutate: func(f map[string][]byte) {
			b := f["zone.dbf"]
			binary.LittleEndian.PutUint32(b[4:], 2)
		}, readErr: "has only 2 records", file: "zone.dbf"},
		{name: "dbf cut short", mutate: func(f map[string][]byte) { f["zone.dbf"] = f["zone.dbf"][:len(f["zone.dbf"])-40] },
			readErr: "truncated", file: "zone.dbf"},
		{name: "dbf with more records than the shp", mutate: func(f map[string][]byte) {
			b := f["zone.dbf"]
			binary.LittleEndian.PutUint32(b[4:], 5)
			recLen := int(binary.LittleEndian.Uint16(b[10:]))
			body := b[:len(b)-1] // without the 0x1A end mark
			extra := bytes.Clone(body[len(body)-recLen:])
			f["zone.dbf"] = append(append(bytes.Clone(body), extra...), 0x1A)
		}, readErr: "declares 5 records", file: "zone.shp"},
		{name: "not a shapefile", mutate: func(f map[string][]byte) { copy(f["zone.shp"], "hello world") },
			openErr: "not a shapefile", file: "zone.shp"},
		{name: "shp shorter than its header", mutate: func(f map[string][]byte) { f["zone.shp"] = f["zone.shp"][:60] },
			openErr: "shorter than its 100-byte header", file: "zone.shp"},
		{name: "dbf garbage header", mutate: func(f map[string][]byte) { f["zone.dbf"] = []byte("no") },
			openErr: "not a dBase file", file: "zone.dbf"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			files := good.files()
			for k, v := range files {
				files[k] = bytes.Clone(v)
			}
			tc.mutate(files)
			path := filepath.Join(dir, "zone.shp")
			if tc.zip {
				path = filepath.Join(dir, "zone.zip")
				writeZip(t, path, files)
			} else {
				for n, b := range files {
					if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			src, err := open(path, importers.Options{})
			if tc.openErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.openErr) || !strings.Contains(err.Error(), tc.file) {
					t.Fatalf("Open error = %v, want %q naming %s", err, tc.openErr, tc.file)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer src.Close()
			r, err := src.Datasets[0].Open()
			if err != nil {
				t.Fatalf("Dataset.Open: %v", err)
			}
			defer r.Close()
			_, _, err = importertest.ReadAll(t, r)
			if err == nil || !strings.Contains(err.Error(), tc.readErr) || !strings.Contains(err.Error(), tc.file) {
				t.Fatalf("read error = %v, want %q naming %s", err, tc.readErr, tc.file)
			}
		})
	}
}

func TestShapefileZipErrors(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "rotto.zip")
	if err := os.WriteFile(broken, []byte("PK\x03\x04 this is not really a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	noShp := filepath.Join(dir, "documenti.zip")
	writeZip(t, noShp, map[string][]byte{"relazione.pdf": []byte("%PDF"), "nta.txt": []byte("Art. 1")})
	cases := []struct {
		name, path, want string
	}{
		{"broken zip", broken, "not a readable zip archive"},
		{"zip without a shapefile", noShp, "holds no shapefile"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := open(tc.path, importers.Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
				t.Errorf("err = %v, want %q naming the file", err, tc.want)
			}
		})
	}
}

func TestShapefileWithoutDBFAndUpperCaseSidecars(t *testing.T) {
	dir := t.TempDir()
	shp, shx := shpBytes(shpPoint, []shpRec{pointShape(orb.Point{1, 2})})
	for name, b := range map[string][]byte{"PUNTI.SHP": shp, "PUNTI.SHX": shx, "PUNTI.PRJ": []byte(prjGaussBoagaOvest)} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src, feats, _ := openOne(t, filepath.Join(dir, "PUNTI.SHP"), importers.Options{})
	if info := src.Datasets[0].Info; info.SRID != 3003 || len(info.Fields) != 0 || info.Count != 1 {
		t.Errorf("info = %+v", info)
	}
	if len(feats) != 1 || feats[0].Geometry != (orb.Point{1, 2}) || feats[0].Props != nil {
		t.Errorf("features = %+v", feats)
	}
}

func TestShapefileDetectedWithoutExtension(t *testing.T) {
	dir := t.TempDir()
	fx := zoningFixture("zone", 0, "", latin1)
	if err := os.WriteFile(filepath.Join(dir, "zone"), fx.shp, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "zone.dbf"), fx.dbf, 0o644); err != nil {
		t.Fatal(err)
	}
	src, feats, _ := openOne(t, filepath.Join(dir, "zone"), importers.Options{})
	if src.Format != "shapefile" || len(feats) != 3 || feats[0].Props["DESCRIZ"] != "Città - zona di completamento" {
		t.Errorf("format %s, %d features", src.Format, len(feats))
	}
}

func TestDBFValues(t *testing.T) {
	cases := []struct {
		name    string
		col     dbfCol
		raw     string
		want    any
		wantErr string
	}{
		{"text trimmed", dbfCol{"A", 'C', 10, 0}, "abc", "abc", ""},
		{"text wider than 255", dbfCol{"A", 'C', 300, 0}, strings.Repeat("x", 299) + "y", strings.Repeat("x", 299) + "y", ""},
		{"empty text is null", dbfCol{"A", 'C', 10, 0}, "", nil, ""},
		{"integer", dbfCol{"A", 'N', 10, 0}, "-42", int64(-42), ""},
		{"integer written with decimals", dbfCol{"A", 'N', 10, 0}, "42.000", int64(42), ""},
		{"overflow asterisks are null", dbfCol{"A", 'N', 5, 0}, "*****", nil, ""},
		{"bad integer", dbfCol{"A", 'N', 10, 0}, "12a", nil, "invalid integer"},
		{"wide integer column is double", dbfCol{"A", 'N', 20, 0}, "12345678901234567890", 12345678901234567890.0, ""},
		{"double", dbfCol{"A", 'N', 12, 3}, "3.250", 3.25, ""},
		{"double with decimal comma", dbfCol{"A", 'F', 12, 3}, "3,250", 3.25, ""},
		{"bad double", dbfCol{"A", 'N', 12, 3}, "1.2.3", nil, "invalid number"},
		{"logical yes", dbfCol{"A", 'L', 1, 0}, "Y", true, ""},
		{"logical false", dbfCol{"A", 'L', 1, 0}, "f", false, ""},
		{"logical unset", dbfCol{"A", 'L', 1, 0}, "?", nil, ""},
		{"date", dbfCol{"A", 'D', 8, 0}, "20240229", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), ""},
		{"zero date is null", dbfCol{"A", 'D', 8, 0}, "00000000", nil, ""},
		{"bad date", dbfCol{"A", 'D', 8, 0}, "20241399", nil, "invalid date"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := dbfBytes(0, []dbfCol{tc.col}, []dbfRow{{vals: []string{tc.raw}}})
			d, err := newDBFReader(bytes.NewReader(b), "t.dbf", "", "")
			if err != nil {
				t.Fatal(err)
			}
			rec, deleted, err := d.next()
			if err != nil || deleted {
				t.Fatalf("next: %v %v", deleted, err)
			}
			props, err := d.props(rec)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if props["A"] != tc.want {
				t.Errorf("value = %#v, want %#v", props["A"], tc.want)
			}
		})
	}
}

func TestDBFSkipsMemoColumnsAndDedupesNames(t *testing.T) {
	cols := []dbfCol{{"NOTE", 'M', 10, 0}, {"nome", 'C', 5, 0}, {"NOME", 'C', 5, 0}, {"", 'C', 3, 0}}
	b := dbfBytes(0, cols, []dbfRow{{vals: []string{"0000000001", "a", "b", "c"}}})
	d, err := newDBFReader(bytes.NewReader(b), "t.dbf", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(d.hdr.layerFields()); got != "[{nome text} {NOME_2 text} {field_4 text}]" {
		t.Errorf("fields = %s", got)
	}
	rec, _, _ := d.next()
	props, err := d.props(rec)
	if err != nil || props["nome"] != "a" || props["NOME_2"] != "b" || props["field_4"] != "c" || len(props) != 3 {
		t.Errorf("props = %v, %v", props, err)
	}
}

// BenchmarkShapefileRead reads a 20 000-polygon shapefile with five
// attributes; -benchmem shows the allocations per full read.
func BenchmarkShapefileRead(b *testing.B) {
	const n = 20000
	recs := make([]shpRec, n)
	rows := make([]dbfRow, n)
	for i := range recs {
		x, y := 1620000+float64(i%200)*50, 4850000+float64(i/200)*50
		outer := []orb.Point{{x, y}, {x, y + 40}, {x + 20, y + 45}, {x + 40, y + 40}, {x + 40, y}, {x + 20, y - 5}, {x, y}}
		hole := []orb.Point{{x + 10, y + 10}, {x + 30, y + 10}, {x + 30, y + 30}, {x + 10, y + 30}, {x + 10, y + 10}}
		recs[i] = partsShape(shpPolygon, outer, hole)
		rows[i] = dbfRow{vals: []string{"E715", fmt.Sprint(i / 500), fmt.Sprint(i), latin1("Località Sant'Anna"), fmt.Sprintf("%.2f", 1600.0+float64(i))}}
	}
	shp, shx := shpBytes(shpPolygon, recs)
	cols := []dbfCol{{"COMUNE", 'C', 4, 0}, {"FOGLIO", 'N', 5, 0}, {"MAPPALE", 'N', 8, 0}, {"LOCALITA", 'C', 60, 0}, {"SUP", 'N', 14, 2}}
	fx := shapefileFixture{stem: "particelle", shp: shp, shx: shx, dbf: dbfBytes(0, cols, rows), prj: prjGaussBoagaOvest}
	path := fx.writeDir(b, b.TempDir())
	src, err := open(path, importers.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	b.SetBytes(src.Datasets[0].Info.Size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := src.Datasets[0].Open()
		if err != nil {
			b.Fatal(err)
		}
		count := 0
		for {
			_, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			count++
		}
		r.Close()
		if count != n {
			b.Fatalf("read %d features, want %d", count, n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/feature")
}
