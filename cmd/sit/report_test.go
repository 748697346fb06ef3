package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/dbtest"
)

// writeGeoJSON writes a FeatureCollection of polygons (rings of lon/lat) or points.
func writeGeoJSON(t *testing.T, dir, name string, feats []map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"type": "FeatureCollection", "features": feats})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func box(x1, y1, x2, y2 float64) map[string]any {
	return map[string]any{"type": "Polygon", "coordinates": [][][]float64{{{x1, y1}, {x2, y1}, {x2, y2}, {x1, y2}, {x1, y1}}}}
}

func feature(g map[string]any, props map[string]any) map[string]any {
	return map[string]any{"type": "Feature", "geometry": g, "properties": props}
}

// loadReportData imports, through `sit import`, two parcels with a road
// between them, two zones splitting parcel 125, a constraint, and a
// broadband layer with two snapshots.
func loadReportData(t *testing.T, url string) {
	t.Helper()
	dir := t.TempDir()
	parcel := func(x float64, particella string) map[string]any {
		return feature(box(x, 43.84, x+0.0005, 43.8405), map[string]any{"comune": "E715", "foglio": "37", "particella": particella,
			"allegato": "0", "sviluppo": "0", "ref": "E715_003700." + particella})
	}
	files := []struct {
		name, kind, role string
		feats            []map[string]any
	}{
		{"parcels.geojson", "cadastral", "cadastre", []map[string]any{parcel(10.5, "125"), parcel(10.5006, "126")}},
		{"zoning.geojson", "zoning", "zoning", []map[string]any{
			feature(box(10.49, 43.83, 10.5002, 43.85), map[string]any{"zone_code": "B1", "zone_class": "B", "description": "Zona B1", "norm_ref": "Art. 12", "plan": "PO"}),
			feature(box(10.5002, 43.83, 10.51, 43.85), map[string]any{"zone_code": "E1", "zone_class": "E", "description": "Zona E1", "norm_ref": "Art. 26", "plan": "PO"}),
		}},
		{"vincoli.geojson", "constraint", "constraints", []map[string]any{
			feature(box(10.49, 43.83, 10.51, 43.8402), map[string]any{"zone_code": "P3", "zone_class": "idraulico", "description": "Alluvione", "norm_ref": "PGRA", "plan": "PGRA"}),
		}},
		{"aree.geojson", "boundary", "zones", []map[string]any{
			feature(box(10.49, 43.83, 10.51, 43.85), map[string]any{"name": "Centro", "code": "C1"}),
		}},
	}
	var bb []map[string]any
	for i, snap := range []string{"2025-03-31", "2025-06-30"} {
		speed := []float64{20, 100}[i]
		bb = append(bb, feature(map[string]any{"type": "Point", "coordinates": []float64{10.5001, 43.8401}},
			map[string]any{"snapshot": snap, "technology": "FTTC", "max_down_mbps": speed, "address": "VIA A 1", "households": 2}))
	}
	files = append(files, struct {
		name, kind, role string
		feats            []map[string]any
	}{"copertura.geojson", "broadband", "coverage", bb})
	for _, f := range files {
		p := writeGeoJSON(t, dir, f.name, f.feats)
		layer := strings.TrimSuffix(f.name, ".geojson")
		if _, errOut, code := runSit(t, "--database-url", url, "import", p, "--layer", layer, "--kind", f.kind, "--role", f.role); code != 0 {
			t.Fatalf("import %s: %s", f.name, errOut)
		}
	}
}

