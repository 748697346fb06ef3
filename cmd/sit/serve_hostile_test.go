package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// route is one GET route of the server with a valid request: its path
// (path parameters filled in), its valid query, which query parameters and
// path parameters the corpus attacks, and which of them select features
// (a hostile value there must never come back as the whole layer).
type route struct {
	path      string
	pathVals  map[string]string // {name} → valid value
	query     [][2]string
	attack    []string // query parameters to attack
	pathParam []string // path parameters to attack
	filters   map[string]bool
	many      map[string]bool // parameters that may repeat
	anyParams bool            // the viewer page: any parameter is the app's state
	point     map[string]bool // parameters that make one point: "nothing there" names either
	layer     string          // for items: the layer whose count "unfiltered" means
}

func (r route) target(pathVals map[string]string, query string) string {
	p := r.path
	for k, v := range pathVals {
		p = strings.ReplaceAll(p, "{"+k+"}", v)
	}
	if query != "" {
		return p + "?" + query
	}
	return p
}

func encodeQuery(q [][2]string) string {
	var parts []string
	for _, kv := range q {
		parts = append(parts, url.QueryEscape(kv[0])+"="+url.QueryEscape(kv[1]))
	}
	return strings.Join(parts, "&")
}

// routesOf lists every GET route with valid requests on the demo data.
func routesOf(t *testing.T, base string, c catalogInfo) []route {
	t.Helper()
	p, z, bb, zones := c.byKind["cadastral"], c.byKind["zoning"], c.byKind["broadband"], c.byKind["boundary"]
	var first struct {
		Features []struct {
			ID         any            `json:"id"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	getJSON(t, base+"/collections/"+p+"/items?limit=1", &first)
	if len(first.Features) != 1 {
		t.Fatal("no parcel")
	}
	fid := fmt.Sprint(first.Features[0].ID)
	foglio, particella := fmt.Sprint(first.Features[0].Properties["foglio"]), fmt.Sprint(first.Features[0].Properties["particella"])
	ref := foglio + "/" + particella
	doc := []string{"f", "lang"}
	cid := map[string]string{"collectionId": p}
	tile := map[string]string{"layers": p, "z": "16", "x": "34676", "y": "23861"}
	ogc := map[string]string{"collectionId": p, "tileMatrixSetId": "WebMercatorQuad", "tileMatrix": "16", "tileRow": "23861", "tileCol": "34676"}
	items := []string{"limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "properties", "skipGeometry", "sortby", "filter", "filter-lang", "filter-crs", "after", "foglio", "lang"}
	return []route{
		{path: "/", query: [][2]string{{"f", "json"}}, attack: doc},
		{path: "/conformance", attack: doc},
		{path: "/api", attack: doc},
		{path: "/api.html", attack: doc},
		{path: "/collections", attack: doc},
		{path: "/collections/{collectionId}", pathVals: cid, attack: doc, pathParam: []string{"collectionId"}},
		{path: "/collections/{collectionId}/queryables", pathVals: cid, attack: doc, pathParam: []string{"collectionId"}},
		{path: "/collections/{collectionId}/items", pathVals: cid, query: [][2]string{{"limit", "5"}, {"bbox", "10.3,43.7,10.7,44.0"}},
			attack: items, pathParam: []string{"collectionId"}, layer: p,
			filters: map[string]bool{"bbox": true, "datetime": true, "filter": true, "foglio": true}, many: map[string]bool{"foglio": true}},
		{path: "/collections/{collectionId}/items", pathVals: map[string]string{"collectionId": bb}, query: [][2]string{{"datetime", "2025-01-01/.."}},
			attack: []string{"datetime"}, layer: bb, filters: map[string]bool{"datetime": true}},
		{path: "/collections/{collectionId}/items/{featureId}", pathVals: map[string]string{"collectionId": p, "featureId": fid}, attack: []string{"f", "crs", "lang"}, pathParam: []string{"featureId"}},
		{path: "/tiles/{layers}/{z}/{x}/{y}.mvt", pathVals: tile, attack: []string{"v"}, pathParam: []string{"layers", "z", "x", "y"}},
		{path: "/tiles/{layers}.json", pathVals: map[string]string{"layers": p + "," + z}, pathParam: []string{"layers"}},
		{path: "/tileMatrixSets", attack: doc},
		{path: "/tileMatrixSets/{tileMatrixSetId}", pathVals: map[string]string{"tileMatrixSetId": "WebMercatorQuad"}, attack: doc, pathParam: []string{"tileMatrixSetId"}},
		{path: "/tiles", attack: doc},
		{path: "/tiles/WebMercatorQuad", attack: doc},
		{path: "/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}", pathVals: ogc, pathParam: []string{"tileMatrix", "tileRow", "tileCol"}},
		{path: "/collections/{collectionId}/tiles", pathVals: cid, attack: doc, pathParam: []string{"collectionId"}},
		{path: "/collections/{collectionId}/tiles/{tileMatrixSetId}", pathVals: ogc, attack: doc, pathParam: []string{"tileMatrixSetId"}},
		{path: "/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", pathVals: ogc, pathParam: []string{"collectionId", "tileMatrix", "tileRow", "tileCol"}},
		{path: "/styles/{file}", pathVals: map[string]string{"file": "default.json"}, pathParam: []string{"file"}},
		{path: "/fonts/{fontstack}/{range}", pathVals: map[string]string{"fontstack": "Open%20Sans%20Regular", "range": "0-255.pbf"}, pathParam: []string{"fontstack", "range"}},
		{path: "/pmtiles"},
		{path: "/pmtiles/{file}", pathVals: map[string]string{"file": "demo.pmtiles"}, pathParam: []string{"file"}},
		{path: "/pmtiles/{archive}/{z}/{x}/{y}.mvt", pathVals: map[string]string{"archive": "demo", "z": "1", "x": "0", "y": "0"}, pathParam: []string{"archive", "z"}},
		{path: "/parcels/search", query: [][2]string{{"q", ref}}, attack: []string{"q", "limit"}},
		{path: "/parcels/suggest", query: [][2]string{{"q", foglio + "/"}}, attack: []string{"q", "limit"}},
		{path: "/parcels/at", query: [][2]string{{"lon", "10.5047"}, {"lat", "43.8430"}}, attack: []string{"lon", "lat", "crs"}, point: map[string]bool{"lon": true, "lat": true}},
		{path: "/parcels/{ref}", pathVals: map[string]string{"ref": url.PathEscape(ref)}, pathParam: []string{"ref"}},
		{path: "/reports/zoning", query: [][2]string{{"parcel", ref}}, attack: []string{"parcel", "f"}, many: map[string]bool{"parcel": true}},
		{path: "/analytics/broadband", query: [][2]string{{"zones", zones}}, attack: []string{"zones", "coverage", "snapshot", "compare", "f"}},
		{path: "/analytics/broadband/white", query: [][2]string{{"zones", zones}, {"limit", "5"}}, attack: []string{"zones", "zone", "snapshot", "limit", "offset", "f"}},
		{path: "/analytics/agcom", attack: []string{"snapshot", "compare", "f"}},
		{path: "/layers"},
		{path: "/healthz"},
		{path: "/readyz"},
		{path: "/metrics"},
		{path: "/map", anyParams: true}, // redirects to the page, query and all
		{path: "/map/", anyParams: true},
		{path: "/map/config.json"},
	}
}

// hostileValues look like attacks or nonsense; each is a value a client can
// send. The server may accept one as a value (a parcel search for
// "<script>" finds nothing), but never with a 5xx, and any error names the
// parameter.
var hostileValues = []string{
	"' OR '1'='1", "1;DROP TABLE sit.layers;--", "-1", "0", "1e309", "NaN", "-Infinity", "99999999999999999999",
	"<script>alert(1)</script>", "../../../../etc/passwd", "", "null", "ñ€𝄞", "..", "../..", "*", "10,43,11",
	"1,2,3,4);DELETE FROM sit.layers;--", strings.Repeat("9", 400),
}

// malformed are query strings that do not parse, or break the parameter
// rules: each must be a 400 naming the parameter.
func malformed(name, valid string) [][2]string { // [raw query, parameter named]
	if valid == "" {
		valid = "1"
	}
	n := url.QueryEscape(name)
	return [][2]string{
		{n + "=" + url.QueryEscape(valid) + ";x", name},
		{n + "=" + url.QueryEscape(valid) + "%zz", name},
		{n + "=a%00b", name},
		{n + "=%ff%fe", name},
		{n + "=" + strings.Repeat("a", 5000), name},
	}
}

// TestServeHostileCorpus sends several hundred hostile requests over every
// route of a live server on the demo data: no 5xx, every error a
// problem+json naming the parameter, no malformed request answered, no
// hostile filter answered with the whole layer; HEAD answers every GET
// route with its headers; gzip;q=0 is honoured everywhere.
func TestServeHostileCorpus(t *testing.T) {
	t.Parallel()
	db := demoDatabase(t, 2000)
	srv := startServe(t, db.Reader)
	c := readCatalog(t, srv.base)
	routes := routesOf(t, srv.base, c)
	stats := &corpusStats{}
	for _, r := range routes {
		t.Run(strings.TrimPrefix(r.path, "/"), func(t *testing.T) {
			attackRoute(t, srv.base, r, c, stats)
			checkHeadAndGzip(t, srv.base, r)
		})
	}
	t.Run("malformed HTTP", func(t *testing.T) { checkMalformedHTTP(t, srv.base, stats) })
	t.Logf("%d requests, %d answered 4xx, slowest %s (%s)", stats.n, stats.errors, stats.slowest, stats.slowestTarget)
	if stats.n < 500 {
		t.Fatalf("only %d requests in the corpus", stats.n)
	}
}

type corpusStats struct {
	n, errors     int
	slowest       time.Duration
	slowestTarget string
}

// fetch sends one request and checks what every answer must satisfy.
func fetch(t *testing.T, base, method, target string, header map[string]string, stats *corpusStats) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, base+target, nil)
	if err != nil {
		t.Fatalf("%s: %v", target, err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if d := time.Since(start); stats != nil && d > stats.slowest {
		stats.slowest, stats.slowestTarget = d, target
	}
	if stats != nil {
		stats.n++
		if resp.StatusCode >= 400 {
			stats.errors++
		}
	}
	if resp.StatusCode >= 500 {
		t.Fatalf("%s %s: %d %.300s", method, target, resp.StatusCode, body)
	}
	if resp.StatusCode >= 400 && method != http.MethodHead {
		if _, err := readProblem(resp, body); err != nil {
			t.Fatalf("%s: %d: %v: %.300s", target, resp.StatusCode, err, body)
		}
	}
	return resp, body
}

// attackRoute sends the route's valid request, then every mutation.
func attackRoute(t *testing.T, base string, r route, c catalogInfo, stats *corpusStats) {
	valid := encodeQuery(r.query)
	fetch(t, base, "GET", r.target(r.pathVals, valid), nil, stats)
	expect400 := func(target, param string) {
		t.Helper()
		resp, body := fetch(t, base, "GET", target, nil, stats)
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("%s: %d, want 400 naming %s: %.200s", target, resp.StatusCode, param, body)
		}
		if p, _ := readProblem(resp, body); p.Parameter != param {
			t.Fatalf("%s: the problem names %q, want %q: %s", target, p.Parameter, param, p.Detail)
		}
	}
	if !r.anyParams {
		expect400(r.target(r.pathVals, join(valid, "zzz=1")), "zzz")
	}
	for _, name := range r.attack {
		validValue := ""
		for _, kv := range r.query {
			if kv[0] == name {
				validValue = kv[1]
			}
		}
		for _, m := range malformed(name, validValue) {
			expect400(r.target(r.pathVals, join(without(valid, r.query, name), m[0])), m[1])
		}
		if !r.many[name] && validValue != "" {
			expect400(r.target(r.pathVals, join(valid, url.QueryEscape(name)+"="+url.QueryEscape(validValue))), name)
		}
		for _, v := range hostileValues {
			q := join(without(valid, r.query, name), url.QueryEscape(name)+"="+url.QueryEscape(v))
			target := r.target(r.pathVals, q)
			resp, body := fetch(t, base, "GET", target, nil, stats)
			checkHostileAnswer(t, target, name, r, c, resp, body)
		}
	}
	for _, pp := range r.pathParam {
		for _, v := range []string{"-1", "99999999999", "x", "..", "' OR 1=1", "<script>", "1e3", "%00", strings.Repeat("z", 3000)} {
			vals := map[string]string{}
			for k, val := range r.pathVals {
				vals[k] = val
			}
			vals[pp] = url.PathEscape(v)
			if v == "%00" {
				vals[pp] = v
			}
			target := r.target(vals, valid)
			resp, body := fetch(t, base, "GET", target, nil, stats)
			if resp.StatusCode == 400 {
				if p, _ := readProblem(resp, body); p.Parameter == "" {
					t.Fatalf("%s: a 400 that names no parameter: %s", target, p.Detail)
				}
			}
		}
	}
}

// checkHostileAnswer: an error names the parameter; a success under a
// hostile filtering value is not the whole layer.
func checkHostileAnswer(t *testing.T, target, name string, r route, c catalogInfo, resp *http.Response, body []byte) {
	t.Helper()
	if resp.StatusCode >= 400 {
		p, _ := readProblem(resp, body)
		if p.Parameter != name && !(r.point[name] && r.point[p.Parameter]) {
			t.Fatalf("%s: %d names %q, want %q: %s", target, resp.StatusCode, p.Parameter, name, p.Detail)
		}
		return
	}
	if !r.filters[name] || r.layer == "" || resp.StatusCode != 200 {
		return
	}
	var fc struct {
		NumberMatched *int64 `json:"numberMatched"`
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		t.Fatalf("%s: %v", target, err)
	}
	if fc.NumberMatched != nil && *fc.NumberMatched == c.count[r.layer] && c.count[r.layer] > 5 {
		t.Fatalf("%s: a hostile %s answered with the whole layer (%d features)", target, name, *fc.NumberMatched)
	}
}

// checkHeadAndGzip: HEAD has the GET's status and headers and no body;
// a client refusing gzip never gets it.
func checkHeadAndGzip(t *testing.T, base string, r route) {
	target := r.target(r.pathVals, encodeQuery(r.query))
	get, getBody := fetch(t, base, "GET", target, nil, nil)
	head, headBody := fetch(t, base, "HEAD", target, nil, nil)
	if head.StatusCode != get.StatusCode || len(headBody) != 0 {
		t.Fatalf("HEAD %s: %d with %d bytes; GET %d", target, head.StatusCode, len(headBody), get.StatusCode)
	}
	for _, h := range []string{"Content-Type", "Content-Encoding", "Cache-Control"} {
		if head.Header.Get(h) != get.Header.Get(h) {
			t.Fatalf("HEAD %s: %s %q, GET %q", target, h, head.Header.Get(h), get.Header.Get(h))
		}
	}
	if r.path != "/metrics" && get.Header.Get("Content-Length") != "" && head.Header.Get("Content-Length") != "" && len(getBody) > 0 &&
		head.Header.Get("Content-Length") != get.Header.Get("Content-Length") {
		t.Fatalf("HEAD %s: Content-Length %s, GET %s", target, head.Header.Get("Content-Length"), get.Header.Get("Content-Length"))
	}
	for _, refuse := range []string{"gzip;q=0", "gzip;q=0, *", "x-gzip;q=0, deflate"} {
		resp, _ := fetch(t, base, "GET", target, map[string]string{"Accept-Encoding": refuse}, nil)
		if resp.Header.Get("Content-Encoding") == "gzip" {
			t.Fatalf("%s with Accept-Encoding %q: gzip-encoded", target, refuse)
		}
	}
}

func join(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "&" + b
}

// without is the valid query minus one parameter.
func without(valid string, q [][2]string, name string) string {
	var keep [][2]string
	for _, kv := range q {
		if kv[0] != name {
			keep = append(keep, kv)
		}
	}
	return encodeQuery(keep)
}

// checkMalformedHTTP sends, on raw connections, requests that net/http
// refuses before any handler (or that the header bound refuses): each is
// answered with a problem+json, the header bound's naming "headers".
func checkMalformedHTTP(t *testing.T, base string, stats *corpusStats) {
	addr := strings.TrimPrefix(base, "http://")
	header := func(n int) string { return "X-Big: " + strings.Repeat("a", n) + "\r\n" }
	const max = 256 << 10 // --max-header-bytes' default
	for _, tc := range []struct {
		raw    string
		status int
		param  string
	}{
		{"GET /collections HTTP/1.1\r\nHost: x\r\n" + header(max+1000) + "\r\n", 431, "headers"},
		{"GET /collections HTTP/1.1\r\nHost: x\r\n" + header(2*max) + "\r\n", 431, "headers"},
		{"GET /collections HTTP/1.1\r\n\r\n", 400, ""},
		{"GET /collections HTTP/1.1\r\nHost: x\r\nbroken header\r\n\r\n", 400, ""},
		{"GET\r\n\r\n", 400, ""},
		{"GET /collections HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: zip\r\n\r\n", 501, "Transfer-Encoding"},
		{"GET /collections HTTP/1.1\r\nHost: x\r\nExpect: tea\r\n\r\n", 417, "Expect"},
	} {
		conn, err := net.DialTimeout("tcp", addr, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		_ = conn.SetDeadline(time.Now().Add(time.Minute))
		go func() { _, _ = io.WriteString(conn, tc.raw) }() // the server may answer before it has read all
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			conn.Close()
			t.Fatalf("%.60q: %v", tc.raw, err)
		}
		body, _ := io.ReadAll(resp.Body)
		conn.Close()
		stats.n++
		stats.errors++
		p, err := readProblem(resp, body)
		if err != nil || resp.StatusCode != tc.status || p.Parameter != tc.param {
			t.Fatalf("%.60q: %d %+v (%v); want %d naming %q", tc.raw, resp.StatusCode, p, err, tc.status, tc.param)
		}
	}
}
