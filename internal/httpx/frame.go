package httpx

import (
	"log/slog"
	"net/http"
)

// Func is a handler that returns its failure instead of writing it. Every
// step of a handler (parse the query, call the core, write the document)
// may fail with a *Problem or a server fault; Handle answers them all the
// one way, so a handler reads as its steps. A Func returns an error only
// before it has written anything.
type Func func(w http.ResponseWriter, r *http.Request) error

// Handle makes an http.HandlerFunc of h: an error it returns goes out
// through WriteError (server faults logged on log).
func Handle(log *slog.Logger, h Func) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			WriteError(w, r, log, err)
		}
	}
}
