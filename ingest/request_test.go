package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRequestFieldErrors(t *testing.T) {
	tests := []struct {
		name  string
		req   Request
		field string
		want  string
	}{
		{"bad kind", Request{Kind: "parcels"}, "kind", "unknown kind"},
		{"bad layer", Request{Layer: "Bad Name"}, "layer", "invalid layer name"},
		{"bad srid", Request{SRID: "gauss"}, "srid", "EPSG code"},
		{"bad snapshot", Request{Snapshot: "30/06/2025"}, "snapshot", "YYYY-MM-DD"},
		{"bad delimiter", Request{Delimiter: "#"}, "delimiter", "tab"},
		{"bad join", Request{Join: "comuni=pro_com"}, "join", "LAYER.COLUMN=PROPERTY"},
		{"bad join layer", Request{Join: "Comuni.x=y"}, "join", "invalid layer name"},
		{"bad filter", Request{Filters: []string{"provincia"}}, "filter", "PROPERTY=VALUE"},
		{"replace and append", Request{Replace: true, Append: true}, "replace", "exclude"},
		{"mapping onto a non-canonical column", Request{Kind: "cadastral", Mapping: "NUM = particela"}, "mapping", "particela"},
		{"mapping syntax", Request{Kind: "cadastral", Mapping: "just words"}, "mapping", "line 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.Path = "x.geojson"
			_, err := Prepare(tc.req)
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a FieldError", err)
			}
			if fe.Field != tc.field || !strings.Contains(fe.Error(), tc.want) {
				t.Fatalf("got field %q, %q; want %q containing %q", fe.Field, fe.Error(), tc.field, tc.want)
			}
		})
	}
}

func TestPrepareMissingFile(t *testing.T) {
	_, err := Prepare(Request{Path: filepath.Join(t.TempDir(), "nessuno.geojson")})
	if err == nil || !strings.Contains(err.Error(), "nessuno.geojson") {
		t.Fatalf("got %v, want an error naming the file", err)
	}
}

func TestPlanTargets(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fc := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[10.5,43.8]}}]}`
	tests := []struct {
		name      string
		req       Request
		wantLayer string
		wantKind  string
		wantMode  string
	}{
		{"name from the file", Request{Path: write("Zone PRG 2024.geojson", fc)}, "zone_prg_2024", "generic", "replace"},
		{"name given", Request{Path: write("a.geojson", fc), Layer: "zone"}, "zone", "generic", "replace"},
		{"broadband appends", Request{Path: write("b.geojson", fc), Kind: "broadband"}, "b", "broadband", "append"},
		{"broadband replaced on request", Request{Path: write("c.geojson", fc), Kind: "broadband", Replace: true}, "c", "broadband", "replace"},
		{"append on request", Request{Path: write("d.geojson", fc), Append: true}, "d", "generic", "append"},
		{"upload keeps its name", Request{Path: write("upload-1234.geojson", fc), SourceName: "Civici.geojson"}, "civici", "generic", "replace"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Prepare(tc.req)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			ts := p.Targets()
			if len(ts) != 1 || ts[0].Layer != tc.wantLayer || string(ts[0].Kind) != tc.wantKind || string(ts[0].Mode) != tc.wantMode {
				t.Fatalf("targets %+v; want %s %s %s", ts, tc.wantLayer, tc.wantKind, tc.wantMode)
			}
		})
	}
}

// A name made from a long file name is never cut: two files with the same
// long beginning would otherwise replace each other's layer.
func TestPlanRefusesLongDerivedNames(t *testing.T) {
	dir := t.TempDir()
	fc := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[10.5,43.8]}}]}`
	p := filepath.Join(dir, "Piano Operativo Comunale di Lucca 2024 - tavola zonizzazione 1.geojson")
	if err := os.WriteFile(p, []byte(fc), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Prepare(Request{Path: p})
	if err == nil || !strings.Contains(err.Error(), "--layer piano_operativo_comunale_di_lucca_2024_tavola") {
		t.Fatalf("got %v; want a refusal suggesting a --layer", err)
	}
	plan, err := Prepare(Request{Path: p, Layer: "po_zone_1"})
	if err != nil {
		t.Fatal(err)
	}
	defer plan.Close()
	if got := plan.Targets()[0].Layer; got != "po_zone_1" {
		t.Fatalf("layer %q, want po_zone_1", got)
	}
}
