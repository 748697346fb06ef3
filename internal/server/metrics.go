package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sit-gis/sit/internal/dbhealth"
)

// metrics are the server's Prometheus metrics. They live in a registry of
// their own (one per server, so tests can build several); /metrics also
// exposes the default registry, where the Go runtime, the process and
// go-pmtiles register theirs.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.HistogramVec
	inFlight prometheus.Gauge
}

func newMetrics(pool *pgxpool.Pool, health *dbhealth.Monitor) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "sit_http_request_duration_seconds",
			Help:    "HTTP requests by route pattern, method and status, with their duration.",
			Buckets: []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "method", "status"}),
	}
	m.inFlight = prometheus.NewGauge(prometheus.GaugeOpts{Name: "sit_http_requests_in_flight",
		Help: "Requests being handled or sent, including responses waiting on a slow client."})
	m.reg.MustRegister(m.requests, m.inFlight)
	if health != nil {
		m.reg.MustRegister(health.Collectors()...)
	}
	if pool != nil {
		stat := func(name, help string, f func(*pgxpool.Stat) float64) {
			m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help},
				func() float64 { return f(pool.Stat()) }))
		}
		stat("sit_db_connections_total", "Connections of the read pool.", func(s *pgxpool.Stat) float64 { return float64(s.TotalConns()) })
		stat("sit_db_connections_acquired", "Connections in use.", func(s *pgxpool.Stat) float64 { return float64(s.AcquiredConns()) })
		stat("sit_db_acquire_wait_seconds_total", "Time spent waiting for a connection.", func(s *pgxpool.Stat) float64 { return s.AcquireDuration().Seconds() })
	}
	return m
}

// handler serves the metrics in the Prometheus text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(prometheus.Gatherers{m.reg, prometheus.DefaultGatherer}, promhttp.HandlerOpts{})
}

// observe records each request under its route pattern (not its path, so
// that /tiles/a/1/2/3.mvt and /tiles/a/4/5/6.mvt are one series).
func (m *metrics) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		route := "unmatched"
		if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
			route = rc.RoutePattern()
		}
		status := ww.Status()
		if status == 0 {
			status = http.StatusOK
		}
		m.requests.WithLabelValues(route, r.Method, strconv.Itoa(status)).Observe(time.Since(start).Seconds())
	})
}
