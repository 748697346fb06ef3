package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/layers"
)

// newPublishCmd publishes the office's own schemas or relations: served as
// they are, without an import (layers.Store.Publish).
func newPublishCmd(a *app) *cobra.Command {
	var o struct {
		key, geometry, visibility, kind string
		roles                           []string
		noTrack, list, remove, config   bool
		mercator, dryRun, noTileCopy    bool
	}
	cmd := &cobra.Command{
		Use:   "publish SCHEMA[.RELATION]… [--key COL] [--geometry COL] [--visibility V] [--no-track] [--no-tile-copy] | --list | --from-config | --remove SCHEMA[.RELATION]…",
		Short: "Serve the database's own tables, views and materialized views, without importing them",
		Long: `Publish a whole schema (every relation with a geometry column, now and
later) or one relation. SIT lets its reader role read them and, on each
table the owner role may alter, installs a statement-level trigger that
bumps the table's version at every committed edit, so tiles, counts and
ETags change with the data on every server. What the owner role may not
do is printed: the tables' owner (or a DBA) runs those statements.

--key names a unique column to use as feature id (views have no key the
catalog can see); --geometry chooses the geometry column of a relation with
several (else each geometry column is a collection of its own).

Functions are published by name only: a tile function (z, x, y [, …])
returning bytea, or a function returning rows with a geometry column.

--from-config publishes the [[publish]] tables of the configuration file
and unpublishes the sources it published before that the file no longer
names (never those published by hand or through the admin API); it
prints each step, and with --dry-run only prints them. sit serve, which
holds only the reader's credentials, warns where the database differs.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if (o.list || o.config) == (len(args) > 0) || (o.list && o.config) {
				return usageError{fmt.Errorf("name schemas or relations to publish, or give --list or --from-config")}
			}
			if o.dryRun && !o.config {
				return usageError{fmt.Errorf("--dry-run goes with --from-config")}
			}
			store, done, err := a.ownerStore(ctx)
			if err != nil {
				return err
			}
			defer done()
			if o.list {
				return listPublished(cmd, store)
			}
			if o.config {
				return publishFromConfig(cmd, a, store, o.dryRun)
			}
			for _, arg := range args {
				schema, rel, _ := strings.Cut(arg, ".")
				var rep layers.PublishReport
				if o.remove {
					rep, err = store.Unpublish(ctx, schema, rel)
				} else {
					rep, err = store.Publish(ctx, layers.PublishSpec{Schema: schema, Relation: rel, Key: o.key, Geometry: o.geometry,
						Visibility: layers.Visibility(o.visibility), NoTrack: o.noTrack, Mercator: o.mercator, NoTileCopy: o.noTileCopy, Kind: layers.Kind(o.kind), Roles: o.roles})
				}
				if err != nil {
					return err
				}
				printPublishReport(cmd, arg, o.remove, rep)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.key, "key", "", "a unique column to use as feature id (one relation)")
	f.StringVar(&o.geometry, "geometry", "", "the geometry column of a relation with several (one relation)")
	f.StringVar(&o.visibility, "visibility", "public", "who sees it: public, professional or internal")
	f.StringVar(&o.kind, "kind", "generic", "the relation's kind, when it has that kind's canonical columns (one relation)")
	f.StringSliceVar(&o.roles, "role", nil, "roles the relation plays, e.g. cadastre (one relation; checked against --kind)")
	f.BoolVar(&o.noTrack, "no-track", false, "install no change trigger (edits show within "+layers.UntrackedTTL.String()+")")
	f.BoolVar(&o.noTileCopy, "no-tile-copy", false, "keep no tile copy of the tables (their tiles transform every row; their writes pay nothing for it)")
	f.BoolVar(&o.mercator, "mercator", false, "add to each table a generated Web Mercator copy of its geometry and its index, for faster tiles (rewrites the table under lock)")
	f.BoolVar(&o.list, "list", false, "list the published relations and functions, tracked or not, with notes")
	f.BoolVar(&o.remove, "remove", false, "unpublish (and remove the change triggers)")
	f.BoolVar(&o.config, "from-config", false, "publish the configuration file's [[publish]] tables and unpublish those it published before and no longer names")
	f.BoolVar(&o.dryRun, "dry-run", false, "with --from-config: print what would be published and unpublished, change nothing")
	return cmd
}

func printPublishReport(cmd *cobra.Command, what string, removed bool, rep layers.PublishReport) {
	out := cmd.OutOrStdout()
	verb := "published"
	if removed {
		verb = "unpublished"
	}
	fmt.Fprintf(out, "%s %s: %d relations (%s), %d tracked\n", verb, what, len(rep.Relations), strings.Join(rep.Relations, ", "), len(rep.Tracked))
	if rep.EventTrigger && !removed {
		fmt.Fprintln(out, "event trigger "+layers.DDLTrigger+": relations created and partitions attached later are readable and tracked at once")
	}
	if len(rep.Pending) > 0 {
		fmt.Fprintln(out, "the owner role may not do the following; the relations' owner (or a DBA) should run:")
		for _, s := range rep.Pending {
			fmt.Fprintln(out, "  "+s)
		}
	}
	if len(rep.Copied) > 0 && !removed {
		fmt.Fprintln(out, "tiles read SIT's tile copy (Web Mercator, kept exact by triggers; --no-tile-copy declines it) of: "+strings.Join(rep.Copied, ", "))
	}
	if len(rep.Advice) > 0 {
		fmt.Fprintln(out, "tiles of these tables transform every row into Web Mercator; a stored copy makes them as fast as an import (the owner may run, when a rewrite of the table under lock suits):")
		for _, s := range rep.Advice {
			fmt.Fprintln(out, "  "+s)
		}
	}
}

func listPublished(cmd *cobra.Command, store *layers.Store) error {
	ls, skipped, err := layers.ListPublished(cmd.Context(), store.Pool(), time.Now())
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tORIGIN\tGEOMETRY\tSRID\tKEY\tTRACKED\tVERSION\tVISIBILITY\tNOTES")
	for _, l := range ls {
		key := l.KeyColumn()
		if key == "" {
			key = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s %s\t%d\t%s\t%t\t%d\t%s\t%s\n", l.Name, l.Source.Origin, l.GeometryColumn(), l.GeometryType, l.SRID(), key,
			l.Source.Tracked, l.Version, l.Visibility, strings.Join(l.Source.Notes, "; "))
	}
	gaps, err := layers.PublishedGaps(cmd.Context(), store.Pool())
	if err != nil {
		return err
	}
	for _, g := range gaps {
		skipped = append(skipped, g.Schema+"."+g.Relation+": "+g.Note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// Notes are long: outside the table's columns.
	for _, s := range skipped {
		fmt.Fprintf(cmd.OutOrStdout(), "not served: %s\n", s)
	}
	return nil
}
