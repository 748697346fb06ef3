package layers_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sit-gis/sit/internal/dbhealth/outagetest"
	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/layers"
)

// recordedLog keeps every record logged through it, at every level.
type recordedLog struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (l *recordedLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *recordedLog) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recs = append(l.recs, r)
	return nil
}
func (l *recordedLog) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *recordedLog) WithGroup(string) slog.Handler      { return l }

// count is the number of records at level whose message starts with msg.
func (l *recordedLog) count(level slog.Level, msg string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, r := range l.recs {
		if r.Level == level && strings.HasPrefix(r.Message, msg) {
			n++
		}
	}
	return n
}

// TestCatalogListenerLogsStateChanges: through a database outage during
// which several reconnections fail, the catalog listener logs one line
// when it is lost and one when it is back, like the database monitor;
// then it sees changes again.
func TestCatalogListenerLogsStateChanges(t *testing.T) {
	ctx := context.Background()
	url := dbtest.URL(t)
	owner, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(owner.Close)
	if err := layers.Migrate(ctx, owner); err != nil {
		t.Fatal(err)
	}
	proxy := outagetest.New(t, url)
	pool, err := pgxpool.New(ctx, proxy.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	log := &recordedLog{}
	cat := layers.NewCatalog(pool, slog.New(log))
	if err := cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	watch(t, ctx, cat)

	proxy.Stop()
	waitUntil(t, "three failed reconnections", func() bool {
		return log.count(slog.LevelDebug, "catalog listener: reconnection failed") >= 3
	})
	proxy.Start()
	waitUntil(t, "the listener back", func() bool { return log.count(slog.LevelInfo, "catalog listener back") > 0 })
	if lost, back := log.count(slog.LevelWarn, "catalog listener lost"), log.count(slog.LevelInfo, "catalog listener back"); lost != 1 || back != 1 {
		t.Fatalf("%d lines for the listener lost and %d for it back, want 1 and 1", lost, back)
	}
	store := layers.NewStore(owner, nil)
	importPoints(t, store, "dopo", 1, "a")
	waitUntil(t, "the catalog to see a layer imported after the outage", func() bool {
		_, ok := cat.Layer("dopo")
		return ok
	})
}

// waitUntil polls cond until it holds, failing after a deadline generous
// enough for a busy machine.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// watch runs the catalog's Watch until the test ends (and waits for it
// to return then).
func watch(t *testing.T, ctx context.Context, cat *layers.Catalog) {
	wctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { cat.Watch(wctx, nil); close(done) }()
	t.Cleanup(func() { stop(); <-done })
}
