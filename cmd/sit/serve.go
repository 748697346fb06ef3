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
	"github.com/sit-gis/sit/internal/pg"
	"github.com/sit-gis/sit/internal/server"
	"github.com/sit-gis/sit/layers"
)

func serveFlags(cmd *cobra.Command, s *config.Server) {
	f := cmd.Flags()
	f.StringVar(&s.Addr, "addr", s.Addr, "listen address")
	f.StringVar(&s.PublicURL, "public-url", s.PublicURL, "external base URL used in links (default: from the request)")
	f.DurationVar(&s.RequestTimeout, "request-timeout", s.RequestTimeout, "deadline of every request")
	f.DurationVar(&s.StatementTimeout, "statement-timeout", s.StatementTimeout, "PostgreSQL statement_timeout of every query")
	f.Int32Var(&s.MaxConns, "max-conns", s.MaxConns, "database connections of the server")
	f.IntVar(&s.MaxLimit, "max-limit", s.MaxLimit, "largest page of features (limit) a client may ask")
	f.Int64Var(&s.TileCacheBytes, "tile-cache-bytes", s.TileCacheBytes, "size of the in-process tile cache in bytes (0 disables it)")
	f.StringVar(&s.TileCacheControl, "tile-cache-control", s.TileCacheControl, "Cache-Control header of tiles")
	f.IntVar(&s.TileConcurrency, "tile-concurrency", s.TileConcurrency, "tile statements run at once (0: 4 × CPUs)")
	f.StringVar(&s.PMTilesDir, "pmtiles-dir", s.PMTilesDir, "directory, or s3://BUCKET[/PREFIX]?… bucket, of PMTiles archives to serve under /pmtiles/")
	f.StringVar(&s.Basemap, "basemap", s.Basemap, "base map for the viewer: a raster tile URL template ({z}/{x}/{y}), a WMS URL, or a style URL")
	f.StringVar(&s.Comune, "comune", s.Comune, "name of the municipality shown in reports")
	f.Float64Var(&s.SliverMinAreaM2, "sliver-min-area", s.SliverMinAreaM2, "zoning report: pieces smaller than this many m² are border effects")
	f.Float64Var(&s.SliverMinPct, "sliver-min-pct", s.SliverMinPct, "zoning report: pieces smaller than this % of the parcel are border effects")
	f.IntVar(&s.MaxReportParcels, "max-report-parcels", s.MaxReportParcels, "most parcels in one zoning report")
	f.BoolVar(&s.Migrate, "migrate", s.Migrate, "apply pending migrations at start (logs in as the owner, then lets go); without it the server holds only the reader's credentials")
	limitFlags(cmd, &s.Limits)
}

// limitFlags are the bounds on what one client can hold (README: Limits).
func limitFlags(cmd *cobra.Command, l *config.Limits) {
	f := cmd.Flags()
	f.DurationVar(&l.ReadHeaderTimeout, "read-header-timeout", l.ReadHeaderTimeout, "time a client has to send its request line and headers")
	f.DurationVar(&l.ReadTimeout, "read-timeout", l.ReadTimeout, "time a client has to send a request body")
	f.DurationVar(&l.WriteTimeout, "write-timeout", l.WriteTimeout, "time each write of a response may take (a client that stops reading is cut off)")
	f.DurationVar(&l.IdleTimeout, "idle-timeout", l.IdleTimeout, "idle keep-alive connections are closed after this")
	f.IntVar(&l.MaxHeaderBytes, "max-header-bytes", l.MaxHeaderBytes, "largest request line and headers (431 past it)")
	f.Int64Var(&l.MaxBodyBytes, "max-body-bytes", l.MaxBodyBytes, "largest request body (413 past it)")
	f.IntVar(&l.MaxRequestsPerIP, "max-requests-per-ip", l.MaxRequestsPerIP, "requests one client address may have in progress on the data routes (429 past it; 0: no bound)")
	f.DurationVar(&l.ShutdownGrace, "shutdown-grace", l.ShutdownGrace, "on SIGTERM, how long requests in progress may finish before they are cancelled")
	f.IntVar(&l.LargePages, "large-pages", l.LargePages, "feature pages of more than 1 000 features produced at once (0: one per CPU); the others wait their turn")
}

func newServeCmd(a *app) *cobra.Command {
	s := config.DefaultServer()
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the HTTP API (and the viewer) on --addr",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := s.Validate(); err != nil {
				return err
			}
			tgt, err := pg.ResolveServing(cmd.Context(), a.global, a.log, s.NeedsOwner())
			if err != nil {
				return err
			}
			return a.serve(cmd.Context(), tgt, s)
		},
	}
	serveFlags(cmd, &s)
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
	cat := layers.NewCatalog(pool, a.log)
	if err := cat.Refresh(ctx); err != nil {
		pool.Close()
		return err
	}
	wctx, stopWatch := context.WithCancel(ctx)
	go cat.Watch(wctx, nil)
	go health.Run(wctx, pool)
	defer func() {
		stopWatch()
		closePool(pool, a.log)
	}()

	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.Addr, err)
	}
	// Requests run under a context of their own, cancelled when the
	// shutdown grace is over.
	reqCtx, cancelRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRequests()
	srv := &http.Server{
		Handler:           server.New(server.Deps{Config: s, Pool: pool, Catalog: cat, Health: health, Log: a.log, Version: version}),
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
	a.log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "layers", len(cat.Layers()))
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
