package query

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Data runs the feature queries. Rows are handed over as raw text values,
// valid only during the callback, so that a page streams without copies.
type Data interface {
	// Stream runs sql and calls each for every row, in order.
	Stream(ctx context.Context, sql string, args []any, each func(row [][]byte) error) error
	// Int runs sql, which returns one integer.
	Int(ctx context.Context, sql string, args []any) (int64, error)
}

// PGData runs the queries on a pool. When the caller's context ends (the
// client went away, the request deadline passed) the running statement is
// cancelled inside PostgreSQL with a cancel request and the connection
// goes back to the pool: closing it instead would leave the backend
// working on a query nobody reads, and enough of those exhaust the server.
type PGData struct {
	// Pool is a *pgxpool.Pool, or the router over replicas.
	Pool interface {
		Acquire(ctx context.Context) (*pgxpool.Conn, error)
	}
	// Timeout bounds each statement, whatever the caller's context says.
	Timeout time.Duration
}

var _ Data = PGData{}

func (d PGData) run(ctx context.Context, f func(ctx context.Context, conn *pgxpool.Conn) error) error {
	conn, err := d.Pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquire a connection: %w", err)
	}
	if err := ctx.Err(); err != nil {
		// The deadline passed while waiting for the connection: a cancel
		// request sent now would reach an idle session and be lost, and
		// the statement would then run to its statement_timeout.
		conn.Release()
		return err
	}
	timeout := d.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	// The statement runs under its own context (with a margin over the
	// server-side statement_timeout); ctx reaches it as a cancel request.
	qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout+2*time.Second)
	defer cancel()
	cancelled, finished := make(chan struct{}), make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(cancelled)
		cancelUntil(conn, finished)
	})
	err = f(qctx, conn)
	close(finished)
	if !stop() {
		// Cancel requests were sent: wait for the last, so that none can
		// hit the next statement run on this connection.
		<-cancelled
		if err == nil {
			err = ctx.Err()
		}
	}
	if qctx.Err() != nil {
		// pgx closed the connection on its own deadline: it is not reusable.
		conn.Conn().Close(context.Background()) //nolint:errcheck
	}
	conn.Release()
	return err
}

// cancelUntil sends cancel requests for the connection's statement until
// finished is closed. One is not enough: a cancel request that reaches the
// server before the statement does (the client's deadline passed while the
// statement was being sent, on a busy machine) cancels nothing, and the
// statement would run to its statement_timeout.
func cancelUntil(conn *pgxpool.Conn, finished <-chan struct{}) {
	for {
		cctx, c := context.WithTimeout(context.Background(), 5*time.Second)
		_ = conn.Conn().PgConn().CancelRequest(cctx)
		c()
		select {
		case <-finished:
			return
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Stream implements Data.
func (d PGData) Stream(ctx context.Context, sql string, args []any, each func(row [][]byte) error) error {
	return d.run(ctx, func(qctx context.Context, conn *pgxpool.Conn) error {
		rows, err := conn.Query(qctx, sql, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := each(rows.RawValues()); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// Int implements Data.
func (d PGData) Int(ctx context.Context, sql string, args []any) (int64, error) {
	var n int64
	err := d.run(ctx, func(qctx context.Context, conn *pgxpool.Conn) error {
		return conn.QueryRow(qctx, sql, args...).Scan(&n)
	})
	return n, err
}

// sqlState returns the SQLSTATE of a PostgreSQL error, "" for others.
func sqlState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}
