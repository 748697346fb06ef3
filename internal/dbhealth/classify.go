// Package dbhealth knows whether PostgreSQL is there: it tells an outage
// (refused connections, a restarting or shutting-down server, dropped
// sockets) from a fault of one query, keeps the database's state (up or
// down) from what the pool sees, logs one line per change, counts outages
// for /metrics and probes a down database until it answers again.
package dbhealth

import (
	"context"
	"errors"
	"io"
	"net"

	"github.com/jackc/pgx/v5/pgconn"
)

// Unavailable reports whether err means the database cannot be reached or
// is restarting, rather than a fault of the statement or a cancellation:
// the answer is then 503 with Retry-After, not 500.
func Unavailable(err error) bool {
	if err == nil || Cancelled(err) {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case len(pe.Code) == 5 && pe.Code[:2] == "08": // connection exception
			return true
		case pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03": // admin/crash shutdown, cannot connect now
			return true
		case pe.Code == "53300": // too many connections
			return true
		}
		return false
	}
	var ce *pgconn.ConnectError
	var ne *net.OpError
	return errors.As(err, &ce) || errors.As(err, &ne) ||
		errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// Cancelled reports whether err comes from a deadline or a cancellation:
// the client went away, the request's deadline passed, or PostgreSQL
// cancelled the statement (statement_timeout, a cancel request).
func Cancelled(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "57014" {
		return true
	}
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err)
}
