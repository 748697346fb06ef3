package query

import (
	"strings"
	"testing"
)

func TestAPIHTML(t *testing.T) {
	s := catalogService(t, Options{})
	tests := []struct {
		name, target string
		status       int
		has          string
	}{
		{"page", "/api.html", 200, "/collections/{collectionId}/items"},
		{"f=html is fine", "/api.html?f=html", 200, "<html"},
		{"unknown parameter", "/api.html?x=1", 400, `"parameter":"x"`},
		{"broken query", "/api.html?f=html;x", 400, `"parameter":"f"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := serve(t, s, tc.target)
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.has) {
				t.Fatalf("%d %.300s", rec.Code, rec.Body)
			}
			if tc.status == 200 && (rec.Header().Get("ETag") == "" || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html")) {
				t.Fatalf("headers %v", rec.Header())
			}
		})
	}
}
