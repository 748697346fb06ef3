// Command sit is the SIT server: a territorial information system in front
// of PostGIS. See the README for the commands.
package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/internal/config"
)

func main() {
	// SIGINT and SIGTERM cancel the context: imports roll back, the server
	// drains, the managed cluster keeps its data.
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancelCause(context.Background())
	go func() {
		if s, ok := <-sigc; ok {
			cancel(interrupted{s.(syscall.Signal)})
		}
	}()
	root := newRootCmd()
	err := root.ExecuteContext(ctx)
	signal.Stop(sigc)
	os.Exit(exitCode(ctx, err, root.ErrOrStderr(), root.log()))
}

// app is what every subcommand receives: the configuration, parsed once
// before any command runs, and a logger.
type app struct {
	cfg    config.Loaded
	global config.Global // = cfg.Global
	log    *slog.Logger
	// access logs the server's requests; nil when --access-log=false.
	access *slog.Logger
	// environ is the environment the settings are read from: the
	// process's, or one a test gives (parallel tests cannot t.Setenv).
	environ []string
}

// noConfig marks the commands that run without reading the configuration
// (a broken file must not stop `sit version` or the help).
const noConfig = "sit:no-config"

func newRootCmd() *rootCmd {
	a := &app{log: slog.New(slog.DiscardHandler), environ: os.Environ()}
	root := &cobra.Command{
		Use:           "sit",
		Short:         "SIT: a territorial information system server for PostGIS",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Annotations[noConfig] != "" {
				return nil
			}
			return a.configure(cmd)
		},
	}
	pf := root.PersistentFlags()
	config.AddFileFlag(pf)
	config.AddFlags(pf, "database.", "log.")
	root.AddCommand(
		newDBCmd(a),
		newImportCmd(a),
		newLayersCmd(a),
		newPublishCmd(a),
		newGenCmd(a),
		newServeCmd(a),
		newDemoCmd(a),
		newExportCmd(a),
		newParcelCmd(a),
		newReportCmd(a),
		newConfigCmd(a),
		newUserCmd(a),
		newTokenCmd(a),
		newComuneCmd(a),
		newPlanCmd(a),
		newNTACmd(a),
		newUsesCmd(a),
		newCertificateCmd(a),
		newVersionCmd(),
	)
	// Help and completion run whatever the configuration.
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "help" || c.Name() == "completion" {
			markNoConfig(c)
		}
	}
	usageErrors(root)
	return &rootCmd{Command: root, app: a}
}

// rootCmd is the root command and the app its subcommands share.
type rootCmd struct {
	*cobra.Command
	app *app
}

func (r *rootCmd) log() *slog.Logger { return r.app.log }

// configure loads the configuration (defaults, file, environment, the
// command's flags), validates it and builds the logger: once, before the
// command runs.
func (a *app) configure(cmd *cobra.Command) error {
	l, err := config.Load(config.Sources{Env: a.environ, Flags: cmd.Flags()})
	if err != nil {
		return usageError{err}
	}
	a.cfg, a.global = l, l.Global
	a.log = newLogger(cmd.ErrOrStderr(), l.Log)
	a.access = accessLogger(cmd.ErrOrStderr(), l.Log)
	for _, w := range l.Warnings {
		a.log.Warn(w)
	}
	return nil
}

// serverFlags are the settings of `sit serve` and `sit demo`.
func serverFlags(cmd *cobra.Command) {
	config.AddFlags(cmd.Flags(), "server.", "tiles.", "viewer.", "report.", "accounts.", "oidc.")
}

func markNoConfig(c *cobra.Command) {
	if c.Annotations == nil {
		c.Annotations = map[string]string{}
	}
	c.Annotations[noConfig] = "yes"
	for _, sub := range c.Commands() {
		markNoConfig(sub)
	}
}
