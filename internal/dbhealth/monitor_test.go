package dbhealth

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/sit-gis/sit/internal/dbhealth/outagetest"
	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/internal/logtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// The database goes away behind a proxy and comes back: the monitor logs
// one line each way however many queries fail, counts the outage, and the
// pool serves again once the database answers.
func TestMonitorOutage(t *testing.T) {
	proxy := outagetest.New(t, dbtest.URL(t))
	var logs logtest.Buffer
	m := NewMonitor(slog.New(slog.NewTextHandler(&logs, nil)), 50*time.Millisecond)
	cfg, err := pgxpool.ParseConfig(proxy.URL())
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Tracer = m
	cfg.MaxConns = 4
	ctx := t.Context()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	go m.Run(ctx, pool)
	query := func() error {
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		var one int
		return pool.QueryRow(qctx, "SELECT 1").Scan(&one)
	}
	if err := query(); err != nil {
		t.Fatal(err)
	}
	proxy.Stop()
	failures := 0
	for i := 0; i < 50; i++ {
		if err := query(); err != nil {
			if !Unavailable(err) {
				t.Fatalf("an outage error not seen as one: %v", err)
			}
			failures++
		}
	}
	if failures == 0 || !m.Down() {
		t.Fatalf("%d failures, down %v", failures, m.Down())
	}
	proxy.Start()
	waitFor(t, func() bool { return !m.Down() })
	if err := query(); err != nil {
		t.Fatalf("after the outage: %v", err)
	}
	out := logs.String()
	if strings.Count(out, "database unavailable") != 1 || strings.Count(out, "database available again") != 1 || strings.Count(out, "\n") != 2 {
		t.Fatalf("want one line down and one up, got:\n%s", out)
	}
	if n := counter(t, m.outages); n != 1 {
		t.Fatalf("outages %v", n)
	}
	if n := counter(t, m.failures); n < float64(failures) {
		t.Fatalf("failures counted %v, seen %d", n, failures)
	}
}

// waitFor polls cond until it holds, failing after a generous deadline.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func counter(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}
