package httpx

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandle(t *testing.T) {
	tests := []struct {
		name   string
		h      Func
		status int
		param  string
		body   string
		logged bool
	}{
		{"document", func(w http.ResponseWriter, r *http.Request) error {
			return JSON(w, r, http.StatusOK, "application/json", map[string]int{"n": 1})
		}, 200, "", `{"n":1}`, false},
		{"problem", func(w http.ResponseWriter, r *http.Request) error {
			return BadParameter("limit", "not a number")
		}, 400, "limit", "", false},
		{"unencodable document", func(w http.ResponseWriter, r *http.Request) error {
			return JSON(w, r, http.StatusOK, "application/json", map[string]any{"f": func() {}})
		}, 500, "", "", true},
		{"fault", func(w http.ResponseWriter, r *http.Request) error { return errors.New("boom") }, 500, "", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logs strings.Builder
			w := httptest.NewRecorder()
			Handle(slog.New(slog.NewTextHandler(&logs, nil)), tc.h)(w, httptest.NewRequest("GET", "/x", nil))
			if w.Code != tc.status || (logs.Len() > 0) != tc.logged {
				t.Fatalf("status %d (want %d), logs %q", w.Code, tc.status, logs.String())
			}
			if tc.status >= 400 {
				if p := decodeProblem(t, w); p.Parameter != tc.param {
					t.Fatalf("problem %+v, want parameter %q", p, tc.param)
				}
				return
			}
			if got := strings.TrimSpace(w.Body.String()); got != tc.body {
				t.Fatalf("body %q, want %q", got, tc.body)
			}
		})
	}
}
