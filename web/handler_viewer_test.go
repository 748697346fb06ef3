package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
)

// builtFS looks like the output of build.mjs: a page, hashed assets (one
// with a precompressed sibling), a file without a hash and the README.
func builtFS(t *testing.T) (fstest.MapFS, []byte) {
	t.Helper()
	js := []byte(strings.Repeat("console.log('sit viewer');\n", 100))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(js)
	_ = zw.Close()
	page := `<!doctype html><html><head><link rel="stylesheet" href="assets/app-ABCDEFGH.css"></head><body>` +
		strings.Repeat("<p>mappa</p>", 80) + `<script type="module" src="assets/app-ABCDEFGH.js"></script></body></html>`
	return fstest.MapFS{
		"index.html":                 {Data: []byte(page)},
		"assets/app-ABCDEFGH.js":     {Data: js},
		"assets/app-ABCDEFGH.js.gz":  {Data: gz.Bytes()},
		"assets/app-ABCDEFGH.css":    {Data: []byte(strings.Repeat("body{margin:0}\n", 100))},
		"assets/notes.txt":           {Data: []byte("not hashed")},
		"README.txt":                 {Data: []byte("build output")},
		"assets/tiny-0123456789.svg": {Data: []byte("<svg/>")},
	}, gz.Bytes()
}

func newTestHandler(t *testing.T, fsys fstest.MapFS, basemap string) *Handler {
	t.Helper()
	h, err := New(Options{Assets: fsys, Prefix: "/map", Basemap: basemap, Comune: "Comune di Lucca", Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func get(h http.Handler, method, target string, hdr map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestHandlerServesBuiltViewer(t *testing.T) {
	fsys, gz := builtFS(t)
	h := newTestHandler(t, fsys, "")
	if !h.Built() {
		t.Fatal("Built() = false with an index.html")
	}
	tests := []struct {
		name       string
		method     string
		path       string
		hdr        map[string]string
		status     int
		cache      string
		ctype      string
		encoding   string
		bodyHas    string
		bodyExact  []byte
		emptyBody  bool
		wantHeader string // a header that must be present
	}{
		{name: "page", method: "GET", path: "/map/", status: 200, cache: CacheRevalid, ctype: "text/html; charset=utf-8", bodyHas: "assets/app-ABCDEFGH.js", wantHeader: "Content-Security-Policy"},
		{name: "page by name", method: "GET", path: "/map/index.html", status: 200, cache: CacheRevalid, bodyHas: "<!doctype html>"},
		{name: "page gzip", method: "GET", path: "/map/", hdr: map[string]string{"Accept-Encoding": "gzip, deflate"}, status: 200, cache: CacheRevalid, encoding: "gzip"},
		{name: "hashed script identity", method: "GET", path: "/map/assets/app-ABCDEFGH.js", status: 200, cache: CacheImmutable, ctype: "text/javascript; charset=utf-8", bodyHas: "sit viewer"},
		{name: "hashed script uses the precompressed file", method: "GET", path: "/map/assets/app-ABCDEFGH.js", hdr: map[string]string{"Accept-Encoding": "br, gzip"}, status: 200, cache: CacheImmutable, encoding: "gzip", bodyExact: gz},
		{name: "gzip refused with q=0", method: "GET", path: "/map/assets/app-ABCDEFGH.js", hdr: map[string]string{"Accept-Encoding": "gzip;q=0"}, status: 200, encoding: "", bodyHas: "sit viewer"},
		{name: "hashed css compressed at start", method: "GET", path: "/map/assets/app-ABCDEFGH.css", hdr: map[string]string{"Accept-Encoding": "gzip"}, status: 200, cache: CacheImmutable, ctype: "text/css; charset=utf-8", encoding: "gzip"},
		{name: "tiny asset not compressed", method: "GET", path: "/map/assets/tiny-0123456789.svg", hdr: map[string]string{"Accept-Encoding": "gzip"}, status: 200, cache: CacheImmutable, encoding: "", bodyHas: "<svg/>"},
		{name: "asset without hash revalidated", method: "GET", path: "/map/assets/notes.txt", status: 200, cache: CacheRevalid},
		{name: "head", method: "HEAD", path: "/map/assets/app-ABCDEFGH.js", status: 200, cache: CacheImmutable, emptyBody: true},
		{name: "unknown asset", method: "GET", path: "/map/assets/app-ZZZZZZZZ.js", status: 404, ctype: "application/problem+json"},
		{name: "precompressed file not served by name", method: "GET", path: "/map/assets/app-ABCDEFGH.js.gz", status: 404},
		{name: "build readme not served", method: "GET", path: "/map/README.txt", status: 404},
		{name: "post refused", method: "POST", path: "/map/", status: 405, wantHeader: "Allow"},
		{name: "outside the prefix", method: "GET", path: "/elsewhere/", status: 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := get(h, tc.method, tc.path, tc.hdr)
			res := rec.Result()
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d (%s)", res.StatusCode, tc.status, rec.Body.String())
			}
			if tc.cache != "" && res.Header.Get("Cache-Control") != tc.cache {
				t.Errorf("Cache-Control %q, want %q", res.Header.Get("Cache-Control"), tc.cache)
			}
			if tc.ctype != "" && res.Header.Get("Content-Type") != tc.ctype {
				t.Errorf("Content-Type %q, want %q", res.Header.Get("Content-Type"), tc.ctype)
			}
			if tc.status == 200 && res.Header.Get("Content-Encoding") != tc.encoding {
				t.Errorf("Content-Encoding %q, want %q", res.Header.Get("Content-Encoding"), tc.encoding)
			}
			if tc.wantHeader != "" && res.Header.Get(tc.wantHeader) == "" {
				t.Errorf("no %s header", tc.wantHeader)
			}
			body := rec.Body.Bytes()
			if tc.encoding == "gzip" {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatalf("gzip body: %v", err)
				}
				plain, err := io.ReadAll(zr)
				if err != nil {
					t.Fatalf("gunzip: %v", err)
				}
				if len(plain) == 0 {
					t.Error("empty body after gunzip")
				}
			}
			if tc.bodyHas != "" && !bytes.Contains(body, []byte(tc.bodyHas)) {
				t.Errorf("body lacks %q", tc.bodyHas)
			}
			if tc.bodyExact != nil && !bytes.Equal(body, tc.bodyExact) {
				t.Errorf("body (%d bytes) is not the precompressed file (%d bytes)", len(body), len(tc.bodyExact))
			}
			if tc.emptyBody && len(body) != 0 {
				t.Errorf("HEAD body of %d bytes", len(body))
			}
		})
	}
}

func TestHandlerConditionalRequests(t *testing.T) {
	fsys, _ := builtFS(t)
	h := newTestHandler(t, fsys, "")
	for _, tc := range []struct{ name, path, enc string }{
		{"page", "/map/", ""},
		{"page gzip", "/map/", "gzip"},
		{"asset gzip", "/map/assets/app-ABCDEFGH.js", "gzip"},
		{"config", "/map/config.json", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first := get(h, "GET", tc.path, map[string]string{"Accept-Encoding": tc.enc})
			etag := first.Header().Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			again := get(h, "GET", tc.path, map[string]string{"Accept-Encoding": tc.enc, "If-None-Match": etag})
			if again.Code != http.StatusNotModified {
				t.Fatalf("If-None-Match %s: status %d, want 304", etag, again.Code)
			}
			other := "gzip"
			if tc.enc == "gzip" {
				other = "identity"
			}
			// The other encoding has another ETag: a cache must not mix them.
			if o := get(h, "GET", tc.path, map[string]string{"Accept-Encoding": other}); o.Header().Get("ETag") == etag && o.Header().Get("Content-Encoding") != first.Header().Get("Content-Encoding") {
				t.Errorf("gzip and identity bodies share ETag %s", etag)
			}
		})
	}
}

