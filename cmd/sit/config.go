package main

import (
	"github.com/spf13/cobra"

	"github.com/sit-gis/sit/internal/config"
)

func newConfigCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Show the configuration (file, environment, flags)"}
	var defaults bool
	print := &cobra.Command{
		Use:   "print",
		Short: "Print the settings in effect as a TOML file, secrets masked (exit 2 if invalid)",
		Long: `Print the settings in effect, as a TOML file that --config reads back:
defaults, then the file (--config or SIT_CONFIG), the environment (SIT_…)
and the flags given, each value not at its default followed by where it
came from. Passwords in database URLs and other secrets are masked.
With --defaults, print a commented example file with every key, its flag,
environment variable and default instead.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if defaults {
				return config.PrintDefaults(cmd.OutOrStdout())
			}
			return a.cfg.Print(cmd.OutOrStdout())
		},
	}
	print.Flags().BoolVar(&defaults, "defaults", false, "print a commented example file with every key and its default")
	// Every setting, so that `sit config print --max-limit 5` shows what a
	// command given that flag would run with.
	config.AddFlags(print.Flags(), "server.", "tiles.", "viewer.", "report.")
	cmd.AddCommand(print)
	return cmd
}
