package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/internal/config"
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
	f.StringVar(&s.PMTilesDir, "pmtiles-dir", s.PMTilesDir, "directory of PMTiles archives to serve under /pmtiles/")
	f.StringVar(&s.Basemap, "basemap", s.Basemap, "base map for the viewer: a raster tile URL template ({z}/{x}/{y}), a WMS URL, or a style URL")
	f.StringVar(&s.Comune, "comune", s.Comune, "name of the municipality shown in reports")
	f.Float64Var(&s.SliverMinAreaM2, "sliver-min-area", s.SliverMinAreaM2, "zoning report: pieces smaller than this many m² are border effects")
	f.Float64Var(&s.SliverMinPct, "sliver-min-pct", s.SliverMinPct, "zoning report: pieces smaller than this % of the parcel are border effects")
	f.IntVar(&s.MaxReportParcels, "max-report-parcels", s.MaxReportParcels, "most parcels in one zoning report")
	f.BoolVar(&s.Migrate, "migrate", s.Migrate, "apply pending migrations at start (logs in as the owner, then lets go); without it the server holds only the reader's credentials")
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

// serve serves with the read-only role until ctx ends (SIGINT/SIGTERM),
// draining requests in flight. With --migrate it first migrates as the
// owner and closes that pool.
func (a *app) serve(ctx context.Context, tgt pg.Target, s config.Server) error {
	pool, err := openServingPool(ctx, tgt, s, a.log)
	if err != nil {
		return err
	}
	defer pool.Close()
	cat := layers.NewCatalog(pool, a.log)
	if err := cat.Refresh(ctx); err != nil {
		return err
	}
	wctx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go cat.Watch(wctx, nil)

	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.Addr, err)
	}
	srv := &http.Server{
		Handler:           server.New(server.Deps{Config: s, Pool: pool, Catalog: cat, Log: a.log, Version: version}),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	a.log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "layers", len(cat.Layers()))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}
