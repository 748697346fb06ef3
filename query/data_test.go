package query

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sit-gis/sit/internal/dbtest"
)

// TestCancelledQueriesLeaveNothingRunning cancels many running statements
// the way a client that goes away does, then checks that none keeps
// running in PostgreSQL and that the pool still answers.
func TestCancelledQueriesLeaveNothingRunning(t *testing.T) {
	pool := dbtest.Pool(t)
	d := PGData{Pool: pool, Timeout: 30 * time.Second}
	for i := 0; i < 40; i++ {
		// Cancelled after 30 ms: on a busy machine that is often before the
		// statement has reached PostgreSQL, which then drops a cancel. What
		// tells a cancelled statement is that it returns no row, not how
		// fast it returns (a test must not time a busy machine).
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		completed := false
		err := d.Stream(ctx, "SELECT pg_sleep(20)::text", nil, func([][]byte) error { completed = true; return nil })
		cancel()
		if err == nil || completed {
			t.Fatalf("cancelled statement %d ran to its end (error %v)", i, err)
		}
		if !errors.Is(err, context.DeadlineExceeded) && sqlState(err) != "57014" {
			t.Logf("error: %v", err)
		}
	}
	var running int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(20)%' AND state = 'active'").Scan(&running); err != nil {
		t.Fatal(err)
	}
	if running != 0 {
		t.Fatalf("%d cancelled statements still running in PostgreSQL", running)
	}
	n, err := d.Int(context.Background(), "SELECT 41 + 1", nil)
	if err != nil || n != 42 {
		t.Fatalf("pool after cancellations: %d %v", n, err)
	}
}
