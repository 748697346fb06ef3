package main

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/internal/pg"
	"github.com/sit-gis/sit/layers"
)

// ownerStore opens the owner pool (migrated) for catalog commands.
func (a *app) ownerStore(ctx context.Context) (*layers.Store, func(), error) {
	tgt, err := pg.Resolve(ctx, a.global, a.log)
	if err != nil {
		return nil, nil, err
	}
	pool, err := pg.Open(ctx, tgt.OwnerURL, pg.PoolOptions{MaxConns: 4, AppName: "sit"})
	if err != nil {
		return nil, nil, err
	}
	if err := layers.Migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, nil, err
	}
	return a.layerStore(pool), pool.Close, nil
}

// layerStore is the catalog store over the owner pool, keeping the
// history the settings ask for.
func (a *app) layerStore(pool *pgxpool.Pool) *layers.Store {
	h := a.global.History
	return layers.NewStore(pool, a.log).WithRetention(layers.HistoryRetention(h.KeepVersions, h.KeepDays))
}

func newLayersCmd(a *app) *cobra.Command {
	cmd := storeCmd("layers", "List the catalog (name, kind, roles, geometry, features, version, updated, title)", cobra.NoArgs, a.withOwnerStore,
		func(ctx context.Context, cmd *cobra.Command, args []string, store *layers.Store) error {
			ls, err := layers.ListLayers(ctx, store.Pool())
			if err != nil {
				return err
			}
			tw := newTable(cmd.OutOrStdout(), "NAME\tKIND\tROLES\tGEOMETRY\tFEATURES\tVERSION\tCOMUNE\tVISIBILITY\tUPDATED\tTITLE")
			for _, l := range ls {
				c := l.Comune
				if c == "" {
					c = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n", l.Name, l.Kind, rolesText(l.Roles), l.GeometryType, l.FeatureCount, l.Version,
					c, l.Visibility, l.UpdatedAt.Local().Format(time.DateTime), l.Title)
			}
			return tw.Flush()
		})
	cmd.AddCommand(newLayersRmCmd(a), newLayersSetCmd(a), newLayersHistoryCmd(a))
	var imports struct{ limit int }
	hist := storeCmd("imports [NAME]", "Show the import history (status, counts, version)", cobra.MaximumNArgs(1), a.withOwnerStore,
		func(ctx context.Context, cmd *cobra.Command, args []string, store *layers.Store) error {
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			recs, err := store.Imports(ctx, name, imports.limit)
			if err != nil {
				return err
			}
			tw := newTable(cmd.OutOrStdout(), "ID\tLAYER\tSTATUS\tPHASE\tVERSION\tREAD\tLOADED\tREJECTED\tREPAIRED\tSTARTED\tSOURCE\tMESSAGE")
			for _, r := range recs {
				v := "-"
				if r.Version != nil {
					v = fmt.Sprint(*r.Version)
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", r.ID, r.Layer, r.Status, r.Phase, v, r.Read, r.Loaded,
					r.Rejected, r.Repaired, r.StartedAt.Local().Format(time.DateTime), r.SourceName, r.Message)
			}
			return tw.Flush()
		})
	hist.Flags().IntVar(&imports.limit, "limit", 20, "how many imports to show")
	cmd.AddCommand(hist)
	return cmd
}

func newLayersRmCmd(a *app) *cobra.Command {
	var yes bool
	cmd := storeCmd("rm NAME", "Remove a layer and its data (asks first on a terminal)", cobra.ExactArgs(1), a.withOwnerStore,
		func(ctx context.Context, cmd *cobra.Command, args []string, store *layers.Store) error {
			name := args[0]
			l, err := layers.GetLayer(ctx, store.Pool(), name)
			if err != nil {
				return err
			}
			ask := newAsker(cmd)
			if !yes && ask.interactive && !ask.Confirm(fmt.Sprintf("Remove layer %s (%s, %d %s features, version %d) and its data?", name, l.Kind, l.FeatureCount, l.GeometryType, l.Version)) {
				fmt.Fprintf(cmd.ErrOrStderr(), "layer %s kept\n", name)
				return exitError{code: 1}
			}
			if err := store.Delete(ctx, name); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "removed layer %s\n", name)
			return nil
		})
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask")
	return cmd
}
