// Package server wires SIT's HTTP surface: the middleware that bounds what
// a client can hold (deadlines, sizes, a per-address share), operations
// endpoints, and the routes of each feature package. Handlers live beside
// their core code (query, tiles, cadastre, reports, web, catalogapi); this
// package only mounts them.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sit-gis/sit/admin"
	"github.com/sit-gis/sit/auth"
	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/internal/dbhealth"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/internal/membudget"
	"github.com/sit-gis/sit/internal/replica"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/tiles"
)

// Deps are what the HTTP layer needs, built once by cmd/sit.
type Deps struct {
	Config config.Server
	Pool   *pgxpool.Pool // read-only role, on the primary
	// Reads routes the feature packages' reads over the replicas and the
	// primary (nil: all on Pool).
	Reads   *replica.Pools
	Catalog *layers.Catalog
	// Health is the database's state (nil: not watched); its counters go
	// to /metrics.
	Health *dbhealth.Monitor
	Log    *slog.Logger
	// AccessLog gets one record per request; nil: none.
	AccessLog *slog.Logger
	Version   string
	// Auth signs requests in (nil: no accounts, every request anonymous);
	// Admin serves /admin/… (nil: not mounted).
	Auth  *auth.Web
	Admin *admin.Service
	// Web is the web role's pool (nil: none): the register of zoning
	// certificates is written with it.
	Web *pgxpool.Pool
	// TileCache is the tiles' cache, shared with the admin API's purge
	// (nil: one of Config.TileCacheBytes).
	TileCache *tiles.Cache
	// Memory keeps the server within its memory budget, sizing TileCache
	// (nil: no budget); its figures go to /metrics.
	Memory *membudget.Controller
}

// New returns the root handler.
func New(d Deps) http.Handler {
	r := chi.NewRouter()
	m := newMetrics(d.Pool, d.Health)
	if d.Reads != nil {
		m.reg.MustRegister(d.Reads.Collectors()...)
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "sit_catalog_waiting_for_replicas",
			Help: "1 while a changed catalog (a new layer version) waits for the replicas to replay it."},
			func() float64 {
				if d.Catalog.Pending() {
					return 1
				}
				return 0
			}))
	}
	if d.TileCache != nil {
		m.reg.MustRegister(tileCacheGauges(d.TileCache)...)
	}
	if d.Memory != nil {
		m.reg.MustRegister(memoryGauges(d.Memory)...)
	}
	lim := d.Config.Limits
	if d.Auth == nil {
		d.Auth = auth.NewWeb(nil, auth.WebOptions{Log: d.Log})
	}
	r.Use(forwarded(parsePrefixes(d.Config.TrustedProxies)))
	r.Use(m.observe)
	r.Use(recoverer(d.Log))
	r.Use(accessLog(d.AccessLog))
	r.Use(httpx.HeaderLimit(d.Config.MaxHeaderBytes))
	r.Use(comuni(d.Catalog))
	r.Use(writeDeadlines(lim.WriteTimeout, d.Config.RequestTimeout))
	r.Use(bodyLimits(lim.MaxBodyBytes, lim.ReadTimeout, d.Config.UploadTimeout))
	r.Use(strictQuery)
	r.Use(deadline(d.Config.RequestTimeout, d.Config.UploadTimeout))
	r.Use(cors)
	r.Use(d.Auth.Middleware)
	r.Use(privateWhenSignedIn)
	httpx.Get(r, "/healthz", healthz)
	httpx.Get(r, "/readyz", readyz(d))
	httpx.Get(r, "/metrics", noParams(m.handler()))
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteProblem(w, r, httpx.NotFound("no resource at "+r.URL.Path))
	})
	r.MethodNotAllowed(methodNotAllowed)
	data := newPerIP(lim.MaxRequestsPerIP)
	r.Group(func(r chi.Router) {
		r.Use(data.limit)
		for _, mount := range dataMounts() {
			mount(d).Mount(r)
		}
	})
	viewer(d).Mount(r)
	d.Auth.Mount(r)
	if d.Admin != nil {
		d.Admin.Mount(r)
	}
	return r
}

