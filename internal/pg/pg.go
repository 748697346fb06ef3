// Package pg opens SIT's database connections: the managed cluster unless
// a URL is given, an owner pool for imports, a read-only pool for serving.
package pg

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/internal/pgcluster"
)

// Target says where the database is and as whom to log in.
type Target struct {
	// OwnerURL logs in as the owner of SIT's schemas (migrations, imports);
	// empty for a server that was not asked to migrate.
	OwnerURL string
	// ReaderURL logs in as the read-only serving role.
	ReaderURL string
	// WebURL logs in as the role that writes accounts, sessions, tokens
	// and the audit log (sit_auth); empty: the server has no accounts.
	WebURL string
	// Cluster is the managed cluster, nil with --database-url/--reader-url.
	Cluster *pgcluster.Cluster
}

// Resolve returns the database of the command-line tools: --database-url
// (the owner; --reader-url, else the same URL, for reading commands), or
// else the managed cluster in g.DataDir, started and bootstrapped if needed.
// It never creates a cluster: a missing one is an error naming the
// directory it looked in (only `sit db up` and `sit demo` create one, with
// ResolveOrCreate).
func Resolve(ctx context.Context, g config.Global, log *slog.Logger) (Target, error) {
	return resolve(ctx, g, log, false)
}

// ResolveReading is Resolve for commands that only read: --reader-url
// alone is enough (else --database-url, else the managed cluster).
func ResolveReading(ctx context.Context, g config.Global, log *slog.Logger) (Target, error) {
	if g.DatabaseURL == "" && g.ReaderURL != "" {
		t := Target{ReaderURL: g.ReaderURL}
		return t, checkURLs(t)
	}
	return Resolve(ctx, g, log)
}

// ResolveOrCreate is Resolve that initialises the managed cluster when
// there is none yet.
func ResolveOrCreate(ctx context.Context, g config.Global, log *slog.Logger) (Target, error) {
	return resolve(ctx, g, log, true)
}

func resolve(ctx context.Context, g config.Global, log *slog.Logger, create bool) (Target, error) {
	if g.DatabaseURL != "" || g.ReaderURL != "" {
		t := Target{OwnerURL: g.DatabaseURL, ReaderURL: g.ReaderURL, WebURL: g.WebURL}
		if t.ReaderURL == "" {
			t.ReaderURL = t.OwnerURL
		}
		if t.OwnerURL == "" {
			return Target{}, errors.New("this command writes as SIT's owner role: give --database-url (env DATABASE_URL)")
		}
		return t, checkURLs(t)
	}
	c, err := pgcluster.New(pgcluster.Options{Dir: g.DataDir, Logger: log})
	if err != nil {
		return Target{}, err
	}
	if !create && !c.Initialised() {
		return Target{}, fmt.Errorf("no SIT database in %s: run `sit db up` (or `sit demo`) to create one there, or give the right --data-dir (env SIT_DATA_DIR) or --database-url", c.Dir())
	}
	if err := c.Up(ctx); err != nil {
		return Target{}, fmt.Errorf("managed PostgreSQL in %s: %w", c.Dir(), err)
	}
	return Target{OwnerURL: c.OwnerURL(), ReaderURL: c.ReaderURL(), WebURL: c.WebURL(), Cluster: c}, nil
}

// ResolveServing returns the database of `sit serve`: the reader always,
// the owner only when owner is true (--migrate). It never uses the managed
// cluster's superuser: the cluster is only started, not bootstrapped.
func ResolveServing(ctx context.Context, g config.Global, log *slog.Logger, owner bool) (Target, error) {
	if g.DatabaseURL != "" || g.ReaderURL != "" {
		if g.ReaderURL == "" {
			return Target{}, errors.New("sit serve reads as a read-only role: give --reader-url (env SIT_READER_URL); --database-url is the owner's, used only with --migrate (`sit db grants` prints the roles to create)")
		}
		t := Target{ReaderURL: g.ReaderURL, WebURL: g.WebURL}
		if owner {
			if g.DatabaseURL == "" {
				return Target{}, errors.New("--migrate needs the owner's --database-url")
			}
			t.OwnerURL = g.DatabaseURL
		}
		return t, checkURLs(t)
	}
	c, err := pgcluster.New(pgcluster.Options{Dir: g.DataDir, Logger: log})
	if err != nil {
		return Target{}, err
	}
	if err := c.Start(ctx); err != nil {
		return Target{}, err
	}
	t := Target{ReaderURL: c.ReaderURL(), WebURL: c.WebURL(), Cluster: c}
	if owner {
		t.OwnerURL = c.OwnerURL()
	}
	return t, nil
}

func checkURLs(t Target) error {
	for flag, u := range map[string]string{"--database-url": t.OwnerURL, "--reader-url": t.ReaderURL, "--web-url": t.WebURL} {
		if u == "" {
			continue
		}
		if _, err := pgx.ParseConfig(u); err != nil {
			return fmt.Errorf("%s: %w", flag, err)
		}
	}
	return nil
}

// PoolOptions tune a pool.
type PoolOptions struct {
	// ReadOnly makes every transaction read-only (the serving pool).
	ReadOnly bool
	// StatementTimeout is set on every connection; 0 leaves the server's.
	StatementTimeout time.Duration
	MaxConns         int32
	AppName          string
	// Tracer sees every connect, acquire and query (dbhealth.Monitor).
	Tracer pgx.QueryTracer
	// Lazy skips the check that the database answers: a replica that is
	// down at start must not stop the server (reads go elsewhere).
	Lazy bool
}

// Open makes a pool and checks that the database answers.
func Open(ctx context.Context, url string, o PoolOptions) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database url: %w", err)
	}
	if o.MaxConns > 0 {
		cfg.MaxConns = o.MaxConns
	}
	if o.Tracer != nil {
		cfg.ConnConfig.Tracer = o.Tracer
	}
	rp := cfg.ConnConfig.RuntimeParams
	if o.AppName != "" {
		rp["application_name"] = o.AppName
	}
	if o.StatementTimeout > 0 {
		rp["statement_timeout"] = strconv.FormatInt(o.StatementTimeout.Milliseconds(), 10)
	}
	if o.ReadOnly {
		rp["default_transaction_read_only"] = "on"
	}
	// Parallel workers cost more than they save on the short queries of a
	// tile or a page, and they multiply connections under load.
	rp["max_parallel_workers_per_gather"] = "0"
	rp["jit"] = "off"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	if o.Lazy {
		return pool, nil
	}
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to %s: %w", Redact(url), err)
	}
	return pool, nil
}

// Redact hides the password of a URL for messages.
func Redact(url string) string {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return "(invalid database URL)"
	}
	return fmt.Sprintf("postgres://%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}
