package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/layers"
)

func newLayersHistoryCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "history NAME",
		Short: "A layer's versions: valid from–to, features, source, kept or dropped, pinned by certificates",
		Long: `A layer's history: each import made a version, valid from its commit (or
from the date sit import --valid-from gave) until the next one. Questions about
a past date (the zoning report's and /reports/uses' at=) read the version valid then, while its table is
kept: the retention settings (history.keep_versions, history.keep_days) say how
many; versions an issued certificate recorded are kept for good (PINNED).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withOwnerStore(cmd, func(ctx context.Context, store *layers.Store) error {
				if _, err := layers.GetLayer(ctx, store.Pool(), args[0]); err != nil {
					return err
				}
				vs, err := layers.History(ctx, store.Pool(), args[0])
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSONOut(cmd.OutOrStdout(), vs)
				}
				tw := newTable(cmd.OutOrStdout(), "VERSION\tVALID FROM\tVALID TO\tFEATURES\tTABLE\tPINNED\tSOURCE")
				for _, v := range vs {
					to, table, pinned := "(current)", v.Table, ""
					if v.ValidTo != nil {
						to = v.ValidTo.In(layers.Rome()).Format("02/01/2006 15:04")
					}
					if v.DroppedAt != nil {
						table = "dropped " + v.DroppedAt.In(layers.Rome()).Format("02/01/2006")
					}
					if v.Pinned {
						pinned = "yes"
					}
					fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\t%s\n", v.Version, v.ValidFrom.In(layers.Rome()).Format("02/01/2006 15:04"), to,
						v.FeatureCount, table, pinned, v.SourceName)
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "JSON output")
	return cmd
}
