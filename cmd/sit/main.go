// Command sit is the SIT server: a territorial information system in front
// of PostGIS. See the README for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/internal/config"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	// SIGINT and SIGTERM cancel the context: imports roll back, the server
	// drains, the managed cluster keeps its data.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCmd().ExecuteContext(ctx)
	stop()
	if err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		fmt.Fprintln(os.Stderr, "sit:", err)
		os.Exit(1)
	}
}

// exitError carries an exit code for errors already reported.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// app is what every subcommand receives: the parsed global settings and a logger.
type app struct {
	global config.Global
	log    *slog.Logger
}

func newRootCmd() *cobra.Command {
	a := &app{global: config.FromEnv()}
	root := &cobra.Command{
		Use:           "sit",
		Short:         "SIT: a territorial information system server for PostGIS",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			var level slog.Level
			if err := level.UnmarshalText([]byte(a.global.LogLevel)); err != nil {
				return fmt.Errorf("--log-level: %w", err)
			}
			a.log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
			return nil
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&a.global.DatabaseURL, "database-url", a.global.DatabaseURL, "PostgreSQL URL of an existing PostGIS database, as SIT's owner role (env DATABASE_URL); default: the managed cluster")
	pf.StringVar(&a.global.ReaderURL, "reader-url", a.global.ReaderURL, "URL of the same database as the read-only role `sit serve` uses (env SIT_READER_URL)")
	pf.StringVar(&a.global.DataDir, "data-dir", a.global.DataDir, "directory of the managed PostgreSQL cluster (env SIT_DATA_DIR)")
	pf.StringVar(&a.global.LogLevel, "log-level", a.global.LogLevel, "debug, info, warn or error")
	root.AddCommand(
		newDBCmd(a),
		newImportCmd(a),
		newLayersCmd(a),
		newGenCmd(a),
		newServeCmd(a),
		newDemoCmd(a),
		newExportCmd(a),
		newParcelCmd(a),
		newReportCmd(a),
		newVersionCmd(),
	)
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, args []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "sit", version)
		},
	}
}
