package dbhealth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestUnavailable(t *testing.T) {
	tests := []struct {
		name        string
		err         error
		unavailable bool
		cancelled   bool
	}{
		{"nil", nil, false, false},
		{"starting up", &pgconn.PgError{Code: "57P03"}, true, false},
		{"admin shutdown", fmt.Errorf("query: %w", &pgconn.PgError{Code: "57P01"}), true, false},
		{"crash shutdown", &pgconn.PgError{Code: "57P02"}, true, false},
		{"connection failure", &pgconn.PgError{Code: "08006"}, true, false},
		{"too many connections", &pgconn.PgError{Code: "53300"}, true, false},
		{"refused", fmt.Errorf("acquire: %w", &net.OpError{Op: "dial", Err: errors.New("connection refused")}), true, false},
		{"closed connection", fmt.Errorf("x: %w", pgconn.ErrConnClosed), true, false},
		{"eof", fmt.Errorf("receive: %w", io.ErrUnexpectedEOF), true, false},
		{"statement timeout", &pgconn.PgError{Code: "57014"}, false, true},
		{"client gone", fmt.Errorf("query: %w", context.Canceled), false, true},
		{"deadline", context.DeadlineExceeded, false, true},
		{"syntax error", &pgconn.PgError{Code: "42601"}, false, false},
		{"division by zero", &pgconn.PgError{Code: "22012"}, false, false},
		{"other", errors.New("boom"), false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Unavailable(tc.err); got != tc.unavailable {
				t.Fatalf("Unavailable = %v", got)
			}
			if got := tc.err != nil && Cancelled(tc.err); got != tc.cancelled {
				t.Fatalf("Cancelled = %v", got)
			}
		})
	}
}
