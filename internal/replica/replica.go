// Package replica spreads the server's reads over PostgreSQL streaming
// replicas (hot standbys), with the primary as the fallback.
//
// A replica serves a read only while it is healthy and has replayed the WAL
// up to the position the catalog in use needs (its floor): a catalog that
// names a layer version makes the server read that version's table, which a
// replica that has not replayed the import does not have yet. The catalog
// (layers.Catalog) reads itself from the primary with the primary's WAL
// position, holds a new snapshot back until the replicas have replayed
// that position (Replayed), and raises the floor when it switches to it
// (Publish). A replica that lags behind the floor, stops answering or is
// no longer a standby gets no reads until it is back; with no replica
// usable every read goes to the primary.
package replica

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// DefaultInterval is how often each replica's health and replay position
// are read: a new layer version reaches the replicas' readers within about
// this much of their replaying it.
const DefaultInterval = 250 * time.Millisecond

// Pools routes reads to the replicas and the primary. It implements the
// read interfaces of the feature packages (Query, QueryRow, Acquire) and
// the catalog's layers.Gate (Replayed, Publish). Safe for concurrent use.
type Pools struct {
	primary  *pgxpool.Pool
	members  []*member
	log      *slog.Logger
	interval time.Duration
	// floor is the WAL position (bytes) the published catalog needs.
	floor atomic.Uint64
	next  atomic.Uint32
	// primaryReads counts the reads sent to the primary.
	primaryReads atomic.Int64
}

// member is one replica.
type member struct {
	name string // replica-1, …: never the URL, which holds a password
	pool *pgxpool.Pool
	// up: the last check answered and the server is a standby.
	up     atomic.Bool
	replay atomic.Uint64 // pg_last_wal_replay_lsn(), in bytes
	reads  atomic.Int64
	mu     sync.Mutex // serialises the state changes' log lines
	state  string     // "", "up", "down: …", "not a standby"
}

// New makes the router over a primary pool and replica pools (the order
// names them replica-1, replica-2, …). Call Check once before serving and
// Run to keep the states fresh.
func New(primary *pgxpool.Pool, replicas []*pgxpool.Pool, log *slog.Logger) *Pools {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &Pools{primary: primary, log: log, interval: DefaultInterval}
	for i, r := range replicas {
		p.members = append(p.members, &member{name: fmt.Sprintf("replica-%d", i+1), pool: r})
	}
	return p
}

// Replicas is the number of replicas configured.
func (p *Pools) Replicas() int { return len(p.members) }

// Check reads every replica's state once, at the same time.
func (p *Pools) Check(ctx context.Context) {
	var wg sync.WaitGroup
	for _, m := range p.members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.check(ctx, m)
		}()
	}
	wg.Wait()
}

// Run checks the replicas every interval until ctx ends.
func (p *Pools) Run(ctx context.Context) {
	if len(p.members) == 0 {
		return
	}
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		p.Check(ctx)
	}
}

// check reads one replica's recovery state and replay position.
func (p *Pools) check(ctx context.Context, m *member) {
	cctx, cancel := context.WithTimeout(ctx, max(4*p.interval, 2*time.Second))
	defer cancel()
	var standby bool
	var replay *int64
	err := m.pool.QueryRow(cctx, "SELECT pg_is_in_recovery(), (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint").Scan(&standby, &replay)
	switch {
	case ctx.Err() != nil:
		return
	case err != nil:
		p.setState(m, false, "down: "+err.Error())
	case !standby || replay == nil:
		// A promoted replica no longer follows the primary: its data stop
		// at the promotion, whatever the catalog says.
		p.setState(m, false, "not a standby")
	default:
		m.replay.Store(uint64(*replay))
		p.setState(m, true, "up")
	}
}

// setState records a replica's state, logging each change once; a replica
// going down loses its pooled connections (they lead to a server that is
// gone, and would fail one request each when it is back).
func (p *Pools) setState(m *member, up bool, state string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	was := m.up.Swap(up)
	if was && !up {
		m.pool.Reset()
	}
	if m.state == state || (!up && !was && m.state != "" && m.state != "up") {
		m.state = state
		return
	}
	m.state = state
	if up {
		p.log.Info("replica serving reads", "replica", m.name)
	} else {
		p.log.Warn("replica not used for reads", "replica", m.name, "state", state)
	}
}

// markDown takes a replica out of the rotation after a failed read, until
// its next check.
func (p *Pools) markDown(m *member, err error) {
	p.setState(m, false, "down: "+err.Error())
}

// Replayed reports whether every healthy replica has replayed the WAL up to
// lsn (true without replicas): the catalog publishes a new snapshot then.
func (p *Pools) Replayed(lsn uint64) bool {
	for _, m := range p.members {
		if m.up.Load() && m.replay.Load() < lsn {
			return false
		}
	}
	return true
}

