// Package server wires SIT's HTTP surface: middleware, operations endpoints
// and the routes of each feature package. Handlers live beside their core
// code (query, tiles, reports); this package only mounts them.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/internal/problem"
	"github.com/sit-gis/sit/layers"
)

// Deps are what the HTTP layer needs, built once by cmd/sit.
type Deps struct {
	Config  config.Server
	Pool    *pgxpool.Pool // read-only role
	Catalog *layers.Catalog
	Log     *slog.Logger
	Version string
}

// New returns the root handler.
func New(d Deps) http.Handler {
	r := chi.NewRouter()
	m := newMetrics(d.Pool)
	r.Use(middleware.RealIP)
	r.Use(m.observe)
	r.Use(recoverer(d.Log))
	r.Use(requestLog(d.Log))
	r.Use(deadline(d.Config.RequestTimeout))
	r.Use(cors)
	r.Get("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	r.Get("/readyz", readyz(d))
	r.Method(http.MethodGet, "/metrics", m.handler())
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		problem.Write(w, r, problem.NotFound("no resource at "+r.URL.Path))
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		problem.Write(w, r, problem.New(http.StatusMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path))
	})
	mountAll(r, d)
	return r
}

// mountAll mounts every feature package's routes; each lives in its own
// routes_*.go file so that the packages grow independently.
func mountAll(r chi.Router, d Deps) {
	for _, m := range mounts() {
		m(r, d)
	}
}

// readyz answers 200 when the database answers.
func readyz(d Deps) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := d.Pool.Ping(ctx); err != nil {
			problem.Write(w, r, problem.New(http.StatusServiceUnavailable, "database unavailable"))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"status": "ready", "layers": len(d.Catalog.Layers())})
	}
}

// deadline gives every request a context deadline; the database calls made
// with it are cancelled when it passes or when the client goes away.
func deadline(d time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// recoverer turns a handler panic into a 500 problem and a log line.
func recoverer(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
						panic(v)
					}
					log.Error("handler panic", "path", r.URL.Path, "panic", v)
					problem.Write(w, r, problem.New(http.StatusInternalServerError, "internal error"))
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// requestLog logs each request at debug level, and errors at warn.
func requestLog(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
			next.ServeHTTP(ww, r)
			level := slog.LevelDebug
			if ww.Status() >= 500 {
				level = slog.LevelWarn
			}
			log.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path, "status", ww.Status(),
				"bytes", ww.BytesWritten(), "ms", time.Since(start).Milliseconds())
		})
	}
}

// cors opens the public, read-only API to web pages of any origin: MapLibre,
// OpenLayers or pmtiles.js on another host read tiles, features and
// archives (pmtiles.js sends Range, which needs a preflight).
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Origin") == "" {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", "ETag, Content-Crs, Content-Range, Content-Length, Link, Location")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Range, If-None-Match, If-Modified-Since, Accept, Accept-Encoding, Content-Type, Authorization")
			h.Set("Access-Control-Max-Age", "86400")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
