package web

import (
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"
)

func TestHandleRedirect(t *testing.T) {
	fsys, _ := builtFS(t)
	r := chi.NewRouter()
	newTestHandler(t, fsys, "").Mount(r)
	tests := []struct {
		name, method, target, location string
		status                         int
	}{
		{"redirect", "GET", "/map", "/map/", 301},
		{"redirect keeps the query", "GET", "/map?lang=en", "/map/?lang=en", 301},
		{"head", "HEAD", "/map", "/map/", 301},
		{"page below", "GET", "/map/", "", 200},
		{"config takes no parameters", "GET", "/map/config.json?x=1", "", 400},
		{"page takes the application's parameters", "GET", "/map/?lang=en&foo=bar", "", 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			r.ServeHTTP(w, httptest.NewRequest(tc.method, tc.target, nil))
			if w.Code != tc.status || w.Header().Get("Location") != tc.location {
				t.Fatalf("status %d, Location %q", w.Code, w.Header().Get("Location"))
			}
		})
	}
}
