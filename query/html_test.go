package query

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/l10n"
)

// The HTML pages speak Italian by default, English when asked (?lang=,
// Accept-Language), keep an explicit choice in their links and say so to
// caches; a language they do not speak is a 400 naming lang.
func TestHTMLLanguage(t *testing.T) {
	f := newFixture(t, Options{Viewer: "/map/", ReportPath: "/reports/zoning"})
	tests := []struct {
		name, target, acceptLanguage string
		status                       int
		want, not                    []string
	}{
		{"italian by default", "/?f=html", "", 200, []string{`<html lang="it">`, "Dati territoriali", "Apri la mappa", `href="?f=html&amp;lang=en"`}, []string{"lang=it"}},
		{"english browser", "/?f=html", "en-GB,en;q=0.9", 200, []string{`<html lang="en">`, "Territorial data", `href="?f=html&amp;lang=it"`}, []string{"Dati territoriali"}},
		{"italian browser", "/collections?f=html", "it-IT,it;q=0.9,en;q=0.8", 200, []string{`<html lang="it">`, "Collezione"}, nil},
		{"lang wins over the header", "/collections?f=html&lang=en", "it-IT", 200, []string{`<html lang="en">`, "Collection",
			// An explicit choice stays in the pages' links.
			`href="http://example.com/collections/particelle?f=html&amp;lang=en"`, `href="http://example.com/map/?lang=en"`}, nil},
		{"item in english", "/collections/particelle/items/7?f=html&lang=en", "", 200, []string{"Zoning report", "Open on the map", "7,238.94 m²", "1.5"}, []string{"7.238,94"}},
		{"item in italian", "/collections/particelle/items/7?f=html", "", 200, []string{"Report urbanistico", "Apri sulla mappa", "7.238,94 m²", "<td>1,5</td>"}, []string{"7238.94016"}},
		{"items in english", "/collections/particelle/items?f=html&lang=en&limit=3", "", 200, []string{"3 features on this page of 300", "next »",
			// The next page keeps the language (once).
			"lang=en&amp;limit=3"}, nil},
		{"queryables", "/collections/particelle/queryables?f=html&lang=en", "", 200, []string{"Queryables — Particelle"}, nil},
		{"api page", "/api.html?lang=en", "", 200, []string{"machine-readable"}, nil},
		{"conformance", "/conformance?f=html", "en", 200, []string{"conformance classes of the OGC"}, nil},
		{"unknown language", "/?f=html&lang=de", "", 400, []string{`"parameter":"lang"`, "use it or en"}, nil},
		{"unknown language, JSON", "/collections?lang=fr", "", 400, []string{`"parameter":"lang"`}, nil},
		{"unknown language, items", "/collections/particelle/items?lang=xx", "", 400, []string{`"parameter":"lang"`}, nil},
		{"unknown language, api page", "/api.html?lang=xx", "", 400, []string{`"parameter":"lang"`}, nil},
		{"lang given twice", "/?f=html&lang=en&lang=it", "", 400, []string{`"parameter":"lang"`}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var h []string
			if tc.acceptLanguage != "" {
				h = []string{"Accept-Language", tc.acceptLanguage}
			}
			rec := f.get(t, tc.target, h...)
			body := rec.Body.String()
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %.400s", rec.Code, tc.status, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(body, w) {
					t.Errorf("page has %q", w)
				}
			}
			if tc.status == 200 && !strings.Contains(rec.Header().Get("Vary"), "Accept-Language") {
				t.Errorf("Vary = %q", rec.Header().Get("Vary"))
			}
		})
	}
}

