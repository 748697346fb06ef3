package dbhealth

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// Monitor keeps the database's state from what the pool sees. It is the
// pool's tracer (pgx.QueryTracer, pgx.ConnectTracer, pgxpool.AcquireTracer):
// the first outage error marks the database down and logs one line; Run
// then drops the pool's connections and probes the database with fresh
// ones until it answers, and logs one line more.
// Requests in between get 503s from the error writer, unlogged.
type Monitor struct {
	log   *slog.Logger
	every time.Duration

	mu    sync.Mutex
	down  bool
	since time.Time
	wake  chan struct{}

	up       prometheus.GaugeFunc
	outages  prometheus.Counter
	failures prometheus.Counter
}

// NewMonitor makes a monitor that probes a down database every interval
// (0: 200 ms, so that service resumes well within a second of PostgreSQL
// accepting connections again).
func NewMonitor(log *slog.Logger, interval time.Duration) *Monitor {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if interval <= 0 {
		interval = 200 * time.Millisecond
	}
	m := &Monitor{log: log, every: interval, wake: make(chan struct{}, 1)}
	m.up = prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "sit_db_up", Help: "1 while the database answers, 0 during an outage."},
		func() float64 {
			if m.Down() {
				return 0
			}
			return 1
		})
	m.outages = prometheus.NewCounter(prometheus.CounterOpts{Name: "sit_db_outages_total", Help: "Database outages seen (changes from up to down)."})
	m.failures = prometheus.NewCounter(prometheus.CounterOpts{Name: "sit_db_unavailable_errors_total", Help: "Database operations that failed because the database was unreachable or restarting."})
	return m
}

// Collectors are the monitor's metrics, for the server's registry.
func (m *Monitor) Collectors() []prometheus.Collector {
	return []prometheus.Collector{m.up, m.outages, m.failures}
}

// Down reports whether the database is in an outage.
func (m *Monitor) Down() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.down
}

// Observe records the outcome of a database operation: an outage error
// marks the database down (logged once).
func (m *Monitor) Observe(err error) {
	if !Unavailable(err) {
		return
	}
	m.failures.Inc()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down {
		return
	}
	m.down, m.since = true, time.Now()
	m.outages.Inc()
	m.log.Warn("database unavailable: answering 503 until it is back", "err", err)
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// markUp ends an outage.
func (m *Monitor) markUp() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.down {
		return
	}
	m.down = false
	m.log.Info("database available again", "outage", time.Since(m.since).Round(time.Millisecond).String())
}

// Run acts on outages until ctx ends. When the database goes away the
// pool is reset at once: its connections lead to a server that is gone,
// and each would otherwise fail one more request after the database is
// back. Then a fresh connection with the pool's settings probes it every
// interval; when one answers, the outage ends. Requests do not wait for
// the monitor: the pool connects again as soon as the server accepts.
func (m *Monitor) Run(ctx context.Context, pool *pgxpool.Pool) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.wake:
		}
		pool.Reset()
		t := time.NewTicker(m.every)
		for m.Down() {
			if m.probe(ctx, pool) == nil {
				m.markUp()
				break
			}
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		t.Stop()
	}
}

func (m *Monitor) probe(ctx context.Context, pool *pgxpool.Pool) error {
	cfg := pool.Config().ConnConfig.Copy()
	cfg.Tracer = nil // probes must not feed the state they test
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(pctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(pctx))
	_, err = conn.Exec(pctx, "SELECT 1")
	return err
}

// TraceQueryStart implements pgx.QueryTracer.
func (m *Monitor) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}

// TraceQueryEnd implements pgx.QueryTracer.
func (m *Monitor) TraceQueryEnd(_ context.Context, _ *pgx.Conn, d pgx.TraceQueryEndData) {
	m.Observe(d.Err)
}

// TraceConnectStart implements pgx.ConnectTracer.
func (m *Monitor) TraceConnectStart(ctx context.Context, _ pgx.TraceConnectStartData) context.Context {
	return ctx
}

// TraceConnectEnd implements pgx.ConnectTracer.
func (m *Monitor) TraceConnectEnd(_ context.Context, d pgx.TraceConnectEndData) {
	m.Observe(d.Err)
}

// TraceAcquireStart implements pgxpool.AcquireTracer.
func (m *Monitor) TraceAcquireStart(ctx context.Context, _ *pgxpool.Pool, _ pgxpool.TraceAcquireStartData) context.Context {
	return ctx
}

// TraceAcquireEnd implements pgxpool.AcquireTracer.
func (m *Monitor) TraceAcquireEnd(_ context.Context, _ *pgxpool.Pool, d pgxpool.TraceAcquireEndData) {
	m.Observe(d.Err)
}
