package catasto

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/importers/importertest"
	"github.com/sit-gis/sit/layers"
)

// sampleCXF is a real sheet: Roma (H501) sezione D foglio 767.
const sampleCXF = "../../data/sources/H501D076700.CTF"

// TestCXFSample checks the real sheet against counts taken independently
// with awk on the file (see the report): 516 BORDO (131 '+' fabbricati,
// 1 STRADA, 2 ACQUA, 1 sheet boundary, 381 particelle; 34 with islands, 77
// islands, 9109 vertices), 50+38 TESTO, 227+80 SIMBOLO, 27 FIDUCIALE,
// 572+73 LINEA with 2480 vertices.
func TestCXFSample(t *testing.T) {
	src, err := open(sampleCXF, importers.Options{SRID: 32633})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Format != "cxf" {
		t.Fatalf("format %q, want cxf", src.Format)
	}
	wantCounts := map[string]int64{
		"H501D076700_bordi": 516, "H501D076700_testi": 88, "H501D076700_simboli": 307,
		"H501D076700_fiduciali": 27, "H501D076700_linee": 645,
	}
	if len(src.Datasets) != len(wantCounts) {
		t.Fatalf("%d datasets, want %d (no LIBRETTO / RIFERIMENTO_RASTER in this sheet)", len(src.Datasets), len(wantCounts))
	}
	for _, ds := range src.Datasets {
		if want, ok := wantCounts[ds.Info.Name]; !ok || ds.Info.Count != want {
			t.Errorf("dataset %s: importers.Info.Count %d, want %d", ds.Info.Name, ds.Info.Count, want)
		}
		if ds.Info.SRID != 32633 {
			t.Errorf("dataset %s: SRID %d, want the --srid 32633", ds.Info.Name, ds.Info.SRID)
		}
	}

	t.Run("bordi", func(t *testing.T) { checkSampleBordi(t, src) })
	t.Run("testi", func(t *testing.T) {
		feats, _ := importertest.ReadDataset(t, importertest.Dataset(t, src, "H501D076700_testi"))
		if len(feats) != 88 {
			t.Fatalf("%d testi, want 88", len(feats))
		}
		if n := importertest.CountBy(feats, "esterno")[true]; n != 38 {
			t.Errorf("%d TESTO\\ (outside the map), want 38", n)
		}
		if n := importertest.CountBy(feats, "diritto_superficie")[true]; n != 5 {
			t.Errorf("%d diritti di superficie, want 5", n)
		}
		for _, f := range feats {
			if _, ok := f.Geometry.(orb.Point); !ok {
				t.Fatalf("testo geometry %T", f.Geometry)
			}
		}
	})
	t.Run("simboli", func(t *testing.T) { checkSampleSimboli(t, src) })
	t.Run("fiduciali", func(t *testing.T) {
		feats, _ := importertest.ReadDataset(t, importertest.Dataset(t, src, "H501D076700_fiduciali"))
		if len(feats) != 27 {
			t.Fatalf("%d fiduciali, want 27", len(feats))
		}
		f := feats[0]
		if f.Props["numero"] != "15" || f.Props["codice_simbolo"] != int64(20) || f.Geometry != (orb.Point{279962.807, 4638099.204}) ||
			f.Props["rappr_x"] != 279979.207 || f.Props["rappr_y"] != 4638114.731 {
			t.Errorf("first fiduciale: %v %v", f.Geometry, f.Props)
		}
	})
	t.Run("linee", func(t *testing.T) {
		feats, _ := importertest.ReadDataset(t, importertest.Dataset(t, src, "H501D076700_linee"))
		if len(feats) != 645 {
			t.Fatalf("%d linee, want 645", len(feats))
		}
		if n := importertest.CountBy(feats, "esterno")[true]; n != 73 {
			t.Errorf("%d LINEA\\, want 73", n)
		}
		v := 0
		for _, f := range feats {
			v += len(f.Geometry.(orb.LineString))
		}
		if v != 2480 {
			t.Errorf("%d line vertices, want 2480", v)
		}
	})
}

