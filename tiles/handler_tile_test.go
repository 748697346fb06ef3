package tiles

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sit-gis/sit/access"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
)

// router mounts the service the way internal/server does.
func router(s *Service) http.Handler {
	r := chi.NewRouter()
	s.Mount(r)
	return r
}

func TestHandleTile(t *testing.T) {
	body := []byte(strings.Repeat("\x1a\x05hello", 50)) // any bytes: the handler does not parse them
	svc := New(bytesDB{body: body}, access.NewCatalog(testCatalog()), Options{CacheBytes: 1 << 20})
	h := router(svc)
	tests := []struct {
		name       string
		path       string
		accept     string
		wantStatus int
		wantParam  string
		wantEnc    string
	}{
		{"tile gzip", "/tiles/parcels/16/34680/23870.mvt", "gzip", 200, "", "gzip"},
		{"tile identity", "/tiles/parcels,zoning/16/34680/23870.mvt", "", 200, "", ""},
		{"below every min zoom", "/tiles/parcels/3/4/2.mvt", "gzip", 204, "", ""},
		{"z too deep", "/tiles/parcels/25/0/0.mvt", "", 400, "z", ""},
		{"z not a number", "/tiles/parcels/z/0/0.mvt", "", 400, "z", ""},
		{"x past the grid", "/tiles/parcels/2/4/0.mvt", "", 400, "x", ""},
		{"y negative", "/tiles/parcels/2/1/-1.mvt", "", 400, "y", ""},
		{"unknown layer", "/tiles/parcels,nope/16/34680/23870.mvt", "", 404, "layers", ""},
		{"layer twice", "/tiles/parcels,parcels/16/34680/23870.mvt", "", 400, "layers", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tc.path, nil)
			if tc.accept != "" {
				req.Header.Set("Accept-Encoding", tc.accept)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.wantStatus, w.Body)
			}
			if tc.wantParam != "" {
				var p httpx.Problem
				if ct := w.Header().Get("Content-Type"); ct != httpx.ProblemType {
					t.Fatalf("content type %q", ct)
				}
				if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p.Parameter != tc.wantParam {
					t.Fatalf("problem %s, want parameter %s", w.Body, tc.wantParam)
				}
				return
			}
			if got := w.Header().Get("Content-Encoding"); got != tc.wantEnc {
				t.Errorf("Content-Encoding %q, want %q", got, tc.wantEnc)
			}
			if tc.wantStatus == 200 {
				if w.Header().Get("Content-Type") != MVTType || w.Header().Get("ETag") == "" {
					t.Errorf("headers %v", w.Header())
				}
				if tc.wantEnc == "" && w.Body.String() != string(body) {
					t.Error("identity body differs from the statement's bytes")
				}
				// A second request with the ETag is a 304.
				req2 := httptest.NewRequest("GET", tc.path, nil)
				req2.Header.Set("If-None-Match", w.Header().Get("ETag"))
				req2.Header.Set("Accept-Encoding", tc.accept)
				w2 := httptest.NewRecorder()
				h.ServeHTTP(w2, req2)
				if w2.Code != 304 || w2.Body.Len() != 0 {
					t.Errorf("revalidation: %d with %d bytes", w2.Code, w2.Body.Len())
				}
			}
		})
	}
}

func TestHandleTileServerFaultHidesSQL(t *testing.T) {
	svc := New(noDB{}, access.NewCatalog(testCatalog()), Options{})
	w := httptest.NewRecorder()
	router(svc).ServeHTTP(w, httptest.NewRequest("GET", "/tiles/parcels/16/34680/23870.mvt", nil))
	if w.Code != 500 || strings.Contains(w.Body.String(), "database") {
		t.Fatalf("status %d body %s: want a bare 500", w.Code, w.Body)
	}
}
