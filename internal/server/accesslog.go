package server

import (
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5/middleware"
)

// accessLog logs one record per request once it is answered: method,
// path, query (secrets masked), status, bytes, duration and the client's
// address (the proxy's, unless it is a trusted proxy that said whose).
// Failures are explained elsewhere, where they are understood: a 500's
// cause by the error writer, an outage once by the database monitor.
func accessLog(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if log == nil {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
			next.ServeHTTP(ww, r)
			log.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.String("query", maskQuery(r.URL.RawQuery)), slog.Int("status", ww.Status()),
				slog.Int("bytes", ww.BytesWritten()), slog.Int64("ms", time.Since(start).Milliseconds()),
				slog.String("client", clientIP(r)))
		})
	}
}

// secretParam reports whether a query parameter's values must never
// reach a log: tokens, passwords, OAuth/OIDC codes and states.
func secretParam(name string) bool {
	switch strings.ToLower(name) {
	case "token", "access_token", "id_token", "refresh_token", "api_key", "apikey", "key",
		"password", "passwd", "secret", "client_secret", "code", "state", "session":
		return true
	}
	return false
}

// maskQuery hides the values of secret parameters, keeping the rest of
// the query as it came; a query that does not parse is logged as its
// length only (it may hold anything).
func maskQuery(raw string) string {
	if raw == "" {
		return ""
	}
	if _, err := url.ParseQuery(raw); err != nil {
		return "(unparsable, " + strconv.Itoa(len(raw)) + " bytes)"
	}
	pairs := strings.Split(raw, "&")
	for i, p := range pairs {
		k, _, _ := strings.Cut(p, "=")
		if name, err := url.QueryUnescape(k); err == nil && secretParam(name) {
			pairs[i] = k + "=********"
		}
	}
	return strings.Join(pairs, "&")
}