// A feature's page names it as people do, rounds its numbers with their
// units, links to its report and to the viewer at it, and draws it with a
// scale bar; the JSON is what it was.
func TestHTMLFeaturePage(t *testing.T) {
	f := newFixture(t, Options{Viewer: "/map/", ReportPath: "/reports/zoning"})
	var feat struct {
		Properties map[string]any `json:"properties"`
	}
	plain := f.get(t, "/collections/particelle/items/7")
	if err := json.Unmarshal(plain.Body.Bytes(), &feat); err != nil {
		t.Fatal(err)
	}
	area := feat.Properties["area_m2"].(float64)
	if withLang := f.get(t, "/collections/particelle/items/7?lang=en"); withLang.Body.String() != plain.Body.String() {
		t.Errorf("the JSON changes with lang:\n%s\n%s", plain.Body, withLang.Body)
	}
	tests := []struct {
		name, target string
		want, not    []string
	}{
		{"parcel", "/collections/particelle/items/7?f=html", []string{
			"<h1>Foglio 36 particella 106</h1>", "<title>Foglio 36 particella 106 — SIT</title>",
			"<td>" + l10n.It.Number(area, 2) + " m²</td>",
			`href="http://example.com/reports/zoning?parcel=36%2F106&amp;f=html"`,
			`href="http://example.com/reports/zoning?parcel=36%2F106&amp;f=pdf"`,
			`href="http://example.com/map/#parcel=36%2F106"`,
			`class="scale"`, `<script type="module" src="http://example.com/map/page-map.js">`,
			`data-features="http://example.com/collections/particelle/items/7?f=json"`,
			`data-style-url="http://example.com/styles/default.json"`, `data-config-url="http://example.com/map/config.json"`,
		}, []string{"ZgotmplZ", "particelle 7<"}},
		// Not the cadastre: no report, the viewer framed on the zone.
		{"zone", "/collections/zone/items/Z-03?f=html", []string{"<h1>B0</h1>", `href="http://example.com/map/#map=`}, []string{"/reports/zoning"}},
		{"address point", "/collections/copertura/items/4?f=html", []string{"<h1>Via 3</h1>", "1.000 Mbit/s", "#map=18/"}, nil},
		{"items", "/collections/particelle/items?f=html&limit=2", []string{">Foglio 30 particella 100</a>", l10n.It.Number(area, 2)[:1]}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := f.get(t, tc.target)
			body := rec.Body.String()
			if rec.Code != 200 {
				t.Fatalf("%d %.300s", rec.Code, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(body, w) {
					t.Errorf("page has %q", w)
				}
			}
			// No number with more than 6 decimals is shown to people.
			if m := regexp.MustCompile(`<td>[^<]*\d[.,]\d{7,}`).FindString(body); m != "" {
				t.Errorf("unrounded number: %s", m)
			}
		})
	}
}

// The landing page lists each target once (the JSON keeps both relations
// of conformance and data, as OGC API asks), leads with the map and lists
// the collections with their counts.
func TestHTMLLandingOnce(t *testing.T) {
	f := newFixture(t, Options{Viewer: "/map/", LandingLinks: []Link{{Href: "/map/", Rel: "alternate", Type: mtHTML, Title: "Map viewer"}}})
	body := f.get(t, "/?f=html").Body.String()
	for href, want := range map[string]int{
		`href="http://example.com/conformance"`: 1, `href="http://example.com/collections"`: 1, `href="http://example.com/api"`: 1,
		`href="http://example.com/api.html"`: 2, // the header and the list
		`href="http://example.com/map/"`:     2, // the header and the first action
	} {
		if got := strings.Count(body, href); got != want {
			t.Errorf("%s %d times, want %d", href, got, want)
		}
	}
	for _, w := range []string{">300</a>", ">Particelle</a>", "Catasto", "Apri la mappa"} {
		if !strings.Contains(body, w) {
			t.Errorf("landing page lacks %q", w)
		}
	}
	var doc Landing
	if err := json.Unmarshal(f.get(t, "/").Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	rels := map[string]bool{}
	for _, l := range doc.Links {
		rels[l.Rel] = true
	}
	if !rels["conformance"] || !rels["http://www.opengis.net/def/rel/ogc/1.0/conformance"] || !rels["data"] {
		t.Errorf("the JSON lost a relation: %v", rels)
	}
}

// Every key the templates use has both languages.
func TestPageTextsComplete(t *testing.T) {
	src, err := os.ReadFile("templates/pages.html")
	if err != nil {
		t.Fatal(err)
	}
	texts, err := pageTexts()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`\.Tf? "([a-zA-Z.]+)"`).FindAllStringSubmatch(string(src), -1) {
		if v, ok := texts[m[1]]; !ok || v[0] == "" || v[1] == "" {
			t.Errorf("text %q is missing", m[1])
		}
	}
	for _, k := range []string{"cadastral", "zoning", "constraint", "broadband", "boundary", "address", "generic"} {
		if _, ok := texts["kind."+k]; !ok {
			t.Errorf("no text for kind %s", k)
		}
	}
}
