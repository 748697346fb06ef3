package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/internal/pg"
	"github.com/sit-gis/sit/internal/pgcluster"
	"github.com/sit-gis/sit/layers"
)

func newDBCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "db", Short: "Manage the private PostgreSQL + PostGIS cluster"}
	cmd.AddCommand(newDBUpCmd(a), newDBDownCmd(a), newDBStatusCmd(a), newDBMigrateCmd(a), newDBGrantsCmd(),
		newDBBackupCmd(a), newDBRestoreCmd(a))
	return cmd
}

// clusterCmd is a `sit db` command on the managed cluster of --data-dir.
func (a *app) clusterCmd(use, short string, run func(cmd *cobra.Command, c *pgcluster.Cluster) error) *cobra.Command {
	return &cobra.Command{Use: use, Short: short, Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.cluster()
			if err != nil {
				return err
			}
			return run(cmd, c)
		}}
}

func newDBUpCmd(a *app) *cobra.Command {
	return a.clusterCmd("up", "Initialise (first time) and start the managed cluster, and apply migrations", func(cmd *cobra.Command, c *pgcluster.Cluster) error {
		ctx := cmd.Context()
		if err := c.Up(ctx); err != nil {
			return err
		}
		// Up bootstraps only once per sit version; `db up` re-applies
		// the roles and grants every time, repairing any drift.
		if err := c.Bootstrap(ctx); err != nil {
			return err
		}
		pool, err := pg.Open(ctx, c.OwnerURL(), pg.PoolOptions{MaxConns: 2, AppName: "sit db up"})
		if err != nil {
			return err
		}
		defer pool.Close()
		if err := layers.Migrate(ctx, pool); err != nil {
			return err
		}
		st, r := c.State(), c.Roles()
		fmt.Fprintf(cmd.OutOrStdout(), "PostgreSQL %s with PostGIS running on 127.0.0.1:%d (data %s)\nroles: owner %s (imports, migrations), reader %s (serve); superuser %s for bootstrap only\n",
			st.Version, st.Port, st.PGData, r.Owner, r.Reader, st.AdminRole)
		return nil
	})
}

func newDBDownCmd(a *app) *cobra.Command {
	return a.clusterCmd("down", "Stop the managed cluster (data is kept)", func(cmd *cobra.Command, c *pgcluster.Cluster) error {
		if !c.Initialised() {
			return fmt.Errorf("no managed cluster in %s", c.Dir())
		}
		if err := c.Down(cmd.Context()); err != nil {
			return err
		}
		fmt.Fprintln(cmd.OutOrStdout(), "stopped")
		return nil
	})
}

func newDBStatusCmd(a *app) *cobra.Command {
	return a.clusterCmd("status", "Say whether the managed cluster runs, where, and how to connect", func(cmd *cobra.Command, c *pgcluster.Cluster) error {
		out := cmd.OutOrStdout()
		if !c.Initialised() {
			fmt.Fprintf(out, "not initialised (directory %s); run `sit db up`\n", c.Dir())
			return exitError{code: exitNotRunning}
		}
		st := c.State()
		running, err := c.Running(cmd.Context())
		if err != nil {
			return err
		}
		state := "stopped"
		if running {
			state = "running"
		}
		fmt.Fprintf(out, "state:    %s\nversion:  PostgreSQL %s\nport:     127.0.0.1:%d\ndata:     %s\nowner:    %s\nreader:   %s\nadmin:    %s (superuser, bootstrap only)\n",
			state, st.Version, st.Port, st.PGData, pg.Redact(c.OwnerURL()), pg.Redact(c.ReaderURL()), st.AdminRole)
		fmt.Fprintf(out, "passwords are in %s/cluster.json (mode 0600)\n", c.Dir())
		if !running {
			return exitError{code: exitNotRunning}
		}
		return nil
	})
}

func newDBMigrateCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending migrations as the owner (--database-url, or the managed cluster)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, done, err := a.ownerStore(cmd.Context())
			if err != nil {
				return err
			}
			done()
			fmt.Fprintln(cmd.OutOrStdout(), "schema up to date")
			return nil
		},
	}
}

func newDBGrantsCmd() *cobra.Command {
	r := pgcluster.Roles{Database: pgcluster.Database, Owner: pgcluster.OwnerRole, Reader: pgcluster.ReaderRole, Web: pgcluster.WebRole}
	cmd := &cobra.Command{
		Use:   "grants",
		Short: "Print the SQL a DBA runs to host SIT on a PostgreSQL it does not manage (roles, grants)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := r.Validate(); err != nil {
				return err
			}
			fmt.Fprint(cmd.OutOrStdout(), r.Script())
			return nil
		},
	}
	cmd.Flags().StringVar(&r.Database, "database", r.Database, "database name")
	cmd.Flags().StringVar(&r.Owner, "owner", r.Owner, "owner role (migrations, imports)")
	cmd.Flags().StringVar(&r.Reader, "reader", r.Reader, "read-only role of `sit serve` (sit_reader, or a role made a member of it)")
	cmd.Flags().StringVar(&r.Web, "web", r.Web, "role `sit serve` writes accounts, sessions and the audit log with (sit_web, or a member of it)")
	return cmd
}
