package query

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestHostileRequests sends malformed and hostile requests: each must get a
// 4xx problem naming the parameter (or, for a well-formed value that only
// looks like an attack, an honest empty result), never a 5xx, never the
// text of an SQL error.
func TestHostileRequests(t *testing.T) {
	f := newFixture(t, Options{MaxLimit: 1000})
	items := "/collections/particelle/items?"
	long := strings.Repeat("a", 70000)
	deep := strings.Repeat("(", 500) + "n=1" + strings.Repeat(")", 500)
	tests := []struct {
		name, target string
		status       int    // 0: any 4xx
		param        string // the parameter the problem must name
	}{
		{"sql in bbox", items + "bbox=1,2,3,4);DROP TABLE sit.layers;--", 400, "bbox"},
		{"bbox with 3 numbers", items + "bbox=1,2,3", 400, "bbox"},
		{"bbox inverted", items + "bbox=11,44,10,43", 400, "bbox"},
		{"bbox NaN", items + "bbox=NaN,1,2,3", 400, "bbox"},
		{"bbox infinite", items + "bbox=-Inf,1,2,3", 400, "bbox"},
		{"bbox huge", items + "bbox=-1e308,-1e308,1e308,1e308&bbox-crs=EPSG:3003", 0, ""},
		{"bbox outside the projection", items + "bbox=-9e7,-9e7,9e7,9e7&bbox-crs=EPSG:3003", 400, "bbox"},
		{"filter literal outside the projection", items + "filter-crs=EPSG:25832&filter=S_INTERSECTS(geometry,POINT(1e300 1e300))", 400, "filter"},
		{"bbox latitudes out of range", items + "bbox=10,-100,11,44", 400, "bbox"},
		{"bbox-crs unknown", items + "bbox=1,2,3,4&bbox-crs=EPSG:9999", 400, "bbox-crs"},
		{"bbox-crs injection", items + "bbox=1,2,3,4&bbox-crs=4326);DROP TABLE x;--", 400, "bbox-crs"},
		{"bbox-crs without bbox", items + "bbox-crs=EPSG:3857", 400, "bbox-crs"},
		{"crs unknown", items + "crs=EPSG:4326'--", 400, "crs"},
		{"limit negative", items + "limit=-1", 400, "limit"},
		{"limit zero", items + "limit=0", 400, "limit"},
		{"limit text", items + "limit=ten", 400, "limit"},
		{"limit injection", items + "limit=10;DELETE FROM x", 400, "limit"},
		{"limit twice", items + "limit=1&limit=2", 400, "limit"},
		{"offset negative", items + "offset=-5", 400, "offset"},
		{"offset absurd", items + "offset=99999999999999999999999", 400, "offset"},
		{"after injection", items + "after=1 OR 1=1", 400, "after"},
		{"before and after", items + "after=1&before=5", 400, "before"},
		{"datetime garbage", items + "datetime=yesterday", 400, "datetime"},
		{"datetime reversed", items + "datetime=2025-01-01/2024-01-01", 400, "datetime"},
		{"datetime open instant", items + "datetime=..", 400, "datetime"},
		{"properties unknown", items + "properties=foglio,password", 400, "properties"},
		{"properties injection", items + "properties=foglio\"),(select 1", 400, "properties"},
		{"sortby unknown", items + "sortby=-secret", 400, "sortby"},
		{"sortby injection", items + "sortby=foglio;DROP TABLE x", 400, "sortby"},
		{"sortby injection in direction", items + "sortby=foglio:DESC;--", 400, "sortby"},
		{"skipGeometry not boolean", items + "skipGeometry=maybe", 400, "skipGeometry"},
		{"unknown parameter", items + "password=x", 400, "password"},
		{"queryable wrong type", items + "n=1;DROP", 400, "n"},
		{"queryable very long", items + "foglio=" + long[:5000], 400, "foglio"},
		{"filter-lang unknown", items + "filter=n=1&filter-lang=sql", 400, "filter-lang"},
		{"filter-lang without filter", items + "filter-lang=cql2-json", 400, "filter-lang"},
		{"filter-crs unknown", items + "filter=n=1&filter-crs=EPSG:1", 400, "filter-crs"},
		{"filter broken", items + "filter=foglio = ", 400, "filter"},
		{"filter raw sql", items + "filter=1=1; DROP TABLE sit.layers", 400, "filter"},
		{"filter sql comment", items + "filter=foglio = '1' -- comment", 400, "filter"},
		{"filter unknown property", items + "filter=pg_sleep(10) = 1", 400, "filter"},
		{"filter quoted injection", items + "filter=\"foglio\\\"; DROP TABLE x; --\" = 1", 400, "filter"},
		{"filter subquery", items + "filter=foglio IN (SELECT name FROM sit.layers)", 400, "filter"},
		{"filter too long", items + "filter=foglio='" + long + "'", 400, "filter"},
		{"filter too deep", items + "filter=" + deep, 400, "filter"},
		{"filter json broken", items + "filter-lang=cql2-json&filter={\"op\":", 400, "filter"},
		{"filter json unknown op", items + "filter-lang=cql2-json&filter={\"op\":\"pg_sleep\",\"args\":[10]}", 400, "filter"},
		{"filter overflow at run time", items + "filter=h ^ 1000 > 1", 400, "filter"},
		{"filter bad geometry", items + "filter=S_INTERSECTS(geometry, POLYGON((0 0, 1 1)))", 400, "filter"},
		{"filter date out of range", items + "filter=T_AFTER(snapshot, DATE('99999-01-01'))", 400, "filter"},
		{"filter invalid utf-8", items + "filter=foglio='%ff%fe'", 0, ""},
		{"f unknown", items + "f=xml", 400, "f"},
		{"unknown collection", "/collections/sit.layers/items", 404, "collectionId"},
		{"collection injection", "/collections/particelle%22%3B%20DROP%20TABLE%20x%3B--/items", 404, "collectionId"},
		{"feature injection", "/collections/particelle/items/1%20OR%201=1", 404, "featureId"},
		{"text feature id injection", "/collections/zone/items/Z-01'%20OR%20'1'='1", 404, "featureId"},
		{"feature absurd number", "/collections/particelle/items/99999999999999999999999999", 404, "featureId"},
		{"queryables of unknown", "/collections/nope/queryables", 404, "collectionId"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "http://example.com/", nil)
			req.URL.Path, req.URL.RawQuery, _ = strings.Cut(tc.target, "?")
			req.URL.RawPath = ""
			if p, _, _ := strings.Cut(tc.target, "?"); strings.Contains(p, "%") {
				req.URL.RawPath = p
				req.URL.Path = unescapePath(t, p)
			}
			req.URL.RawQuery = escapeLoose(req.URL.RawQuery)
			rec := httptest.NewRecorder()
			f.h.ServeHTTP(rec, req)
			body := rec.Body.String()
			if rec.Code >= 500 || rec.Code < 400 || (tc.status != 0 && rec.Code != tc.status) {
				t.Fatalf("status %d (want %d): %.300s", rec.Code, tc.status, body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q", ct)
			}
			for _, leak := range []string{"SQLSTATE", "syntax error", "ERROR:", "pq:", "pgx", "sit_data", "relation "} {
				if strings.Contains(body, leak) {
					t.Errorf("response leaks %q: %s", leak, body)
				}
			}
			var p struct {
				Status    int    `json:"status"`
				Detail    string `json:"detail"`
				Parameter string `json:"parameter"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Status != rec.Code || p.Detail == "" {
				t.Fatalf("not a problem: %v %.300s", err, body)
			}
			if tc.param != "" && p.Parameter != tc.param && !strings.Contains(p.Detail, tc.param) {
				t.Errorf("problem names %q, want %q: %s", p.Parameter, tc.param, p.Detail)
			}
		})
	}
	// Values that only look like attacks are values: no match, no harm.
	for _, target := range []string{items + "foglio=37' OR '1'='1", items + "filter=foglio = '1'' OR ''1''=''1'", items + "nome=%27%3B%20DROP%20TABLE%20sit.layers%3B--"} {
		rec := f.get(t, target)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"numberReturned":0`) {
			t.Errorf("%s: %d %.200s", target, rec.Code, rec.Body.String())
		}
	}
	if rec := f.get(t, "/collections/particelle/items?limit=1"); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"numberMatched":300`) {
		t.Fatalf("the layer was harmed: %d %.200s", rec.Code, rec.Body.String())
	}
}

func unescapePath(t *testing.T, p string) string {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "http://example.com"+p, nil)
	return r.URL.Path
}

// escapeLoose encodes what a client would (spaces, quotes, braces) and
// keeps the rest, including deliberate %-escapes.
func escapeLoose(q string) string {
	r := strings.NewReplacer(" ", "%20", "'", "%27", "\"", "%22", "{", "%7B", "}", "%7D", "^", "%5E", "<", "%3C", ">", "%3E", "\\", "%5C", ";", "%3B", "+", "%2B")
	return r.Replace(q)
}