// tileCacheGauges report what the tile cache holds: its bytes are counted
// as the memory they keep alive (arrays, keys, entries), which the memory
// limit allows for.
func tileCacheGauges(c *tiles.Cache) []prometheus.Collector {
	return []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "sit_tile_cache_bytes", Help: "Bytes the tile cache holds (bodies, keys, entries)."},
			func() float64 { return float64(c.Stats().Bytes) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "sit_tile_cache_entries", Help: "Tiles in the tile cache."},
			func() float64 { return float64(c.Stats().Entries) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "sit_tile_cache_capacity_bytes",
			Help: "Bytes the tile cache may hold now: what the memory budget leaves, at most its bound."},
			func() float64 { return float64(c.Capacity()) }),
	}
}

// memoryGauges report the memory budget and how it is shared (the Go
// memory limit in force is the runtime's go_gc_gomemlimit_bytes).
func memoryGauges(c *membudget.Controller) []prometheus.Collector {
	return []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "sit_memory_budget_bytes", Help: "Resident memory the server keeps to as a whole."},
			func() float64 { return float64(c.Budget()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "sit_memory_working_set_bytes",
			Help: "Peak over the last minute of the live heap outside the tile cache, which the cache yields room to."},
			func() float64 { return float64(c.WorkingSet()) }),
	}
}

// DB is what the feature packages read through: a pool, or the router
// over the replicas and the primary.
type DB interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Acquire(ctx context.Context) (*pgxpool.Conn, error)
}

// reads is where the feature packages read.
func (d Deps) reads() DB {
	if d.Reads != nil {
		return d.Reads
	}
	return d.Pool
}

// healthz answers 200 while the process serves.
func healthz(w http.ResponseWriter, r *http.Request) {
	if _, err := (httpx.Params{}).Parse(r); err != nil {
		httpx.WriteError(w, r, nil, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}

// noParams refuses any query parameter before h.
func noParams(h http.Handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := (httpx.Params{}).Parse(r); err != nil {
			httpx.WriteError(w, r, nil, err)
			return
		}
		h.ServeHTTP(w, r)
	}
}

// readyz answers 200 when the database answers, 503 with Retry-After when not.
func readyz(d Deps) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := (httpx.Params{}).Parse(r); err != nil {
			httpx.WriteError(w, r, d.Log, err)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := d.Pool.Ping(ctx); err != nil {
			httpx.WriteProblem(w, r, httpx.Unavailable("database unavailable", httpx.RetryAfterOutage))
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		if err := httpx.JSON(w, r, http.StatusOK, "application/json", map[string]any{"status": "ready", "layers": len(d.Catalog.Layers())}); err != nil {
			httpx.WriteError(w, r, d.Log, err)
		}
	}
}

// methodNotAllowed answers 405 with the methods the path has (Allow).
func methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	var allow []string
	if rc := chi.RouteContext(r.Context()); rc != nil && rc.Routes != nil {
		path := r.URL.RawPath
		if path == "" {
			path = r.URL.Path
		}
		for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
			if rc.Routes.Match(chi.NewRouteContext(), m, path) {
				allow = append(allow, m)
			}
		}
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	httpx.WriteProblem(w, r, httpx.New(http.StatusMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path))
}

// deadline gives every request a context deadline; the database calls made
// with it are cancelled when it passes or when the client goes away.
func deadline(d, upload time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			limit := d
			if isUpload(r) {
				limit = upload
			}
			ctx, cancel := context.WithTimeout(r.Context(), limit)
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
					httpx.WriteProblem(w, r, httpx.New(http.StatusInternalServerError, "internal error"))
				}
			}()
			next.ServeHTTP(w, r)
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
		h.Set("Access-Control-Expose-Headers", "ETag, Content-Crs, Content-Range, Content-Length, Link, Location, Retry-After")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Range, If-None-Match, If-Modified-Since, If-Range, Accept, Accept-Encoding, Content-Type, Authorization")
			h.Set("Access-Control-Max-Age", "86400")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
