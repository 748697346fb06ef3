package main

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/dbtest"
)

// pianoSQL is an office's own cadastre (EPSG:6707) and zoning plan
// (Gauss-Boaga, EPSG:3003), with the kinds' canonical columns, as a DBA
// keeps them: five parcels of foglio 37 and two zones splitting them.
const pianoSQL = `
CREATE SCHEMA piano;
CREATE TABLE piano.particelle (gid serial PRIMARY KEY, comune text, sezione text, foglio text, particella text,
	allegato text, sviluppo text, ref text, area_m2 float8, geom geometry(MultiPolygon, 6707));
INSERT INTO piano.particelle (comune, foglio, particella, ref, area_m2, geom) SELECT 'E715', '37', i::text, '37/' || i, 7000,
	ST_Multi(ST_Transform(ST_MakeEnvelope(10.52 + i * 0.001, 43.85, 10.5209 + i * 0.001, 43.8509, 4326), 6707)) FROM generate_series(1, 5) i;
CREATE TABLE piano.zone_prg (id serial PRIMARY KEY, zone_code text, zone_class text, description text, norm_ref text, plan text,
	geom geometry(MultiPolygon, 3003));
INSERT INTO piano.zone_prg (zone_code, zone_class, description, norm_ref, plan, geom) VALUES
	('B1', 'B', 'Residenziale di completamento', 'art. 12', 'PO 2020', ST_Multi(ST_Transform(ST_MakeEnvelope(10.520, 43.849, 10.5235, 43.852, 4326), 3003))),
	('E2', 'E', 'Agricola', 'art. 30', 'PO 2020', ST_Multi(ST_Transform(ST_MakeEnvelope(10.5235, 43.849, 10.527, 43.852, 4326), 3003)));
CREATE TABLE piano.vincoli (id serial PRIMARY KEY, zone_code text, zone_class text, description text, norm_ref text, plan text,
	geom geometry(MultiPolygon, 3857));
INSERT INTO piano.vincoli (zone_code, description, norm_ref, plan, geom) VALUES ('V1', 'Vincolo paesaggistico', 'D.Lgs. 42/2004', 'PIT',
	ST_Multi(ST_Transform(ST_MakeEnvelope(10.5209, 43.849, 10.5216, 43.852, 4326), 3857)));
-- A draft of the cadastre without a key, also published as the cadastre:
-- it cannot be (no parcel URL), so the keyed one stays the cadastre.
CREATE TABLE piano.catasto_bozza (comune text, sezione text, foglio text, particella text, allegato text, sviluppo text, ref text,
	area_m2 float8, geom geometry(MultiPolygon, 6707));
INSERT INTO piano.catasto_bozza SELECT comune, sezione, foglio, particella, allegato, sviluppo, ref, area_m2, geom FROM piano.particelle;
-- A variant in progress, drawn in QGIS without a key: two overlapping
-- zones over parcel 37/2.
CREATE TABLE piano.variante (zone_code text, zone_class text, description text, geom geometry(MultiPolygon, 3003));
INSERT INTO piano.variante VALUES
	('C3', 'C', 'Espansione', ST_Multi(ST_Transform(ST_MakeEnvelope(10.522, 43.849, 10.5224, 43.852, 4326), 3003))),
	('F1', 'F', 'Servizi', ST_Multi(ST_Transform(ST_MakeEnvelope(10.5224, 43.849, 10.5229, 43.852, 4326), 3003)));
ANALYZE;
`