func TestHandlerFallbackWhenNotBuilt(t *testing.T) {
	h := newTestHandler(t, fstest.MapFS{"README.txt": {Data: []byte("placeholder")}}, "")
	if h.Built() {
		t.Fatal("Built() = true without index.html")
	}
	rec := get(h, "GET", "/map/", nil)
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", rec.Code)
	}
	if !strings.Contains(rec.Body.String(), "npm run build") {
		t.Errorf("fallback page does not say how to build: %s", rec.Body.String())
	}
	if cc := rec.Header().Get("Cache-Control"); cc != CacheRevalid {
		t.Errorf("fallback Cache-Control %q", cc)
	}
	rec = get(h, "GET", "/map/assets/app-ABCDEFGH.js", nil)
	if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "npm run build") {
		t.Errorf("missing asset of an unbuilt viewer: %d %s", rec.Code, rec.Body.String())
	}
	var cfg Config
	if err := json.Unmarshal(get(h, "GET", "/map/config.json", nil).Body.Bytes(), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Built {
		t.Error("config says built")
	}
}

func TestHandlerConfig(t *testing.T) {
	fsys, _ := builtFS(t)
	h := newTestHandler(t, fsys, "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")
	rec := get(h, "GET", "/map/config.json", nil)
	if rec.Code != 200 || rec.Header().Get("Cache-Control") != CacheRevalid || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("config: %d %v", rec.Code, rec.Header())
	}
	var cfg Config
	if err := json.Unmarshal(rec.Body.Bytes(), &cfg); err != nil {
		t.Fatal(err)
	}
	if !cfg.Built || cfg.Comune != "Comune di Lucca" || cfg.Version != "test" {
		t.Errorf("config %+v", cfg)
	}
	if cfg.Basemap == nil || cfg.Basemap.Type != "raster" || len(cfg.Basemap.Tiles) != 3 || cfg.Basemap.Attribution != "© OpenStreetMap contributors" {
		t.Fatalf("basemap %+v", cfg.Basemap)
	}
	csp := get(h, "GET", "/map/", nil).Header().Get("Content-Security-Policy")
	for _, host := range []string{"https://a.tile.openstreetmap.org", "https://c.tile.openstreetmap.org"} {
		if !strings.Contains(csp, "img-src 'self' data: blob: "+"https://a.tile.openstreetmap.org") || !strings.Contains(csp, host) {
			t.Errorf("CSP does not allow %s: %s", host, csp)
		}
	}
	// An unusable base map is ignored (logged), not fatal.
	h = newTestHandler(t, fsys, "ftp://example.org/tiles")
	if err := json.Unmarshal(get(h, "GET", "/map/config.json", nil).Body.Bytes(), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Basemap != nil {
		t.Errorf("bad base map kept: %+v", cfg.Basemap)
	}
}