// checkSampleBordi checks the BORDO records of the real sheet: types,
// islands, vertices, the sheet boundary and a fabbricato.
func checkSampleBordi(t *testing.T, src *importers.Source) {
	feats, skipped := importertest.ReadDataset(t, importertest.Dataset(t, src, "H501D076700_bordi"))
	if len(skipped) != 0 || len(feats) != 516 {
		t.Fatalf("%d features, %d skipped; want 516, 0", len(feats), len(skipped))
	}
	tipi := importertest.CountBy(feats, "tipo")
	want := map[any]int{"fabbricato": 131, "particella": 381, "strada": 1, "acqua": 2, "confine": 1}
	for k, n := range want {
		if tipi[k] != n {
			t.Errorf("tipo %v: %d, want %d (all: %v)", k, tipi[k], n, tipi)
		}
	}
	var withIslands, islands, vertices int
	for _, f := range feats {
		p, ok := f.Geometry.(orb.Polygon)
		if !ok {
			t.Fatalf("record %d: geometry %T, want orb.Polygon", f.Record, f.Geometry)
		}
		if len(p) > 1 {
			withIslands++
			islands += len(p) - 1
		}
		if f.Props["isole"].(int64) != int64(len(p)-1) {
			t.Errorf("record %d: isole %v but %d inner rings", f.Record, f.Props["isole"], len(p)-1)
		}
		for _, r := range p {
			vertices += len(r)
			if r[0] != r[len(r)-1] {
				t.Errorf("record %d: ring not closed", f.Record)
			}
		}
		for _, k := range []string{"comune", "sezione", "foglio", "allegato", "sviluppo"} {
			if f.Props[k] == nil {
				t.Errorf("record %d: no %s", f.Record, k)
			}
		}
	}
	// Every ring of this file is closed already, so no vertex is added.
	if withIslands != 34 || islands != 77 || vertices != 9109 {
		t.Errorf("%d bordi with %d islands and %d vertices, want 34, 77, 9109", withIslands, islands, vertices)
	}
	first := feats[0].Props
	if first["tipo"] != "confine" || first["codice"] != "H501D076700" || first["comune"] != "H501" ||
		first["sezione"] != "D" || first["foglio"] != "767" || first["allegato"] != "0" || first["sviluppo"] != "0" ||
		first["tipo_mappa"] != "MAPPA" || first["scala"] != 4000.0 || first["ref"] != "H501D076700" {
		t.Errorf("sheet boundary props: %v", first)
	}
	var fab *layers.Feature
	for i := range feats {
		if feats[i].Props["codice"] == "37+" {
			fab = &feats[i]
			break
		}
	}
	if fab == nil || fab.Props["particella"] != "37" || fab.Props["ref"] != "H501D076700.37" || fab.Props["tipo"] != "fabbricato" {
		t.Errorf("fabbricato 37+: %v", fab)
	}
}

// checkSampleSimboli checks the SIMBOLO records of the real sheet: inside
// and outside the map, codes, descriptions.
func checkSampleSimboli(t *testing.T, src *importers.Source) {
	feats, _ := importertest.ReadDataset(t, importertest.Dataset(t, src, "H501D076700_simboli"))
	if len(feats) != 307 {
		t.Fatalf("%d simboli, want 307", len(feats))
	}
	if n := importertest.CountBy(feats, "esterno")[true]; n != 80 {
		t.Errorf("%d SIMBOLO\\, want 80", n)
	}
	codes := importertest.CountBy(feats, "codice")
	want := map[any]int{int64(1): 8, int64(2): 169, int64(3): 30, int64(5): 48, int64(9): 45, int64(14): 4, int64(20): 3}
	for k, n := range want {
		if codes[k] != n {
			t.Errorf("symbol %v: %d, want %d", k, codes[k], n)
		}
	}
	if feats[0].Props["descrizione"] == nil {
		t.Errorf("symbol without description: %v", feats[0].Props)
	}
}

