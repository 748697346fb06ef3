package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/internal/dbhealth"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/internal/pg"
	"github.com/sit-gis/sit/internal/server"
	"github.com/sit-gis/sit/layers"
)

func newServeCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the HTTP API (and the viewer) on --addr",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s := a.cfg.Server
			if err := s.CheckPaths(); err != nil {
				return usageError{err}
			}
			tgt, err := pg.ResolveServing(cmd.Context(), a.global, a.log, s.NeedsOwner())
			if err != nil {
				return err
			}
			return a.serve(cmd.Context(), tgt, s)
		},
	}
	serverFlags(cmd)
	return cmd
}

// serve serves with the read-only role until ctx ends (SIGINT/SIGTERM);
// see shutdown. With --migrate it first migrates as the owner and closes
// that pool.
func (a *app) serve(ctx context.Context, tgt pg.Target, s config.Server) error {
	health := dbhealth.NewMonitor(a.log, 0)
	pool, err := openServingPool(ctx, tgt, s, a.log, health)
	if err != nil {
		return err
	}
	reads, err := openReplicas(ctx, a.global, s, pool, a.log)
	if err != nil {
		pool.Close()
		return err
	}
	defer reads.Close()
	cat := layers.NewCatalog(pool, a.log)
	if reads.Replicas() > 0 {
		cat.SetGate(reads, a.global.ReplicaMaxLag)
	}
	if err := cat.Refresh(ctx); err != nil {
		pool.Close()
		return err
	}
	if err := warnPublishDrift(ctx, pool, a.cfg.Publish, a.log); err != nil {
		pool.Close()
		return err
	}
	acc, err := a.openAccess(ctx, tgt, s, pool, cat)
	if err != nil {
		pool.Close()
		return err
	}
	mem := memoryBudget(s, acc.tileCache, a.log)
	wctx, stopWatch := context.WithCancel(ctx)
	go cat.Watch(wctx, nil)
	go mem.Run(wctx)
	go health.Run(wctx, pool)
	go reads.Run(wctx)
	defer func() {
		stopWatch()
		acc.close()
		closePool(pool, a.log)
	}()

	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.Addr, err)
	}
	// net/http's own early answers (431, a malformed request) as problems.
	ln = httpx.ProblemListener(ln, s.MaxHeaderBytes)
	// Requests run under a context of their own, cancelled when the
	// shutdown grace is over.
	reqCtx, cancelRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRequests()
	srv := &http.Server{
		Handler: server.New(server.Deps{Config: s, Pool: pool, Reads: reads, Catalog: cat, Health: health, Log: a.log, AccessLog: a.access,
			Version: readBuildInfo().String(), Auth: acc.web, Admin: acc.admin, TileCache: acc.tileCache, Memory: mem, Web: acc.webPool}),
		ReadHeaderTimeout: s.ReadHeaderTimeout,
		IdleTimeout:       s.IdleTimeout,
		MaxHeaderBytes:    s.MaxHeaderBytes,
		BaseContext:       func(net.Listener) context.Context { return reqCtx },
		// net/http logs what clients do wrong (bad TLS, a ';' in a query):
		// not worth a line each at the default level.
		ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelDebug),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	a.log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "layers", len(cat.Layers()), "replicas", reads.Replicas(), "memory_budget", mem.Budget(), "memory_limit", mem.Limit(), "tile_cache", mem.Capacity(), "version", readBuildInfo().String(),
		"public_url", s.PublicURL, "trusted_proxies", s.TrustedProxies, "access_log", a.access != nil, "config", a.cfg.File)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown(srv, cancelRequests, s.ShutdownGrace, a.log)
	return nil
}

// shutdown stops accepting connections, lets the requests in progress
// finish for at most grace, then cancels what is left (their statements
// are cancelled inside PostgreSQL) and closes every connection, whatever
// the clients do.
func shutdown(srv *http.Server, cancelRequests context.CancelFunc, grace time.Duration, log *slog.Logger) {
	log.Info("shutting down", "grace", grace.String())
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("shutdown grace over: cancelling the requests left", "err", err)
	}
	cancelRequests()
	_ = srv.Close()
}

// closePool closes the pool, waiting at most a few seconds for connections
// still acquired (pgxpool.Close waits for every one): the process exits
// either way, and PostgreSQL ends the sessions of a closed socket.
func closePool(pool *pgxpool.Pool, log *slog.Logger) {
	done := make(chan struct{})
	go func() {
		pool.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		log.Warn("database connections still in use at exit; leaving them to the operating system")
	}
}