// TestEmbeddedBuild checks the build embedded in this binary: web/dist is
// committed, so a plain `go build` (or `go install …/cmd/sit@version`)
// without Node.js serves the real viewer, every asset reference resolving to
// a hashed, immutable asset, and the loader of the OGC API pages' map.
func TestEmbeddedBuild(t *testing.T) {
	h, err := New(Options{Prefix: "/map"})
	if err != nil {
		t.Fatal(err)
	}
	page := get(h, "GET", "/map/", nil)
	if !h.Built() || page.Code != 200 {
		t.Fatalf("the embedded viewer is not built (status %d): web/dist is committed; rebuild it with (cd web && npm ci && npm run build)", page.Code)
	}
	refs := regexp.MustCompile(`(?:src|href)="(assets/[^"]+)"`).FindAllStringSubmatch(page.Body.String(), -1)
	if len(refs) < 2 {
		t.Fatalf("page references %d assets, want the script and the stylesheet: %s", len(refs), page.Body.String())
	}
	loader := get(h, "GET", "/map/page-map.js", nil)
	if loader.Code != 200 || loader.Header().Get("Cache-Control") != CacheRevalid || !strings.HasPrefix(loader.Header().Get("Content-Type"), "text/javascript") {
		t.Fatalf("page-map.js: %d %v", loader.Code, loader.Header())
	}
	refs = append(refs, regexp.MustCompile(`'\./(assets/[^']+)'`).FindAllStringSubmatch(loader.Body.String(), -1)...)
	if len(refs) < 4 {
		t.Fatalf("page-map.js loads no script and stylesheet: %s", loader.Body)
	}
	for _, m := range refs {
		rec := get(h, "GET", "/map/"+m[1], map[string]string{"Accept-Encoding": "gzip"})
		if rec.Code != 200 {
			t.Errorf("%s: status %d", m[1], rec.Code)
			continue
		}
		if rec.Header().Get("Cache-Control") != CacheImmutable {
			t.Errorf("%s: Cache-Control %q (name not content-hashed?)", m[1], rec.Header().Get("Cache-Control"))
		}
		if rec.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: not gzip-encoded", m[1])
		}
	}
	for _, p := range []string{"/map/build-inputs.sha256", "/map/README.txt"} {
		if rec := get(h, "GET", p, nil); rec.Code != 404 {
			t.Errorf("%s: status %d, want 404 (a record of the build, not served)", p, rec.Code)
		}
	}
}

// TestBundleCurrent checks that the committed bundle was built from the
// sources as they are: web/dist/build-inputs.sha256 (written by the build)
// must list exactly the sha256 of web/build.mjs, package.json,
// package-lock.json and every file under web/src. (That the bundle is
// what those inputs build, byte for byte, is `node build.mjs --check`,
// run by scripts/test.sh.)
func TestBundleCurrent(t *testing.T) {
	files := []string{"build.mjs", "package.json", "package-lock.json"}
	err := filepath.WalkDir("src", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, filepath.ToSlash(p))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var want strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&want, "%x  %s\n", sha256.Sum256(b), f)
	}
	got, err := fs.ReadFile(Dist(), "build-inputs.sha256")
	if err != nil {
		t.Fatalf("the embedded bundle has no build-inputs.sha256: %v", err)
	}
	if string(got) != want.String() {
		t.Fatalf("web/dist was built from other sources than web/src, build.mjs and the package files as they are now:\n"+
			"run (cd web && npm ci && npm run build) and commit web/dist\n--- recorded\n%s--- now\n%s", got, want.String())
	}
}
