package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/auth"
	"github.com/sit-gis/sit/internal/pgcluster"
	"github.com/sit-gis/sit/layers"
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

// cluster is the managed cluster of --data-dir (made or not).
func (a *app) cluster() (*pgcluster.Cluster, error) {
	return pgcluster.New(pgcluster.Options{Dir: a.global.DataDir, Logger: a.log})
}
