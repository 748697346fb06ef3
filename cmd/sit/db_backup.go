package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/internal/backup"
	"github.com/sit-gis/sit/internal/pg"
	"github.com/sit-gis/sit/internal/pgcluster"
)

func newDBBackupCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent backup of SIT's database (layers, catalog, grants) to FILE",
		Long: `Write SIT's database to FILE: a pg_dump (custom format) of the schemas SIT's
owner owns, with their grants, and a manifest of the layers, their versions
and feature counts, read in the same snapshot while imports and the server
go on. The file appears only once complete (mode 0600; it holds every
layer and account, no password). The managed cluster, or --database-url.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			tgt, err := pg.Resolve(ctx, a.global, a.log)
			if err != nil {
				return err
			}
			m, err := backup.Backup(ctx, backup.Options{OwnerURL: tgt.OwnerURL, BinDir: binDir(tgt.Cluster), Path: args[0],
				SitVersion: readBuildInfo().String(), Log: a.log})
			if err != nil {
				return fmt.Errorf("backup: %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "backup %s: %s\n", args[0], summary(m))
			return nil
		},
	}
}

func newDBRestoreCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "restore FILE",
		Short: "Restore a backup into a fresh data directory (or an empty --database-url), migrate it and check it",
		Long: `Restore FILE, written by sit db backup, into a fresh managed cluster in
--data-dir (created here, with new passwords in its cluster.json) or into an
empty database given by --database-url (prepared with sit db grants). It
never restores over data: a database that holds SIT's schemas is refused.
The load is one transaction; then this sit's migrations are applied (a
backup made by an older sit is brought up to date) and the layers, their
versions and feature counts are compared with the backup's manifest.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			m, err := backup.ReadManifest(args[0])
			if err != nil {
				return err
			}
			o := backup.Options{OwnerURL: a.global.DatabaseURL, Path: args[0], Log: a.log}
			if o.OwnerURL == "" {
				c, err := a.cluster()
				if err != nil {
					return err
				}
				if !c.Initialised() {
					fmt.Fprintf(cmd.OutOrStdout(), "creating a managed PostgreSQL cluster in %s\n", c.Dir())
				}
				if err := c.Up(ctx); err != nil {
					return fmt.Errorf("managed PostgreSQL in %s: %w", c.Dir(), err)
				}
				o.OwnerURL, o.BinDir = c.OwnerURL(), c.State().BinDir
			}
			if err := backup.Restore(ctx, o, m); err != nil {
				return fmt.Errorf("restore %s: %w", args[0], err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "restored %s (made %s by sit %s from PostgreSQL %s): %s; layers, versions and feature counts checked against the backup\n",
				args[0], m.Created.Format("2006-01-02 15:04 UTC"), m.SitVersion, m.PostgreSQL, summary(m))
			return nil
		},
	}
}

func binDir(c *pgcluster.Cluster) string {
	if c == nil {
		return ""
	}
	return c.State().BinDir
}

// summary says what a backup holds in one line.
func summary(m backup.Manifest) string {
	names := make([]string, len(m.Layers))
	for i, l := range m.Layers {
		names[i] = fmt.Sprintf("%s v%d (%d)", l.Name, l.Version, l.Features)
	}
	last := 0
	if n := len(m.Migrations); n > 0 {
		last = m.Migrations[n-1]
	}
	return fmt.Sprintf("%d layers, %d features, schema %04d, %.1f MiB [%s]", len(m.Layers), m.Features(), last,
		float64(m.Dump.Bytes)/(1<<20), strings.Join(names, ", "))
}