func TestCXFNoSRID(t *testing.T) {
	src, err := open(sampleCXF, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	for _, ds := range src.Datasets {
		if ds.Info.SRID != 0 {
			t.Errorf("%s: SRID %d, want 0 (CXF names no CRS)", ds.Info.Name, ds.Info.SRID)
		}
	}
}

// cxfText builds a CXF file from its records, CRLF-terminated.
func cxfText(lines ...string) string { return strings.Join(lines, "\r\n") + "\r\n" }

// square is a closed 5-vertex ring as CXF coordinate records.
func square(x0, y0, side string) []string {
	return []string{x0, y0, x0, side, side, side, side, y0, x0, y0}
}

func bordo(code string, islands []string, nVert string, coords ...string) []string {
	rec := []string{"BORDO", code, "  12", "0.000", "5.0", "5.0", "5.0", "5.0", islands[0], nVert}
	rec = append(rec, islands[1:]...)
	return append(rec, coords...)
}

func TestCXFRecordTypes(t *testing.T) {
	var lines []string
	lines = append(lines, "MAPPA FONDIARIO", "E715_0012A0", "    2000.000")
	lines = append(lines, bordo("E715_0012A0", []string{"1", "5"}, "10", append(square("0", "0", "100"), square("10", "10", "20")...)...)...)
	lines = append(lines, bordo("125", []string{"0"}, "5", square("0", "0", "10")...)...)
	lines = append(lines, bordo("125+", []string{"0"}, "5", square("1", "1", "2")...)...)
	lines = append(lines, bordo("S12", []string{"0"}, "5", square("20", "20", "30")...)...)
	lines = append(lines, bordo("A3", []string{"0"}, "5", square("40", "40", "50")...)...)
	lines = append(lines,
		"TESTO\\", "Via Roma", "  20", "1.571", "3.0", "4.0",
		"TESTO", "(731)", "  18", "0.000", "9.0", "9.0",
		"SIMBOLO\\", "  14", "4.673", "1.0", "2.0",
		"FIDUCIALE", "PF01/0120/E715", "  20", "15.0", "16.0", "17.0", "18.0",
		"LINEA\\", "   6", "   2", "0.0", "0.0", "1.0", "1.0",
		"LIBRETTO", "0", "   1", "   3", "0.0", "0.0", "1.0", "0.0", "1.0", "1.0",
		"RIFERIMENTO_RASTER", "E715_0012A0.tif", "0.0", "100.0", "0.0", "0.0", "100.0", "0.0", "100.0", "100.0",
		"EOF", "anything after EOF is ignored")
	p := importertest.WriteFile(t, t.TempDir(), "E715_0012A0.CXF", cxfText(lines...))
	src, err := open(p, importers.Options{SRID: 3003})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if len(src.Datasets) != 7 {
		t.Fatalf("%d datasets, want 7 (LIBRETTO and RIFERIMENTO_RASTER present)", len(src.Datasets))
	}
	bordi, _ := importertest.ReadDataset(t, importertest.Dataset(t, src, "E715_0012A0_bordi"))
	wantTipo := []string{"confine", "particella", "fabbricato", "strada", "acqua"}
	for i, f := range bordi {
		if f.Props["tipo"] != wantTipo[i] {
			t.Errorf("bordo %d (%v): tipo %v, want %s", i, f.Props["codice"], f.Props["tipo"], wantTipo[i])
		}
		if f.Props["comune"] != "E715" || f.Props["foglio"] != "12" || f.Props["allegato"] != "A" || f.Props["sezione"] != nil {
			t.Errorf("bordo %d: sheet columns %v", i, f.Props)
		}
	}
	if p := bordi[0].Geometry.(orb.Polygon); len(p) != 2 || len(p[0]) != 5 || len(p[1]) != 5 || p[1][0] != (orb.Point{10, 10}) {
		t.Errorf("boundary with one island: %v", p)
	}
	if bordi[1].Props["ref"] != "E715_0012A0.125" || bordi[2].Props["particella"] != "125" {
		t.Errorf("particella/fabbricato refs: %v / %v", bordi[1].Props, bordi[2].Props)
	}
	if bordi[3].Props["particella"] != "S12" {
		t.Errorf("fondiario road keeps its significant code: %v", bordi[3].Props)
	}
	testi, _ := importertest.ReadDataset(t, importertest.Dataset(t, src, "E715_0012A0_testi"))
	if testi[0].Props["esterno"] != true || testi[0].Props["testo"] != "Via Roma" || testi[1].Props["particella"] != "731" || testi[1].Props["esterno"] != false {
		t.Errorf("testi: %v / %v", testi[0].Props, testi[1].Props)
	}
	sim, _ := importertest.ReadDataset(t, importertest.Dataset(t, src, "E715_0012A0_simboli"))
	if sim[0].Props["codice"] != int64(14) || sim[0].Props["descrizione"] != "graffa di annessione grande" || sim[0].Props["esterno"] != true {
		t.Errorf("simbolo: %v", sim[0].Props)
	}
	fid, _ := importertest.ReadDataset(t, importertest.Dataset(t, src, "E715_0012A0_fiduciali"))
	if fid[0].Props["numero"] != "PF01/0120/E715" || fid[0].Geometry != (orb.Point{15, 16}) {
		t.Errorf("fiduciale: %v %v", fid[0].Geometry, fid[0].Props)
	}
	lin, _ := importertest.ReadDataset(t, importertest.Dataset(t, src, "E715_0012A0_linee"))
	if lin[0].Props["tratto"] != int64(6) || len(lin[0].Geometry.(orb.LineString)) != 2 {
		t.Errorf("linea: %v", lin[0])
	}
	lib, _ := importertest.ReadDataset(t, importertest.Dataset(t, src, "E715_0012A0_libretti"))
	if len(lib) != 1 || lib[0].Props["protocollo"] != "0" {
		t.Errorf("libretto: %v", lib)
	}
	ras, _ := importertest.ReadDataset(t, importertest.Dataset(t, src, "E715_0012A0_riferimenti_raster"))
	if len(ras) != 1 || len(ras[0].Geometry.(orb.Polygon)[0]) != 5 {
		t.Errorf("riferimento raster: %v", ras)
	}
}

func TestCXFQuadroDUnione(t *testing.T) {
	var lines []string
	lines = append(lines, "QUADRO D'UNIONE", "E715_0128QU", "    5000.000")
	lines = append(lines, bordo("E715_001200", []string{"0"}, "5", square("0", "0", "10")...)...)
	lines = append(lines, bordo("E715A003300", []string{"0"}, "5", square("10", "0", "20")...)...)
	lines = append(lines, "EOF")
	src, err := open(importertest.WriteFile(t, t.TempDir(), "E715_0128QU.cxf", cxfText(lines...)), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	feats, _ := importertest.ReadDataset(t, src.Datasets[0])
	if len(feats) != 2 {
		t.Fatalf("%d bordi", len(feats))
	}
	if f := feats[1].Props; f["tipo"] != "confine" || f["foglio"] != "33" || f["sezione"] != "A" || f["ref"] != "E715A003300" || f["tipo_mappa"] != "QUADRO D'UNIONE" {
		t.Errorf("sheet boundary of a quadro d'unione takes its own sheet: %v", f)
	}
}

func TestCXFMalformed(t *testing.T) {
	head := []string{"MAPPA", "E715_001200", "    1000.000"}
	cases := []struct {
		name  string
		lines []string
		want  string // substring of the error
	}{
		{"not CXF", []string{"HELLO", "x", "1"}, "line 1: not a CXF file"},
		{"bad scale", []string{"MAPPA", "E715_001200", "scala"}, "line 3"},
		{"vertex count not a number", append(append([]string{}, head...), "BORDO", "1", "12", "0", "1", "1", "1", "1", "0", "five"), "line 13: BORDO number of vertices"},
		{"negative islands", append(append([]string{}, head...), "BORDO", "1", "12", "0", "1", "1", "1", "1", "-1"), "line 12: BORDO number of islands: negative"},
		{"islands exceed vertices", append(append([]string{}, head...), "BORDO", "1", "12", "0", "1", "1", "1", "1", "1", "4", "9"), "line 14: BORDO \"1\": the islands have more vertices"},
		{"coordinate not a number", append(append([]string{}, head...), "LINEA", "1", "2", "0.0", "abc"), "line 8: LINEA vertex 1 Y"},
		{"unknown keyword", append(append([]string{}, head...), "CERCHIO", "EOF"), "line 4: expected a record keyword"},
		{"truncated, no EOF", append(append([]string{}, head...), "SIMBOLO", "1", "0.0", "1.0", "2.0"), "line 8: unexpected end of file"},
		{"backslash on BORDO", append(append([]string{}, head...), append([]string{"BORDO\\"}, bordo("1", []string{"0"}, "5", square("0", "0", "1")...)[1:]...)...), "cannot carry"},
		{"huge count, short file", append(append([]string{}, head...), "LINEA", "1", "2000000000", "0", "0"), "unexpected end of file while reading LINEA vertex 2 X"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := importertest.WriteFile(t, t.TempDir(), "E715_001200.cxf", cxfText(c.lines...))
			_, err := open(p, importers.Options{})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "E715_001200.cxf") {
				t.Errorf("error %q, want it to name the file and contain %q", err, c.want)
			}
		})
	}
}

