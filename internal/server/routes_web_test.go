package server

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/layers"
)

// The viewer is mounted at /map/: /map redirects there (keeping the
// query), the page and its configuration answer without a database.
func TestMountWeb(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	cfg := config.DefaultServer()
	cfg.Basemap = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
	h := New(Deps{Config: cfg, Catalog: layers.NewCatalog(nil, log), Log: log, Version: "test"})
	for _, tc := range []struct {
		name, target string
		status       int
		location     string
	}{
		{"redirect", "/map", http.StatusMovedPermanently, "/map/"},
		{"redirect keeps the query", "/map?lang=en", http.StatusMovedPermanently, "/map/?lang=en"},
		{"config", "/map/config.json", http.StatusOK, ""},
		{"unknown asset", "/map/assets/nothing-12345678.js", http.StatusNotFound, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", tc.target, nil))
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body.String())
			}
			if tc.location != "" && rec.Header().Get("Location") != tc.location {
				t.Errorf("Location %q, want %q", rec.Header().Get("Location"), tc.location)
			}
		})
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/map/", nil))
	if rec.Code != http.StatusOK && rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("/map/: status %d", rec.Code)
	}
	if rec.Header().Get("Content-Security-Policy") == "" {
		t.Error("/map/ has no Content-Security-Policy")
	}
}
