package httpx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestWriteError(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		param  string
		retry  string
		logged bool
	}{
		{"problem", BadParameter("bbox", "not a number"), 400, "bbox", "", false},
		{"wrapped problem", fmt.Errorf("parse: %w", NotFoundParameter("zones", "no layer")), 404, "zones", "", false},
		{"body too large", fmt.Errorf("read: %w", &http.MaxBytesError{Limit: 10}), 413, "body", "", false},
		{"database down", fmt.Errorf("acquire: %w", &pgconn.PgError{Code: "57P03", Message: "the database system is starting up"}), 503, "", "1", false},
		{"database shutting down", &pgconn.PgError{Code: "57P01"}, 503, "", "1", false},
		{"statement timeout", &pgconn.PgError{Code: "57014"}, 503, "", "", false},
		{"deadline", fmt.Errorf("tile: %w", context.DeadlineExceeded), 503, "", "", false},
		{"syntax error is ours", &pgconn.PgError{Code: "42601", Message: "syntax error at or near SELECT"}, 500, "", "", true},
		{"anything else", errors.New("boom"), 500, "", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logs strings.Builder
			log := slog.New(slog.NewTextHandler(&logs, nil))
			w := httptest.NewRecorder()
			WriteError(w, httptest.NewRequest("GET", "/x", nil), log, tc.err)
			p := decodeProblem(t, w)
			if w.Code != tc.status || p.Parameter != tc.param || w.Header().Get("Retry-After") != tc.retry {
				t.Fatalf("status %d, %+v, Retry-After %q", w.Code, p, w.Header().Get("Retry-After"))
			}
			if strings.Contains(p.Detail, "SQLSTATE") || strings.Contains(p.Detail, "SELECT") {
				t.Fatalf("SQL in the detail: %s", p.Detail)
			}
			if (logs.Len() > 0) != tc.logged {
				t.Fatalf("logged %q", logs.String())
			}
		})
	}
}
