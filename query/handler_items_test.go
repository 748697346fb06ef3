package query

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sit-gis/sit/access"
)

type fcDoc struct {
	Type     string `json:"type"`
	Features []struct {
		ID         any             `json:"id"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties map[string]any  `json:"properties"`
	} `json:"features"`
	NumberMatched  *int64 `json:"numberMatched"`
	NumberReturned int    `json:"numberReturned"`
	TimeStamp      string `json:"timeStamp"`
	Links          []Link `json:"links"`
}

func (d fcDoc) ids() []string {
	var out []string
	for _, f := range d.Features {
		out = append(out, fmt.Sprint(f.ID))
	}
	return out
}

func (d fcDoc) link(rel string) string {
	for _, l := range d.Links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

func decodeFC(t *testing.T, body []byte) fcDoc {
	t.Helper()
	var d fcDoc
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatalf("not JSON: %v\n%.500s", err, body)
	}
	if d.Type != "FeatureCollection" || d.NumberReturned != len(d.Features) || d.TimeStamp == "" {
		t.Fatalf("bad collection: type %q, numberReturned %d for %d features, timeStamp %q", d.Type, d.NumberReturned, len(d.Features), d.TimeStamp)
	}
	return d
}

func TestItems(t *testing.T) {
	f := newFixture(t, Options{MaxLimit: 1000})
	ctx := context.Background()
	// The first row of parcels in other CRSs, computed by PostGIS itself.
	var m3857, e3003 [4]float64
	env := "ST_MakeEnvelope(10.4895, 43.8299, 10.5101, 43.8305, 4326)"
	for srid, dst := range map[int]*[4]float64{3857: &m3857, 3003: &e3003} {
		if err := f.pool.QueryRow(ctx, fmt.Sprintf("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Transform(%s, %d)::box2d AS e) s", env, srid)).
			Scan(&dst[0], &dst[1], &dst[2], &dst[3]); err != nil {
			t.Fatal(err)
		}
	}
	row0 := []string{}
	for i := 1; i <= gridCols; i++ {
		row0 = append(row0, fmt.Sprint(i))
	}
	bboxQ := func(b [4]float64) string { return fmt.Sprintf("%f,%f,%f,%f", b[0], b[1], b[2], b[3]) }
	tests := []struct {
		name    string
		url     string
		ids     []string // exact ids, in order, when set
		count   int      // features on the page, when ids is nil
		matched int64    // -1: absent
		check   func(t *testing.T, d fcDoc, h http.Header)
	}{
		{name: "default page", url: "/collections/particelle/items", ids: []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}, matched: nParcels,
			check: func(t *testing.T, d fcDoc, h http.Header) {
				if n := d.link("next"); !strings.Contains(n, "after=10") || strings.Contains(n, "offset") {
					t.Errorf("next = %q, want a key-seek link after=10", n)
				}
				if d.link("prev") != "" || d.link("self") == "" || d.link("alternate") == "" {
					t.Errorf("links = %+v", d.Links)
				}
				if h.Get("Content-Crs") != "<"+CRS84.URI+">" {
					t.Errorf("Content-Crs = %q", h.Get("Content-Crs"))
				}
			}},
		{name: "offset near the end", url: "/collections/particelle/items?offset=295&limit=10", ids: []string{"296", "297", "298", "299", "300"}, matched: nParcels,
			check: func(t *testing.T, d fcDoc, h http.Header) {
				if d.link("next") != "" || !strings.Contains(d.link("prev"), "offset=285") {
					t.Errorf("links = %+v", d.Links)
				}
			}},
		{name: "key paging", url: "/collections/particelle/items?after=298&limit=5", ids: []string{"299", "300"}, matched: nParcels},
		{name: "reverse key paging", url: "/collections/particelle/items?before=4&limit=2", ids: []string{"2", "3"}, matched: nParcels,
			check: func(t *testing.T, d fcDoc, h http.Header) {
				if !strings.Contains(d.link("prev"), "before=2") || !strings.Contains(d.link("next"), "after=3") {
					t.Errorf("links = %+v", d.Links)
				}
			}},
		{name: "bbox CRS84", url: "/collections/particelle/items?limit=50&bbox=10.4895,43.8299,10.5101,43.8305", ids: row0, matched: gridCols},
		{name: "bbox EPSG:4326 is lat/lon", url: "/collections/particelle/items?limit=50&bbox=43.8299,10.4895,43.8305,10.5101&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326", ids: row0, matched: gridCols},
		{name: "bbox EPSG:3857", url: "/collections/particelle/items?limit=50&bbox-crs=EPSG:3857&bbox=" + bboxQ(m3857), ids: row0, matched: gridCols},
		{name: "bbox EPSG:3003", url: "/collections/particelle/items?limit=50&bbox-crs=EPSG:3003&bbox=" + bboxQ(e3003), ids: row0, matched: gridCols},
		{name: "bbox with 6 numbers", url: "/collections/particelle/items?limit=50&bbox=10.4895,43.8299,0,10.5101,43.8305,100", ids: row0, matched: gridCols},
		{name: "queryable parameter", url: "/collections/particelle/items?foglio=37", count: 10, matched: 30,
			check: func(t *testing.T, d fcDoc, h http.Header) {
				for _, ft := range d.Features {
					if ft.Properties["foglio"] != "37" {
						t.Errorf("feature %v has foglio %v", ft.ID, ft.Properties["foglio"])
					}
				}
				if !strings.Contains(d.link("next"), "foglio=37") {
					t.Errorf("next link lost the filter: %s", d.link("next"))
				}
			}},
		{name: "queryable repeated means any", url: "/collections/particelle/items?foglio=37&foglio=38&limit=100", count: 60, matched: 60},
		{name: "integer queryable", url: "/collections/particelle/items?n=3&limit=100", count: 43, matched: 43},
		{name: "cql2 text equality", url: "/collections/particelle/items?filter=particella = '125'", ids: []string{"26"}, matched: 1},
		{name: "cql2 casei", url: "/collections/particelle/items?limit=200&filter=CASEI(nome) = casei('VIA ROMA')", count: 120, matched: 120},
		{name: "cql2 accenti", url: "/collections/particelle/items?limit=200&filter=ACCENTI(nome) = 'Citta'", count: 60, matched: 60},
		{name: "cql2 like", url: "/collections/particelle/items?limit=200&filter=nome LIKE 'Via%25'", count: 60, matched: 60},
		{name: "cql2 between and in", url: "/collections/particelle/items?filter=h BETWEEN 1 AND 2 AND foglio IN ('34','35')", ids: []string{"5", "6"}, matched: 2},
		{name: "cql2 arithmetic", url: "/collections/particelle/items?filter=h * 4 %2B 1 = 11", ids: []string{"11"}, matched: 1},
		{name: "division by zero selects nothing", url: "/collections/particelle/items?filter=h / 0 > 1", count: 0, matched: 0},
		{name: "cql2 spatial point", url: "/collections/particelle/items?filter=S_INTERSECTS(geometry, POINT(10.4905 43.8305))", ids: []string{"1"}, matched: 1},
		{name: "cql2 spatial lat/lon filter-crs", url: "/collections/particelle/items?filter-crs=http://www.opengis.net/def/crs/EPSG/0/4326&filter=S_WITHIN(geometry, POLYGON((43.8299 10.4899, 43.8299 10.4911, 43.8311 10.4911, 43.8311 10.4899, 43.8299 10.4899)))", ids: []string{"1"}, matched: 1},
		{name: "cql2 json", url: `/collections/particelle/items?filter-lang=cql2-json&filter={"op":"and","args":[{"op":"=","args":[{"property":"foglio"},"30"]},{"op":"<","args":[{"property":"h"},10]}]}`, ids: []string{"1", "11", "21", "31"}, matched: 4},
		{name: "cql2 temporal", url: "/collections/copertura/items?limit=100&filter=T_AFTER(snapshot, DATE('2024-06-01'))", count: 20, matched: 20},
		{name: "cql2 temporal interval", url: "/collections/copertura/items?limit=100&filter=T_DURING(snapshot, INTERVAL('2024-01-01','2024-02-01'))", count: 20, matched: 20},
		{name: "datetime instant", url: "/collections/copertura/items?limit=100&datetime=2025-01-15", count: 20, matched: 20},
		{name: "datetime open interval", url: "/collections/copertura/items?limit=100&datetime=../2024-12-31", count: 20, matched: 20},
		{name: "datetime on a layer without time is ignored", url: "/collections/zone/items?limit=100&datetime=2020-01-01", count: 12, matched: 12},
		{name: "sortby descending", url: "/collections/particelle/items?limit=3&sortby=-h", ids: []string{"300", "299", "298"}, matched: nParcels,
			check: func(t *testing.T, d fcDoc, h http.Header) {
				if !strings.Contains(d.link("next"), "offset=3") {
					t.Errorf("sorted pages page by offset: next = %s", d.link("next"))
				}
			}},
		{name: "sortby two keys", url: "/collections/particelle/items?limit=2&sortby=nome,-particella", ids: []string{"296", "291"}, matched: nParcels},
		{name: "properties subset and skipGeometry", url: "/collections/particelle/items?limit=1&properties=foglio,nome&skipGeometry=true", ids: []string{"1"}, matched: nParcels,
			check: func(t *testing.T, d fcDoc, h http.Header) {
				if len(d.Features[0].Properties) != 2 || string(d.Features[0].Geometry) != "null" {
					t.Errorf("feature = %+v %s", d.Features[0].Properties, d.Features[0].Geometry)
				}
			}},
		{name: "limit clamped", url: "/collections/particelle/items?limit=5000", count: nParcels, matched: nParcels,
			check: func(t *testing.T, d fcDoc, h http.Header) {
				if h.Get(LimitClampedHeader) != "1000" {
					t.Errorf("%s = %q", LimitClampedHeader, h.Get(LimitClampedHeader))
				}
			}},
		{name: "crs EPSG:3003", url: "/collections/particelle/items?limit=1&crs=http://www.opengis.net/def/crs/EPSG/0/3003", ids: []string{"1"}, matched: nParcels,
			check: func(t *testing.T, d fcDoc, h http.Header) {
				var g struct{ Coordinates [][][][2]float64 }
				if err := json.Unmarshal(d.Features[0].Geometry, &g); err != nil {
					t.Fatal(err)
				}
				if strings.Contains(string(d.Features[0].Geometry), `"crs"`) {
					t.Errorf("geometry carries a crs member: %s", d.Features[0].Geometry)
				}
				x, y := g.Coordinates[0][0][0][0], g.Coordinates[0][0][0][1]
				if math.Abs(x-e3003[0]) > 100 || math.Abs(y-e3003[1]) > 100 || h.Get("Content-Crs") != "<http://www.opengis.net/def/crs/EPSG/0/3003>" {
					t.Errorf("first vertex %v,%v, want near %v,%v; Content-Crs %s", x, y, e3003[0], e3003[1], h.Get("Content-Crs"))
				}
			}},
		{name: "crs EPSG:6707 is northing first", url: "/collections/particelle/items?limit=1&crs=EPSG:6707", ids: []string{"1"}, matched: nParcels,
			check: func(t *testing.T, d fcDoc, h http.Header) {
				var g struct{ Coordinates [][][][2]float64 }
				_ = json.Unmarshal(d.Features[0].Geometry, &g)
				if n, e := g.Coordinates[0][0][0][0], g.Coordinates[0][0][0][1]; n < 4e6 || e > 1e6 {
					t.Errorf("first vertex %v,%v is not northing, easting", n, e)
				}
			}},
		{name: "text ids page by key", url: "/collections/zone/items?limit=2&after=Z-05", ids: []string{"Z-06", "Z-07"}, matched: 12},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := f.get(t, tc.url)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
			if ct := rec.Header().Get("Content-Type"); ct != mtGeoJSON {
				t.Errorf("Content-Type = %q", ct)
			}
			d := decodeFC(t, rec.Body.Bytes())
			if tc.ids != nil {
				if got := strings.Join(d.ids(), ","); got != strings.Join(tc.ids, ",") {
					t.Errorf("ids = %s, want %s", got, strings.Join(tc.ids, ","))
				}
			} else if len(d.Features) != tc.count {
				t.Errorf("%d features, want %d", len(d.Features), tc.count)
			}
			switch {
			case tc.matched < 0 && d.NumberMatched != nil:
				t.Errorf("numberMatched = %d, want none", *d.NumberMatched)
			case tc.matched >= 0 && (d.NumberMatched == nil || *d.NumberMatched != tc.matched):
				t.Errorf("numberMatched = %v, want %d", d.NumberMatched, tc.matched)
			}
			if tc.check != nil {
				tc.check(t, d, rec.Header())
			}
		})
	}
}

// TestPagingByNextLinks follows next links through the whole layer, as
// GDAL does, and checks that every feature comes exactly once, in order.
func TestPagingByNextLinks(t *testing.T) {
	f := newFixture(t, Options{})
	for _, start := range []string{"/collections/particelle/items?limit=70", "/collections/particelle/items?limit=70&offset=30",
		"/collections/particelle/items?limit=70&foglio=33"} {
		t.Run(start, func(t *testing.T) {
			next := start
			var ids []string
			for pages := 0; next != ""; pages++ {
				if pages > 20 {
					t.Fatal("too many pages")
				}
				u, err := url.Parse(next)
				if err != nil {
					t.Fatal(err)
				}
				rec := f.get(t, u.RequestURI())
				if rec.Code != http.StatusOK {
					t.Fatalf("%s: %d %s", next, rec.Code, rec.Body.String())
				}
				d := decodeFC(t, rec.Body.Bytes())
				ids = append(ids, d.ids()...)
				next = d.link("next")
			}
			want := 300
			first := 1
			switch {
			case strings.Contains(start, "offset=30"):
				want, first = 270, 31
			case strings.Contains(start, "foglio"):
				want, first = 30, 4
			}
			if len(ids) != want || ids[0] != fmt.Sprint(first) {
				t.Fatalf("got %d features from %s, want %d starting at %d", len(ids), ids[0], want, first)
			}
			seen := map[string]bool{}
			for _, id := range ids {
				if seen[id] {
					t.Fatalf("feature %s twice", id)
				}
				seen[id] = true
			}
		})
	}
}

func TestNumberMatchedEstimateAboveCap(t *testing.T) {
	f := newFixture(t, Options{})
	svc, err := New(access.NewCatalog(f.cat), PGData{Pool: f.pool}, Options{CountCap: 50}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := svc.Handler()
	tests := []struct {
		name, url string
		exact     int64 // -1: an estimate above the cap
	}{
		{"under the cap: exact", "/collections/particelle/items?foglio=31", 30},
		{"above the cap: planner estimate", "/collections/particelle/items?filter=h >= 0", -1},
		{"whole layer: catalog", "/collections/particelle/items", nParcels},
		{"last page: exact from the page", "/collections/particelle/items?filter=h >= 0&limit=1000", nParcels},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f2 := &fixture{h: h}
			rec := f2.get(t, tc.url)
			d := decodeFC(t, rec.Body.Bytes())
			if d.NumberMatched == nil {
				t.Fatal("no numberMatched")
			}
			if tc.exact >= 0 && *d.NumberMatched != tc.exact {
				t.Errorf("numberMatched = %d, want %d", *d.NumberMatched, tc.exact)
			}
			if tc.exact < 0 && *d.NumberMatched <= 50 {
				t.Errorf("numberMatched = %d, want an estimate above the cap of 50", *d.NumberMatched)
			}
		})
	}
}

func TestItemsGzipAndHTML(t *testing.T) {
	f := newFixture(t, Options{})
	rec := f.get(t, "/collections/particelle/items?limit=200", "Accept-Encoding", "gzip")
	if rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q", rec.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if d := decodeFC(t, body); len(d.Features) != 200 {
		t.Fatalf("%d features", len(d.Features))
	}
	tests := []struct {
		name, url, accept string
		want              []string
	}{
		{"items page", "/collections/particelle/items?limit=5", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
			[]string{"<svg", "<path d=\"M", "<table>", "Città", "successivi »", "/collections/particelle/items/1?f=html"}},
		{"item page", "/collections/particelle/items/7?f=html", "", []string{"<svg", "particella", "106"}},
		{"point layer", "/collections/copertura/items?f=html", "", []string{"<circle"}},
		{"landing", "/?f=html", "", []string{"/map/", "/api.html", "Definizione dell&#39;API"}},
		{"collections", "/collections?f=html", "", []string{"Particelle", "/collections/zone?f=html"}},
		{"collection", "/collections/particelle?f=html", "", []string{"Proprietà filtrabili", "foglio"}},
		{"queryables", "/collections/particelle/queryables?f=html", "", []string{"geometry-multipolygon"}},
		{"api", "/api.html", "", []string{"GET /collections/particelle/items", "foglio", "filter-lang"}},
		{"conformance", "/conformance?f=html", "", []string{"ogcapi-features-3/1.0/conf/filter"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rec = f.get(t, tc.url)
			if tc.accept != "" {
				rec = f.get(t, tc.url, "Accept", tc.accept)
			}
			if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
				t.Fatalf("%d %s: %.300s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
			}
			body := rec.Body.String()
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if strings.Contains(body, "<script") || strings.Contains(body, "cdn") {
				t.Error("page loads scripts or a CDN")
			}
		})
	}
}
