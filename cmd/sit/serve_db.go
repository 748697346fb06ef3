package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/internal/pg"
	"github.com/sit-gis/sit/internal/replica"
	"github.com/sit-gis/sit/layers"
)

// openServingPool gives the server its only pool: the reader's, after
// checking that the role cannot write and the schema is current. The
// owner's credentials are used only to migrate (--migrate), then let go.
func openServingPool(ctx context.Context, tgt pg.Target, s config.Server, log *slog.Logger, tracer pgx.QueryTracer) (*pgxpool.Pool, error) {
	if s.Migrate {
		owner, err := pg.Open(ctx, tgt.OwnerURL, pg.PoolOptions{MaxConns: 2, AppName: "sit migrate"})
		if err != nil {
			return nil, err
		}
		err = layers.Migrate(ctx, owner)
		owner.Close()
		if err != nil {
			return nil, err
		}
	}
	pool, err := pg.Open(ctx, tgt.ReaderURL, pg.PoolOptions{ReadOnly: true, StatementTimeout: s.StatementTimeout, MaxConns: s.MaxConns, AppName: "sit serve", Tracer: tracer})
	if err != nil {
		return nil, err
	}
	if err := checkServing(ctx, pool, log); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// openReplicas opens a read pool on each replica (not checked: a replica
// that is down at start gets no reads until it answers) and the router
// that spreads reads over them and the primary.
func openReplicas(ctx context.Context, g config.Global, s config.Server, primary *pgxpool.Pool, log *slog.Logger) (*replica.Pools, error) {
	var pools []*pgxpool.Pool
	for i, u := range g.ReplicaURLs {
		p, err := pg.Open(ctx, u, pg.PoolOptions{ReadOnly: true, StatementTimeout: s.StatementTimeout, MaxConns: s.MaxConns,
			AppName: "sit serve (replica)", Lazy: true})
		if err != nil {
			for _, o := range pools {
				o.Close()
			}
			return nil, fmt.Errorf("replica %d: %w", i+1, err)
		}
		pools = append(pools, p)
	}
	r := replica.New(primary, pools, log)
	r.Check(ctx)
	return r, nil
}

func checkServing(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	rep, err := pg.CheckReader(ctx, pool)
	if err != nil {
		return err
	}
	if err := rep.Err(); err != nil {
		return err
	}
	if len(rep.Warnings) > 0 {
		log.Warn("the serving role is not fully hardened", "role", rep.Role, "issues", strings.Join(rep.Warnings, "; "))
	}
	pending, err := layers.Pending(ctx, pool)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return fmt.Errorf("the database lacks %d migration(s) of this sit, from %s: run `sit db migrate` (or `sit db up`), or start the server once with --migrate", len(pending), pending[0].Name)
	}
	return nil
}