// TestPublishedPlaysRoles: published tables playing the cadastre and the
// zoning roles feed search, suggestions and the zoning report as imported
// layers do, and the viewer's catalog, style and TileJSON list them.
func TestPublishedPlaysRoles(t *testing.T) {
	t.Parallel()
	roles := dbtest.Roles(t)
	execSQL(t, roles.Owner, pianoSQL)
	for _, args := range [][]string{
		{"piano.particelle", "--kind", "cadastral", "--role", "cadastre"},
		{"piano.zone_prg", "--kind", "zoning", "--role", "zoning"},
		{"piano.vincoli", "--kind", "constraint", "--role", "constraints"},
		{"piano.variante", "--kind", "zoning", "--role", "zoning"},
		{"piano.catasto_bozza", "--kind", "cadastral", "--role", "cadastre"},
	} {
		if out, errOut, code := runSit(t, append(append([]string{"publish"}, args...), "--database-url", roles.Owner)...); code != 0 {
			t.Fatalf("sit publish %v: %s %s", args, out, errOut)
		}
	}
	if line := lineOf(publishedList(t, roles.Owner), "piano.catasto_bozza "); !strings.Contains(line, "does not play the role cadastre without a key") {
		t.Errorf("the keyless draft of the cadastre: %q", line)
	}
	s := startServe(t, roles.Reader)
	lookups := []struct {
		name, path string
		want       []string
	}{
		{"search", "/parcels/search?q=" + url.QueryEscape("foglio 37 particella 3"), []string{`"particella":"3"`, `"foglio":"37"`}},
		{"suggest", "/parcels/suggest?q=37/", []string{"Foglio 37 particella 1", "Foglio 37 particella 5"}},
		{"at a point", "/parcels/at?lon=10.5214&lat=43.8504", []string{`"particella":"1"`, `"layer":"piano.particelle"`}},
		{"zoning report, one zone", "/reports/zoning?parcel=37/1&f=json", []string{`"B1"`, "Residenziale di completamento", "art. 12",
			`"V1"`, "Vincolo paesaggistico", `"constrained_m2":`}},
		{"zoning report, the other", "/reports/zoning?parcel=37/5&f=json", []string{`"E2"`, "Agricola"}},
		// The HTML report draws the map: neighbours and zones read around the parcel.
		{"zoning report with its map", "/reports/zoning?parcel=37/3&f=html", []string{"B1", "<svg", `stroke="#777"`, `stroke-opacity=".6"`}},
	}
	for _, tc := range lookups {
		t.Run(tc.name, func(t *testing.T) {
			code, _, body := get(t, s.base+tc.path)
			if code != 200 {
				t.Fatalf("%d %.400s\n%s", code, body, s.logs)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("lacks %s: %.600s", w, body)
				}
			}
			if strings.Contains(tc.path, "37/1&f=json") && (strings.Contains(string(body), `"E2"`) || strings.Contains(string(body), `"constrained_m2":0,`)) {
				t.Errorf("parcel 37/1 is in zone B1 only, and partly under V1: %.900s", body)
			}
		})
	}
	t.Run("a zoning table without a key", func(t *testing.T) { testKeylessZoning(t, s.base) })
	t.Run("viewer", func(t *testing.T) { testPublishedInViewer(t, s.base, "piano.particelle", "piano.zone_prg") })
}

// testPublishedInViewer reads what the viewer reads (the catalog /layers,
// /styles/default.json and each layer's TileJSON): the published layers
// are there with their kinds and drawn from their tiles.
func testPublishedInViewer(t *testing.T, base string, names ...string) {
	var cat struct {
		Layers []struct {
			Name  string   `json:"name"`
			Kind  string   `json:"kind"`
			Roles []string `json:"roles"`
		} `json:"layers"`
	}
	getJSON(t, base+"/layers", &cat)
	kinds := map[string]string{}
	for _, l := range cat.Layers {
		kinds[l.Name] = l.Kind
	}
	if kinds["piano.particelle"] != "cadastral" || kinds["piano.zone_prg"] != "zoning" {
		t.Errorf("the catalog: %+v", cat.Layers)
	}
	var style struct {
		Sources map[string]json.RawMessage `json:"sources"`
		Layers  []struct {
			ID          string `json:"id"`
			Source      string `json:"source"`
			SourceLayer string `json:"source-layer"`
		} `json:"layers"`
	}
	getJSON(t, base+"/styles/default.json", &style)
	for _, n := range names {
		drawn := ""
		for _, l := range style.Layers {
			if l.SourceLayer == n {
				drawn = l.Source
			}
		}
		if drawn == "" {
			t.Errorf("the style draws no layer from %s", n)
			continue
		}
		if src := string(style.Sources[drawn]); !strings.Contains(src, "tiles") {
			t.Errorf("%s's source %s: %s", n, drawn, src)
		}
		var tj struct {
			Tiles        []string `json:"tiles"`
			VectorLayers []struct {
				ID string `json:"id"`
			} `json:"vector_layers"`
		}
		getJSON(t, base+"/tiles/"+url.PathEscape(n)+".json", &tj)
		if len(tj.Tiles) != 1 || len(tj.VectorLayers) != 1 || tj.VectorLayers[0].ID != n {
			t.Errorf("%s TileJSON: %+v", n, tj)
			continue
		}
		tile := strings.NewReplacer("{z}", "15", "{x}", "", "{y}", "").Replace(tj.Tiles[0])
		if !strings.Contains(tile, url.PathEscape(n)) {
			t.Errorf("%s TileJSON tiles: %s", n, tj.Tiles[0])
		}
		if code, _, body := get(t, base+"/tiles/"+url.PathEscape(n)+"/"+tileAt(10.522, 43.8505, 15)+".mvt"); code != 200 || len(body) < 20 {
			t.Errorf("%s tile: %d, %d bytes", n, code, len(body))
		}
	}
}