// A ring too short for a polygon is a record error: the reader skips that
// BORDO and goes on with the next.
func TestCXFBadRingSkipped(t *testing.T) {
	var lines []string
	lines = append(lines, "MAPPA", "E715_001200", "1000.000")
	lines = append(lines, bordo("7", []string{"0"}, "2", "0", "0", "1", "1")...)
	lines = append(lines, bordo("8", []string{"0"}, "4", "0", "0", "1", "0", "1", "1", "0", "1")...) // not closed: closed by the reader
	lines = append(lines, "EOF")
	src, err := open(importertest.WriteFile(t, t.TempDir(), "E715_001200.cxf", cxfText(lines...)), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	feats, skipped := importertest.ReadDataset(t, src.Datasets[0])
	if len(skipped) != 1 || !strings.Contains(skipped[0].Reason, "line 4") || !strings.Contains(skipped[0].Reason, "BORDO \"7\"") {
		t.Fatalf("skipped %v, want BORDO 7 at line 4", skipped)
	}
	if len(feats) != 1 || feats[0].Props["particella"] != "8" || len(feats[0].Geometry.(orb.Polygon)[0]) != 5 {
		t.Fatalf("features %v", feats)
	}
}

func TestCXFZip(t *testing.T) {
	sample, err := os.ReadFile(sampleCXF)
	if err != nil {
		t.Fatal(err)
	}
	var small []string
	small = append(small, "MAPPA", "E715_001200", "1000.000")
	small = append(small, bordo("1", []string{"0"}, "5", square("0", "0", "1")...)...)
	small = append(small, "TESTO", "x", "10", "0", "0", "0", "EOF")

	// A nested zip, as municipality deliveries often are.
	var inner bytes.Buffer
	zw := zip.NewWriter(&inner)
	w, _ := zw.Create("E715_001200.CXF")
	w.Write([]byte(cxfText(small...)))
	w, _ = zw.Create("E715_001200.SUP")
	w.Write([]byte("E715_001200    20240101\r\n"))
	zw.Close()

	p := filepath.Join(t.TempDir(), "comune.zip")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw = zip.NewWriter(f)
	w, _ = zw.Create("fogli/H501D076700.CTF")
	w.Write(sample)
	w, _ = zw.Create("fogli/altro.zip")
	w.Write(inner.Bytes())
	w, _ = zw.Create("LEGGIMI.txt")
	w.Write([]byte("readme"))
	zw.Close()
	f.Close()

	src, err := open(p, importers.Options{SRID: 3003})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	bordi := importertest.Dataset(t, src, "comune_bordi")
	if bordi.Info.Count != 517 {
		t.Errorf("Info.Count %d, want 516 + 1", bordi.Info.Count)
	}
	feats, _ := importertest.ReadDataset(t, bordi)
	if len(feats) != 517 {
		t.Fatalf("%d bordi, want 517", len(feats))
	}
	comuni := importertest.CountBy(feats, "comune")
	if comuni["H501"] != 516 || comuni["E715"] != 1 {
		t.Errorf("bordi by comune: %v", comuni)
	}
	testi, _ := importertest.ReadDataset(t, importertest.Dataset(t, src, "comune_testi"))
	if len(testi) != 89 {
		t.Errorf("%d testi, want 88 + 1", len(testi))
	}
	if src.Meter.Done() == 0 || src.Meter.Done() != bordi.Info.Size {
		t.Errorf("progress: read %d of %d", src.Meter.Done(), bordi.Info.Size)
	}
}

// A zip without CXF sheets is not claimed: it goes on to the next reader
// registered for .zip (shapefile), whose error is then about shapefiles.
func TestCXFZipNotClaimed(t *testing.T) {
	p := filepath.Join(t.TempDir(), "other.zip")
	f, _ := os.Create(p)
	zw := zip.NewWriter(f)
	w, _ := zw.Create("readme.txt")
	w.Write([]byte("hello"))
	zw.Close()
	f.Close()
	if claimsCXFZip(p) || claimsCXF(p, nil) {
		t.Fatal("a zip without .cxf members was claimed")
	}
}
