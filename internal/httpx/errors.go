package httpx

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/sit-gis/sit/internal/dbhealth"
)

// RetryAfterOutage is the Retry-After (seconds) of answers during a
// database outage: the monitor probes every 200 ms, so a second is enough.
const RetryAfterOutage = 1

// WriteError is the one error writer of every handler. A *Problem goes out
// as it is; a body over the server's limit is a 413 naming "body"; a
// database outage is a 503 with Retry-After and no log line (the outage
// monitor logs one line per change, not one per request); a request that
// ran out of time is a 503; anything else is a 500 without detail (never
// an SQL text), with its cause logged.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var p *Problem
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &p):
		WriteProblem(w, r, p)
	case errors.As(err, &tooBig):
		tl := New(http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is larger than the server accepts (%d bytes)", tooBig.Limit))
		tl.Parameter = "body"
		WriteProblem(w, r, tl)
	case dbhealth.Unavailable(err):
		WriteProblem(w, r, Unavailable("the database is unavailable; retry in a moment", RetryAfterOutage))
	case dbhealth.Cancelled(err) || r.Context().Err() != nil:
		// The client went away (nobody reads this) or the request or its
		// statement ran out of time.
		WriteProblem(w, r, New(http.StatusServiceUnavailable, "the request took longer than the server allows; narrow it (bbox, filter, a smaller limit) or retry"))
	default:
		if log != nil {
			log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		WriteProblem(w, r, New(http.StatusInternalServerError, "internal error"))
	}
}