// Publish raises the floor to lsn: from now on a replica serves only if it
// has replayed that far.
func (p *Pools) Publish(lsn uint64) {
	for {
		cur := p.floor.Load()
		if lsn <= cur || p.floor.CompareAndSwap(cur, lsn) {
			return
		}
	}
}

// candidates are the replicas that may serve a read now, starting from a
// different one each call, then nil for the primary.
func (p *Pools) candidates() []*member {
	n := len(p.members)
	out := make([]*member, 0, n+1)
	if n > 0 {
		floor := p.floor.Load()
		start := int(p.next.Add(1))
		for i := range n {
			m := p.members[(start+i)%n]
			if m.up.Load() && m.replay.Load() >= floor {
				out = append(out, m)
			}
		}
	}
	return append(out, nil)
}

func (p *Pools) poolOf(m *member) *pgxpool.Pool {
	if m == nil {
		p.primaryReads.Add(1)
		return p.primary
	}
	m.reads.Add(1)
	return m.pool
}

// retryElsewhere tells whether a read that failed on a replica may be sent
// to the next target: the replica is unreachable or restarting, or it
// cancelled the statement for a conflict with recovery. A read has no
// effects, so sending it again is safe as long as no row reached the caller.
func retryElsewhere(ctx context.Context, err error) bool {
	if err == nil || ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case len(pe.Code) == 5 && pe.Code[:2] == "08", pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03", pe.Code == "40001":
			return true
		}
		return false
	}
	// Not an answer of the server: the connection failed.
	return true
}

// Acquire takes a connection from the first usable target.
func (p *Pools) Acquire(ctx context.Context) (*pgxpool.Conn, error) {
	var err error
	for _, m := range p.candidates() {
		var c *pgxpool.Conn
		if c, err = p.poolOf(m).Acquire(ctx); err == nil {
			return c, nil
		}
		if m == nil || !retryElsewhere(ctx, err) {
			return nil, err
		}
		p.markDown(m, err)
	}
	return nil, err
}

// Query runs a read on the first usable target; one that fails before
// answering passes the read on to the next.
func (p *Pools) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	var err error
	for _, m := range p.candidates() {
		var rows pgx.Rows
		if rows, err = p.poolOf(m).Query(ctx, sql, args...); err == nil {
			return rows, nil
		}
		if m == nil || !retryElsewhere(ctx, err) {
			return nil, err
		}
		p.markDown(m, err)
	}
	return nil, err
}

// QueryRow runs a one-row read when the row is scanned, with Query's
// fallback.
func (p *Pools) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return &row{p: p, ctx: ctx, sql: sql, args: args}
}

type row struct {
	p    *Pools
	ctx  context.Context
	sql  string
	args []any
}

func (r *row) Scan(dest ...any) error {
	var err error
	for _, m := range r.p.candidates() {
		if err = r.p.poolOf(m).QueryRow(r.ctx, r.sql, r.args...).Scan(dest...); err == nil || errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if m == nil || !retryElsewhere(r.ctx, err) {
			return err
		}
		r.p.markDown(m, err)
	}
	return err
}

// State is one target's state, for logs, metrics and tests.
type State struct {
	Name   string
	Up     bool
	Replay uint64
	Reads  int64
}

// States lists the primary (first, always up as far as routing knows) and
// the replicas.
func (p *Pools) States() []State {
	out := []State{{Name: "primary", Up: true, Reads: p.primaryReads.Load()}}
	for _, m := range p.members {
		out = append(out, State{Name: m.name, Up: m.up.Load(), Replay: m.replay.Load(), Reads: m.reads.Load()})
	}
	return out
}

// Collectors are the router's metrics: reads per target, replicas up and
// how far each lags behind the catalog's floor.
func (p *Pools) Collectors() []prometheus.Collector {
	return []prometheus.Collector{collector{p}}
}

type collector struct{ p *Pools }

var (
	readsDesc = prometheus.NewDesc("sit_db_reads_total", "Reads (statements and connections) sent to each database target.", []string{"target"}, nil)
	upDesc    = prometheus.NewDesc("sit_db_replica_up", "1 while a replica answers and is a standby.", []string{"target"}, nil)
	usedDesc  = prometheus.NewDesc("sit_db_replica_usable", "1 while a replica serves reads: up, and replayed as far as the catalog in use needs.", []string{"target"}, nil)
)

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- readsDesc
	ch <- upDesc
	ch <- usedDesc
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	floor := c.p.floor.Load()
	for _, s := range c.p.States() {
		ch <- prometheus.MustNewConstMetric(readsDesc, prometheus.CounterValue, float64(s.Reads), s.Name)
		if s.Name == "primary" {
			continue
		}
		ch <- prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, b2f(s.Up), s.Name)
		ch <- prometheus.MustNewConstMetric(usedDesc, prometheus.GaugeValue, b2f(s.Up && s.Replay >= floor), s.Name)
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Close closes the replicas' pools (not the primary's, which its opener
// closes).
func (p *Pools) Close() {
	for _, m := range p.members {
		m.pool.Close()
	}
}
