// Package pg opens SIT's database connections: the managed cluster unless
// a URL is given, an owner pool for imports, a read-only pool for serving.
package pg

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/internal/pgcluster"
)

// Target says where the database is.
type Target struct {
	OwnerURL  string
	ReaderURL string
	// Cluster is the managed cluster, nil with --database-url.
	Cluster *pgcluster.Cluster
}

// Resolve returns the database to use: the URL when given, else the managed
// cluster in g.DataDir, started if needed.
func Resolve(ctx context.Context, g config.Global, log *slog.Logger) (Target, error) {
	if g.DatabaseURL != "" {
		if _, err := pgx.ParseConfig(g.DatabaseURL); err != nil {
			return Target{}, fmt.Errorf("--database-url: %w", err)
		}
		return Target{OwnerURL: g.DatabaseURL, ReaderURL: g.DatabaseURL}, nil
	}
	c, err := pgcluster.New(pgcluster.Options{Dir: g.DataDir, Logger: log})
	if err != nil {
		return Target{}, err
	}
	if err := c.Up(ctx); err != nil {
		return Target{}, fmt.Errorf("managed PostgreSQL in %s: %w", c.Dir(), err)
	}
	return Target{OwnerURL: c.OwnerURL(), ReaderURL: c.ReaderURL(), Cluster: c}, nil
}

// PoolOptions tune a pool.
type PoolOptions struct {
	// ReadOnly makes every transaction read-only (the serving pool).
	ReadOnly bool
	// StatementTimeout is set on every connection; 0 leaves the server's.
	StatementTimeout time.Duration
	MaxConns         int32
	AppName          string
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
