package tiles

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/layers"

	"github.com/sit-gis/sit/internal/httpx"
)

// fixtureArchive exports a small archive without a database: every tile
// is the same bytes, which also exercises deduplication and run lengths.
func fixtureArchive(t *testing.T) (dir string, body []byte) {
	t.Helper()
	body = []byte(strings.Repeat("\x1a\x20fixture-tile-bytes-that-compress!", 40))
	svc := New(bytesDB{body: body}, access.NewCatalog(testCatalog()), Options{})
	dir = t.TempDir()
	box := [4]float64{10.49, 43.84, 10.51, 43.85}
	res, err := svc.ExportPMTiles(context.Background(), filepath.Join(dir, "demo.pmtiles"),
		ExportOptions{Layers: mustLayers(t, svc, "parcels"), MinZoom: 14, MaxZoom: 16, BBox: &box, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Contents != 1 || res.Entries >= res.Addressed {
		t.Fatalf("identical tiles: %+v, want one content and run-length entries", res)
	}
	verify(t, filepath.Join(dir, "demo.pmtiles"))
	return dir, body
}

func TestHandlePMTiles(t *testing.T) {
	dir, body := fixtureArchive(t)
	h := router(New(noDB{}, access.NewCatalog(testCatalog()), Options{PMTilesDir: dir, PublicURL: "http://h"}))
	in := tileAt(15) // inside the box
	tests := []struct {
		name       string
		path       string
		header     [2]string
		wantStatus int
		check      func(t *testing.T, w *httptest.ResponseRecorder)
	}{
		{"tile gzip", "/pmtiles/demo/" + in.String() + ".mvt", [2]string{"Accept-Encoding", "gzip"}, 200, func(t *testing.T, w *httptest.ResponseRecorder) {
			raw, err := httpx.Gunzip(w.Body.Bytes())
			if err != nil || string(raw) != string(body) || w.Header().Get("Content-Encoding") != "gzip" {
				t.Fatalf("tile %q %v", raw, err)
			}
		}},
		{"tile identity", "/pmtiles/demo/" + in.String() + ".mvt", [2]string{}, 200, func(t *testing.T, w *httptest.ResponseRecorder) {
			if w.Body.String() != string(body) || w.Header().Get("Content-Encoding") != "" {
				t.Fatalf("identity tile %q", w.Body)
			}
		}},
		{"tile outside", "/pmtiles/demo/15/0/0.mvt", [2]string{}, 204, nil},
		{"bad z", "/pmtiles/demo/99/0/0.mvt", [2]string{}, 400, nil},
		{"unknown archive", "/pmtiles/nope/1/0/0.mvt", [2]string{}, 404, nil},
		{"dots refused", "/pmtiles/..%2Fdemo/1/0/0.mvt", [2]string{}, 404, nil},
		{"tilejson", "/pmtiles/demo.json", [2]string{}, 200, func(t *testing.T, w *httptest.ResponseRecorder) {
			var tj map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &tj); err != nil {
				t.Fatal(err)
			}
			tiles, _ := tj["tiles"].([]any)
			if tj["tilejson"] != "3.0.0" || len(tiles) != 1 || tiles[0] != "http://h/pmtiles/demo/{z}/{x}/{y}.mvt" || tj["minzoom"] != 14.0 {
				t.Fatalf("tilejson %v", tj)
			}
			if vl, _ := tj["vector_layers"].([]any); len(vl) != 1 {
				t.Fatalf("vector_layers %v", tj["vector_layers"])
			}
		}},
		{"range", "/pmtiles/demo.pmtiles", [2]string{"Range", "bytes=0-126"}, 206, func(t *testing.T, w *httptest.ResponseRecorder) {
			b, _ := io.ReadAll(w.Body)
			if len(b) != 127 || string(b[:7]) != "PMTiles" || w.Header().Get("Content-Range") == "" {
				t.Fatalf("range: %d bytes %q", len(b), b[:7])
			}
		}},
		{"whole file", "/pmtiles/demo.pmtiles", [2]string{}, 200, func(t *testing.T, w *httptest.ResponseRecorder) {
			if w.Header().Get("Accept-Ranges") != "bytes" || w.Header().Get("ETag") == "" {
				t.Fatalf("headers %v", w.Header())
			}
		}},
		{"list", "/pmtiles", [2]string{}, 200, func(t *testing.T, w *httptest.ResponseRecorder) {
			if !strings.Contains(w.Body.String(), `"name":"demo"`) {
				t.Fatalf("list %s", w.Body)
			}
		}},
		{"other suffix", "/pmtiles/demo.mbtiles", [2]string{}, 404, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tc.path, nil)
			if tc.header[0] != "" {
				req.Header.Set(tc.header[0], tc.header[1])
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.wantStatus, w.Body)
			}
			if tc.check != nil {
				tc.check(t, w)
			}
			if w.Code == 200 && w.Header().Get("ETag") != "" {
				req2 := httptest.NewRequest("GET", tc.path, nil)
				req2.Header.Set("If-None-Match", w.Header().Get("ETag"))
				if tc.header[0] == "Accept-Encoding" {
					req2.Header.Set(tc.header[0], tc.header[1])
				}
				w2 := httptest.NewRecorder()
				h.ServeHTTP(w2, req2)
				if w2.Code != http.StatusNotModified {
					t.Errorf("revalidation: %d", w2.Code)
				}
			}
		})
	}
}

func TestHandlePMTilesWithoutDirectory(t *testing.T) {
	h := router(New(noDB{}, access.NewCatalog(testCatalog()), Options{}))
	for _, p := range []string{"/pmtiles/demo.json", "/pmtiles/demo/1/0/0.mvt", "/pmtiles/demo.pmtiles"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", p, nil))
		if w.Code != 404 {
			t.Errorf("%s: %d, want 404", p, w.Code)
		}
	}
}

// TestPMTilesWithheld: an archive made from a layer the request may not
// see (its "sit:layers") is not listed and answers 404 on every path; a
// professional gets it.
func TestPMTilesWithheld(t *testing.T) {
	dir, _ := fixtureArchive(t)
	cat := testCatalog()
	for i := range cat {
		if cat[i].Name == "parcels" {
			cat[i].Visibility = layers.Professional
		}
	}
	h := router(New(noDB{}, access.NewCatalog(cat), Options{PMTilesDir: dir, PublicURL: "http://h"}))
	in := tileAt(15)
	for _, tc := range []struct {
		role access.Role
		want int
	}{{access.Anonymous, 404}, {access.Professional, 200}} {
		for _, path := range []string{"/pmtiles/demo.pmtiles", "/pmtiles/demo.json", "/pmtiles/demo/" + in.String() + ".mvt"} {
			req := httptest.NewRequest("GET", path, nil)
			p := access.Principal{Role: tc.role}
			if tc.role != access.Anonymous {
				p.Kind = access.KindAccount
			}
			req = req.WithContext(access.WithView(req.Context(), access.View{Principal: p}))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tc.want {
				t.Errorf("%s as %s: %d, want %d", path, tc.role, w.Code, tc.want)
			}
		}
		req := httptest.NewRequest("GET", "/pmtiles", nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if strings.Contains(w.Body.String(), "demo") {
			t.Errorf("the public list names a withheld archive: %s", w.Body)
		}
	}
}
