package replica

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestRouting: a replica serves reads only while up and replayed as far as
// the floor; the primary always comes last.
func TestRouting(t *testing.T) {
	p := New(nil, nil, nil)
	a, b := &member{name: "replica-1"}, &member{name: "replica-2"}
	p.members = []*member{a, b}
	cases := []struct {
		name             string
		upA, upB         bool
		replayA, replayB uint64
		floor            uint64
		want             int // replicas among the candidates
		replayed         bool
	}{
		{"both usable", true, true, 100, 100, 100, 2, true},
		{"one behind the floor", true, true, 99, 100, 100, 1, false},
		{"one down", false, true, 100, 100, 100, 1, true},
		{"none usable", false, true, 100, 50, 100, 0, false},
		{"down ones do not hold the catalog back", false, false, 0, 0, 100, 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a.up.Store(tc.upA)
			b.up.Store(tc.upB)
			a.replay.Store(tc.replayA)
			b.replay.Store(tc.replayB)
			p.floor.Store(0)
			p.Publish(tc.floor)
			p.Publish(tc.floor - 1) // the floor never goes down
			c := p.candidates()
			if len(c) != tc.want+1 || c[len(c)-1] != nil {
				t.Fatalf("candidates %v, want %d replicas then the primary", c, tc.want)
			}
			if got := p.Replayed(tc.floor); got != tc.replayed {
				t.Fatalf("Replayed(%d) = %v", tc.floor, got)
			}
		})
	}
}

// TestRetryElsewhere: a read goes to the next target only when the failed
// one did not answer (or cancelled for a recovery conflict).
func TestRetryElsewhere(t *testing.T) {
	ctx := context.Background()
	done, cancel := context.WithCancel(ctx)
	cancel()
	cases := []struct {
		name string
		ctx  context.Context
		err  error
		want bool
	}{
		{"connection lost", ctx, io.ErrUnexpectedEOF, true},
		{"shutting down", ctx, &pgconn.PgError{Code: "57P01"}, true},
		{"connection failure", ctx, &pgconn.PgError{Code: "08006"}, true},
		{"recovery conflict", ctx, &pgconn.PgError{Code: "40001"}, true},
		{"bad SQL", ctx, &pgconn.PgError{Code: "42P01"}, false},
		{"statement timeout", ctx, &pgconn.PgError{Code: "57014"}, false},
		{"client gone", done, errors.New("x"), false},
		{"deadline", ctx, context.DeadlineExceeded, false},
	}
	for _, tc := range cases {
		if got := retryElsewhere(tc.ctx, tc.err); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
