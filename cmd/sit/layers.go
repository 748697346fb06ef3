package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

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
	return layers.NewStore(pool, a.log), pool.Close, nil
}

func newLayersCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "layers",
		Short: "List the catalog (name, kind, features, version, updated)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			store, done, err := a.ownerStore(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			ls, err := layers.ListLayers(cmd.Context(), store.Pool())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tKIND\tGEOMETRY\tFEATURES\tVERSION\tUPDATED\tTITLE")
			for _, l := range ls {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\t%s\n", l.Name, l.Kind, l.GeometryType, l.FeatureCount, l.Version,
					l.UpdatedAt.Local().Format(time.DateTime), l.Title)
			}
			return tw.Flush()
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "rm NAME",
		Short: "Remove a layer and its data",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, done, err := a.ownerStore(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			if err := store.Delete(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "removed layer %s\n", args[0])
			return nil
		},
	})
	var imports struct{ limit int }
	hist := &cobra.Command{
		Use:   "imports [NAME]",
		Short: "Show the import history (status, counts, version)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			store, done, err := a.ownerStore(cmd.Context())
			if err != nil {
				return err
			}
			defer done()
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			recs, err := store.Imports(cmd.Context(), name, imports.limit)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tLAYER\tSTATUS\tVERSION\tREAD\tLOADED\tREJECTED\tREPAIRED\tSTARTED\tSOURCE\tMESSAGE")
			for _, r := range recs {
				v := "-"
				if r.Version != nil {
					v = fmt.Sprint(*r.Version)
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", r.ID, r.Layer, r.Status, v, r.Read, r.Loaded,
					r.Rejected, r.Repaired, r.StartedAt.Local().Format(time.DateTime), r.SourceName, r.Message)
			}
			return tw.Flush()
		},
	}
	hist.Flags().IntVar(&imports.limit, "limit", 20, "how many imports to show")
	cmd.AddCommand(hist)
	return cmd
}
