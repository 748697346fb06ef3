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
	cmd.AddCommand(&cobra.Command{
		Use:   "up",
		Short: "Initialise (first time) and start the managed cluster, and apply migrations",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			c, err := pgcluster.New(pgcluster.Options{Dir: a.global.DataDir, Logger: a.log})
			if err != nil {
				return err
			}
			if err := c.Up(ctx); err != nil {
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
			st := c.State()
			fmt.Fprintf(cmd.OutOrStdout(), "PostgreSQL %s with PostGIS running on 127.0.0.1:%d (data %s)\n", st.Version, st.Port, st.PGData)
			return nil
		},
	}, &cobra.Command{
		Use:   "down",
		Short: "Stop the managed cluster (data is kept)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := pgcluster.New(pgcluster.Options{Dir: a.global.DataDir, Logger: a.log})
			if err != nil {
				return err
			}
			if !c.Initialised() {
				return fmt.Errorf("no managed cluster in %s", c.Dir())
			}
			if err := c.Down(cmd.Context()); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), "stopped")
			return nil
		},
	}, &cobra.Command{
		Use:   "status",
		Short: "Say whether the managed cluster runs, where, and how to connect",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := pgcluster.New(pgcluster.Options{Dir: a.global.DataDir, Logger: a.log})
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if !c.Initialised() {
				fmt.Fprintf(out, "not initialised (directory %s); run `sit db up`\n", c.Dir())
				return exitError{code: 3}
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
			fmt.Fprintf(out, "state:    %s\nversion:  PostgreSQL %s\nport:     127.0.0.1:%d\ndata:     %s\nowner:    %s\nreader:   %s\n",
				state, st.Version, st.Port, st.PGData, pg.Redact(c.OwnerURL()), pg.Redact(c.ReaderURL()))
			fmt.Fprintf(out, "passwords are in %s/cluster.json (mode 0600)\n", c.Dir())
			if !running {
				return exitError{code: 3}
			}
			return nil
		},
	})
	return cmd
}
