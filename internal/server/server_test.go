package server

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

func testHandler() http.Handler {
	log := slog.New(slog.DiscardHandler)
	return New(Deps{Config: config.DefaultServer(), Catalog: layers.NewCatalog(nil, log), Log: log, Version: "test"})
}

func TestOperationsAndErrors(t *testing.T) {
	h := testHandler()
	tests := []struct {
		name, method, target string
		status               int
		problem              bool
	}{
		{"health", "GET", "/healthz", 200, false},
		{"layers from an empty catalog", "GET", "/layers", 200, false},
		{"metrics", "GET", "/metrics", 200, false},
		{"unknown path", "GET", "/nowhere", 404, true},
		{"method not allowed", "DELETE", "/healthz", 405, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.target, nil))
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			if tc.problem {
				if ct := rec.Header().Get("Content-Type"); ct != httpx.ProblemType {
					t.Fatalf("content type %q", ct)
				}
				var p httpx.Problem
				if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Status != tc.status {
					t.Fatalf("problem body %q: %v", rec.Body.String(), err)
				}
			}
		})
	}
}

func TestCORS(t *testing.T) {
	h := testHandler()
	tests := []struct {
		name    string
		method  string
		headers map[string]string
		status  int
		acao    string
		methods string
	}{
		{"no origin, no headers", "GET", nil, 200, "", ""},
		{"simple request", "GET", map[string]string{"Origin": "https://example.org"}, 200, "*", ""},
		{"preflight for a range request", "OPTIONS", map[string]string{"Origin": "https://example.org", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "range"}, 204, "*", "GET, HEAD, POST, OPTIONS"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, "/healthz", nil)
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.status || rec.Header().Get("Access-Control-Allow-Origin") != tc.acao || rec.Header().Get("Access-Control-Allow-Methods") != tc.methods {
				t.Fatalf("status %d, ACAO %q, methods %q", rec.Code, rec.Header().Get("Access-Control-Allow-Origin"), rec.Header().Get("Access-Control-Allow-Methods"))
			}
		})
	}
}

func TestMetricsCountRoutes(t *testing.T) {
	h := testHandler()
	for i := 0; i < 3; i++ {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/healthz", nil))
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	want := `sit_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"} 3`
	if !strings.Contains(body, want) {
		t.Fatalf("metrics lack %q:\n%.2000s", want, body)
	}
	if !strings.Contains(body, "go_goroutines") {
		t.Fatal("metrics lack the Go runtime metrics of the default registry")
	}
}
