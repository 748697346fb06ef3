package broadband

import (
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/importers/importertest"
)

// TestInfratel2028Lucca checks the real list of Lucca: 469 streets, 11 345
// house numbers (A 383, B 2 486, C 8 476), counted independently with
// Python's json module.
func TestInfratel2028Lucca(t *testing.T) {
	src, err := open("../../data/sources/infratel2028_civici_LUCCA_LUCCA.json", importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Format != "infratel2028" {
		t.Fatalf("format %q", src.Format)
	}
	feats, skipped := importertest.ReadDataset(t, src.Datasets[0])
	if len(skipped) != 0 {
		t.Fatalf("skipped %v", skipped[0])
	}
	if len(feats) != 11345 {
		t.Errorf("%d civici, want 11345", len(feats))
	}
	stati := importertest.CountBy(feats, "stato")
	if stati["A"] != 383 || stati["B"] != 2486 || stati["C"] != 8476 {
		t.Errorf("by stato %v, want A 383, B 2486, C 8476", stati)
	}
	if n := len(importertest.CountBy(feats, "street")); n != 469 {
		t.Errorf("%d streets, want 469", n)
	}
	f := feats[0]
	want := map[string]any{"street": "CORTE BACCELLI", "civico": "443/B", "stato": "A", "stato_desc": "coordinate di scarsa qualità",
		"address": "CORTE BACCELLI 443/B, LUCCA", "comune": "LUCCA", "provincia": "LUCCA"}
	for k, v := range want {
		if f.Props[k] != v {
			t.Errorf("%s = %v, want %v", k, f.Props[k], v)
		}
	}
	if f.Geometry != nil {
		t.Error("the list has no coordinates")
	}
}

func TestInfratel2028Errors(t *testing.T) {
	doc := `{"VIA A": [{"civico": "1", "stato": "B"}, {"civico": "2", "stato": "Z"}, "x", {"civico": 3, "stato": "c"}], "VIA B": []}`
	src, err := open(importertest.WriteFile(t, t.TempDir(), "LUCCA_CAPANNORI.json", doc), importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	feats, skipped := importertest.ReadDataset(t, src.Datasets[0])
	if len(feats) != 2 || len(skipped) != 2 {
		t.Fatalf("%d features, %d skipped", len(feats), len(skipped))
	}
	if feats[1].Props["civico"] != "3" || feats[1].Props["stato"] != "C" || feats[1].Props["address"] != "VIA A 3, CAPANNORI" {
		t.Errorf("numeric civico / lower-case stato: %v", feats[1].Props)
	}
	if !strings.Contains(skipped[0].Reason, `stato "Z"`) {
		t.Errorf("reason %q", skipped[0].Reason)
	}
	// Truncated file: a fatal error naming the file.
	src2, err := open(importertest.WriteFile(t, t.TempDir(), "LUCCA_LUCCA.json", `{"VIA A": [{"civico": "1", "stato": "B"}, {"civ`), importers.Options{Format: "infratel2028"})
	if err != nil {
		t.Fatal(err)
	}
	defer src2.Close()
	r, _ := src2.Datasets[0].Open()
	defer r.Close()
	r.Next()
	if _, err := r.Next(); err == nil || !strings.Contains(err.Error(), "LUCCA_LUCCA.json") {
		t.Errorf("truncated: %v", err)
	}
}

// TestInfratelConsultation reads a fixture built on the layout of the
// consultation tables (see infratel.go): Windows-1252 text, CRLF, colours
// n/g/blank, speed classes 0/1/2, a malformed colour and a short row.
func TestInfratelConsultation(t *testing.T) {
	src, err := open("testdata/infratel_consultazione_lucca.csv", importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Format != "infratel" {
		t.Fatalf("format %q, want infratel", src.Format)
	}
	feats, skipped := importertest.ReadDataset(t, src.Datasets[0])
	if len(feats) != 5 || len(skipped) != 2 {
		t.Fatalf("%d features, %d skipped", len(feats), len(skipped))
	}
	if !strings.Contains(skipped[0].Reason, "line 6: colour \"x\"") || !strings.Contains(skipped[1].Reason, "line 7: 5 columns") {
		t.Errorf("reasons %q / %q", skipped[0].Reason, skipped[1].Reason)
	}
	type row struct {
		id, area, band, max string
		floor               any
	}
	want := []row{
		{"380100012345678", "black", "100-1000", ">=300", 300.0},
		{"380100012345679", "grey", "100-1000", ">=300", 300.0},
		{"380100012345680", "white", "30-100", "30-300", 30.0},
		{"380100012345681", "white", "<30", "<30", 0.0},
		{"380100012345684", "black", "", "", nil},
	}
	for i, w := range want {
		f := feats[i]
		band, _ := f.Props["speed_band"].(string)
		max, _ := f.Props["velocita_max"].(string)
		got := row{f.ID, f.Props["area_class"].(string), band, max, f.Props["max_down_mbps"]}
		if got != w {
			t.Errorf("row %d: %+v, want %+v", i, got, w)
		}
		if f.Geometry != nil {
			t.Errorf("row %d: geometry without coordinate columns", i)
		}
	}
	if a := feats[2].Props["address"]; a != "VIA DELLA LIBERTÀ, 3, LUCCA" {
		t.Errorf("Windows-1252 address decoded as %q", a)
	}
	if feats[4].Props["comune"] != "CAPANNORI" || feats[4].Props["address"] != "VIA ROMANA, 5, CAPANNORI" {
		t.Errorf("row 5: %v", feats[4].Props)
	}
}

func TestInfratelConsultationCoords(t *testing.T) {
	src, err := open("testdata/infratel_consultazione_coords.csv", importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.Datasets[0].Info.SRID != 4326 || src.Datasets[0].Info.GeometryType != "Point" {
		t.Errorf("info %+v", src.Datasets[0].Info)
	}
	feats, skipped := importertest.ReadDataset(t, src.Datasets[0])
	if len(feats) != 2 || len(skipped) != 0 {
		t.Fatalf("%d features, skipped %v", len(feats), skipped)
	}
	if feats[0].Geometry != (orb.Point{10.5035, 43.8445}) || feats[0].Props["OPERATORI"] != "2" {
		t.Errorf("row 1: %v %v", feats[0].Geometry, feats[0].Props)
	}
	// Older consultations give the band in Mbit/s.
	if feats[0].Props["max_down_mbps"] != 1000.0 || feats[0].Props["speed_band"] != ">=1000" || feats[1].Props["speed_band"] != "100-1000" {
		t.Errorf("speeds %v / %v", feats[0].Props, feats[1].Props)
	}
	if feats[1].Geometry != nil {
		t.Errorf("row without coordinates: %v", feats[1].Geometry)
	}
}

func TestInfratelSniff(t *testing.T) {
	cases := []struct {
		name string
		head string
		want bool
	}{
		{"with header", "EGON;R;P;C;V;N;I;COLORE;A;B\n123;T;L;L;V;1;V, 1;n;2;2\n", true},
		{"blank colour", "123;T;L;L;V;1;V, 1;;2;2\n", true},
		{"generic csv", "a;b;c\n1;2;3\n", false},
		{"other colour", "123;T;L;L;V;1;V, 1;rosso;2;2\n", false},
	}
	for _, c := range cases {
		if got := sniffInfratel([]byte(c.head)); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
