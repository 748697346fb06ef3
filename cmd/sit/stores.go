package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/auth"
	"github.com/sit-gis/sit/internal/pgcluster"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/planning"
)

// withOwnerStore runs f with the owner's store (migrated) and closes it
// after: the frame of every command that changes the catalog.
func (a *app) withOwnerStore(cmd *cobra.Command, f func(ctx context.Context, store *layers.Store) error) error {
	ctx := cmd.Context()
	store, done, err := a.ownerStore(ctx)
	if err != nil {
		return err
	}
	defer done()
	return f(ctx, store)
}

// withAuthStore runs f with the accounts' store and closes it after: the
// frame of the account and token commands.
func (a *app) withAuthStore(cmd *cobra.Command, f func(ctx context.Context, st *auth.Store) error) error {
	return a.withOwnerStore(cmd, func(ctx context.Context, store *layers.Store) error {
		return f(ctx, auth.NewStore(store.Pool(), auth.Options{}))
	})
}

// withPlanStore runs f with the planning register and closes it after: the
// frame of the plan and rules (NTA) commands.
func (a *app) withPlanStore(cmd *cobra.Command, f func(ctx context.Context, ps *planning.Store) error) error {
	return a.withOwnerStore(cmd, func(ctx context.Context, store *layers.Store) error {
		return f(ctx, planning.NewStore(store.Pool()))
	})
}

// withCatalog runs f as the operator (operatorView: every comune, every
// layer) with the owner's store and a catalog snapshot, and closes them
// after: the frame of the domain commands (parcel, report, certificate).
func (a *app) withCatalog(cmd *cobra.Command, f func(ctx context.Context, store *layers.Store, cat *access.Catalog) error) error {
	return a.withOwnerStore(cmd, func(ctx context.Context, store *layers.Store) error {
		ctx = operatorView(ctx)
		cat := layers.NewCatalog(store.Pool(), a.log)
		if err := cat.Refresh(ctx); err != nil {
			return err
		}
		return f(ctx, store, access.NewCatalog(cat))
	})
}

// cluster is the managed cluster of --data-dir (made or not).
func (a *app) cluster() (*pgcluster.Cluster, error) {
	return pgcluster.New(pgcluster.Options{Dir: a.global.DataDir, Logger: a.log})
}

// newTable is how the commands print a list: aligned columns under a
// header (cells separated by tabs); Flush writes it.
func newTable(w io.Writer, header string) *tabwriter.Writer {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	return tw
}

// storeCmd is the frame of a command that works on a store: with opens the
// store (a.withOwnerStore, a.withPlanStore, a.withAuthStore,
// a.withCertificates) and closes it after run.
func storeCmd[S any](use, short string, args cobra.PositionalArgs, with func(*cobra.Command, func(context.Context, S) error) error,
	run func(ctx context.Context, cmd *cobra.Command, args []string, st S) error) *cobra.Command {
	return &cobra.Command{Use: use, Short: short, Args: args, RunE: func(cmd *cobra.Command, argv []string) error {
		return with(cmd, func(ctx context.Context, st S) error { return run(ctx, cmd, argv, st) })
	}}
}