func TestParcelAndReportCommands(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	loadReportData(t, url)
	pdf := filepath.Join(t.TempDir(), "r.pdf")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		check    func(t *testing.T, out, errOut string)
	}{
		{"parcel by reference", []string{"parcel", "foglio 37 particella 125"}, 0, func(t *testing.T, out, _ string) {
			if !strings.Contains(out, "E715_003700.125") || strings.Contains(out, "E715_003700.126") {
				t.Fatalf("%s", out)
			}
		}},
		{"parcel by another spelling, as GeoJSON", []string{"parcel", "F.37 p.126", "--json"}, 0, func(t *testing.T, out, _ string) {
			var fc struct {
				Features []struct {
					ID string `json:"id"`
				} `json:"features"`
			}
			if err := json.Unmarshal([]byte(out), &fc); err != nil || len(fc.Features) != 1 || fc.Features[0].ID != "E715_003700.126" {
				t.Fatalf("%v %s", err, out)
			}
		}},
		{"parcel at a point", []string{"parcel", "--at", "10.5003,43.8402"}, 0, func(t *testing.T, out, _ string) {
			if !strings.Contains(out, "E715_003700.125") {
				t.Fatalf("%s", out)
			}
		}},
		{"point on the road", []string{"parcel", "--at", "10.50055,43.8402"}, 1, func(t *testing.T, _, errOut string) {
			if !strings.Contains(errOut, "no parcel") || !strings.Contains(errOut, "nearest parcel") {
				t.Fatalf("%s", errOut)
			}
		}},
		{"parcel: query and --at", []string{"parcel", "37/125", "--at", "1,2"}, 1, nil},
		{"parcel: bad --at", []string{"parcel", "--at", "10.5"}, 1, func(t *testing.T, _, errOut string) {
			if !strings.Contains(errOut, "--at") {
				t.Fatalf("%s", errOut)
			}
		}},
		{"zoning report JSON", []string{"report", "zoning", "37/125"}, 0, func(t *testing.T, out, _ string) {
			var rep struct {
				Parcels []struct {
					Zoning []struct {
						ZoneCode string  `json:"zone_code"`
						Pct      float64 `json:"pct"`
					} `json:"zoning"`
					Constraints []struct{} `json:"constraints"`
				} `json:"parcels"`
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Parcels) != 1 || len(rep.Parcels[0].Zoning) != 2 || len(rep.Parcels[0].Constraints) != 1 {
				t.Fatalf("%v %s", err, out)
			}
			z := rep.Parcels[0].Zoning
			if s := z[0].Pct + z[1].Pct; s < 99.9 || s > 100.1 || z[0].ZoneCode != "E1" {
				t.Fatalf("zones %+v", z)
			}
		}},
		{"zoning report PDF to a file", []string{"report", "zoning", "E715_003700.125", "37/126", "--format", "pdf", "-o", pdf}, 0, func(t *testing.T, out, _ string) {
			b, err := os.ReadFile(pdf)
			if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) || bytes.Count(b, []byte("/Type /Page\n")) != 2 {
				t.Fatalf("%v: %d bytes, %d pages", err, len(b), bytes.Count(b, []byte("/Type /Page\n")))
			}
		}},
		{"zoning report HTML", []string{"report", "zoning", "37/125", "--format", "html"}, 0, func(t *testing.T, out, _ string) {
			if !strings.Contains(out, "<svg") || !strings.Contains(out, "Comune di Lucca") {
				t.Fatalf("%.300s", out)
			}
		}},
		{"zoning report: unknown parcel", []string{"report", "zoning", "37/999"}, 1, func(t *testing.T, _, errOut string) {
			if !strings.Contains(errOut, "PARCEL") {
				t.Fatalf("%s", errOut)
			}
		}},
		{"zoning report: bad format", []string{"report", "zoning", "37/125", "--format", "docx"}, 1, nil},
		{"broadband CSV with comparison", []string{"report", "broadband", "--zones", "aree", "--compare", "2025-03-31", "--format", "csv"}, 0, func(t *testing.T, out, _ string) {
			recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil || len(recs) != 4 || recs[1][1] != "Centro" || recs[1][4] != "1" || recs[1][len(recs[1])-1] != "improved" {
				t.Fatalf("%v %v", err, recs)
			}
		}},
		{"broadband: unknown layer", []string{"report", "broadband", "--zones", "nope"}, 1, func(t *testing.T, _, errOut string) {
			if !strings.Contains(errOut, "--zones") {
				t.Fatalf("%s", errOut)
			}
		}},
		{"broadband: bad date", []string{"report", "broadband", "--snapshot", "31/03/2025"}, 1, func(t *testing.T, _, errOut string) {
			if !strings.Contains(errOut, "--snapshot") {
				t.Fatalf("%s", errOut)
			}
		}},
		{"agcom without an AGCOM layer", []string{"report", "agcom"}, 1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runSit(t, append([]string{"--database-url", url}, tc.args...)...)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d: %s%s", code, tc.wantCode, out, errOut)
			}
			if tc.check != nil {
				tc.check(t, out, errOut)
			}
		})
	}
}
