package tiles

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/sit-gis/sit/internal/problem"
)

// writeError sends a *problem.Problem as is and any other error as a 500
// problem with no detail (never an SQL text), logging the cause.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var p *problem.Problem
	if errors.As(err, &p) {
		problem.Write(w, r, p)
		return
	}
	if r.Context().Err() != nil {
		// The client went away or the deadline passed: nobody to answer.
		problem.Write(w, r, problem.New(http.StatusServiceUnavailable, "the request was cancelled or took too long"))
		return
	}
	log.Error("tiles", "path", r.URL.Path, "err", err)
	problem.Write(w, r, problem.New(http.StatusInternalServerError, "internal error"))
}