// testKeylessZoning: the zones of a published table without a key are in
// the zoning report without a fid (never null), in JSON, HTML and PDF,
// beside the keyed layer's zones with theirs, in a stable order.
func testKeylessZoning(t *testing.T, base string) {
	var rep struct {
		Parcels []struct {
			Zoning []map[string]any `json:"zoning"`
		} `json:"parcels"`
	}
	getJSON(t, base+"/reports/zoning?parcel=37/2&f=json", &rep)
	if len(rep.Parcels) != 1 {
		t.Fatalf("the report of 37/2: %+v", rep)
	}
	seen := map[string]bool{}
	for _, pc := range rep.Parcels[0].Zoning {
		fid, has := pc["fid"]
		code, _ := pc["zone_code"].(string)
		seen[code] = true
		switch pc["layer"] {
		case "piano.variante":
			if has {
				t.Errorf("a zone of the keyless table has fid %v: %v", fid, pc)
			}
		case "piano.zone_prg":
			if _, ok := fid.(float64); !ok {
				t.Errorf("a zone of the keyed table without its numeric fid: %v", pc)
			}
		}
	}
	if !seen["C3"] || !seen["F1"] || !seen["B1"] {
		t.Fatalf("the report of 37/2 lacks zones: %+v", rep.Parcels[0].Zoning)
	}
	_, _, first := get(t, base+"/reports/zoning?parcel=37/2&f=json")
	if strings.Contains(string(first), `"fid":null`) {
		t.Errorf("a null fid: %.600s", first)
	}
	_, _, again := get(t, base+"/reports/zoning?parcel=37/2&f=json")
	if strip := func(b []byte) string { return regexpGenerated.ReplaceAllString(string(b), "") }; strip(first) != strip(again) {
		t.Errorf("two reports of the same data differ:\n%s\n%s", first, again)
	}
	code, _, html := get(t, base+"/reports/zoning?parcel=37/2&f=html")
	if code != 200 || !strings.Contains(string(html), "C3") || !strings.Contains(string(html), "Espansione") || strings.Contains(string(html), "<nil>") {
		t.Errorf("HTML report: %d %.600s", code, html)
	}
	code, _, pdf := get(t, base+"/reports/zoning?parcel=37/2&f=pdf")
	if code != 200 || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Fatalf("PDF report: %d %.100s", code, pdf)
	}
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext (poppler-utils) is needed under CI")
		}
		return
	}
	cmd := exec.Command(bin, "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if text := string(out); err != nil || !strings.Contains(text, "C3") || !strings.Contains(text, "Espansione") || strings.Contains(text, "<nil>") {
		t.Errorf("PDF text (%v): %.800s", err, text)
	}
}

// regexpGenerated is the time a report was made, which differs between
// two reports of the same data.
var regexpGenerated = regexp.MustCompile(`"generated_at":"[^"]*"`)
