package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/sit-gis/sit/internal/config"
)

// Exit codes (README: Exit codes). Scripts and systemd rely on them.
const (
	exitOK = 0
	// exitFailed: the command failed (database, file, import refused…).
	exitFailed = 1
	// exitUsage: the command line or the configuration is wrong (unknown
	// command or flag, bad value, missing argument, invalid setting).
	exitUsage = 2
	// exitNotRunning: `sit db status` found no running cluster.
	exitNotRunning = 3
	// A command stopped by SIGINT or SIGTERM before it finished exits
	// 128 + the signal (130, 143), as shells report it; `sit serve` stopped
	// by a signal has finished its job and exits 0.
	exitSignalBase = 128
)

// exitError carries an exit code for a failure already reported.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// usageError is a mistake on the command line or in the configuration.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// interrupted is the cause of a context cancelled by a signal.
type interrupted struct{ sig syscall.Signal }

func (i interrupted) Error() string { return "interrupted by " + i.sig.String() }

// exitCode reports err (unless already reported) and returns the process's
// exit code. In JSON log format the message is a log record, so that the
// log stays one format.
func exitCode(ctx context.Context, err error, stderr io.Writer, log *slog.Logger) int {
	if err == nil {
		return exitOK
	}
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	code := exitFailed
	var ue usageError
	var sig interrupted
	switch {
	case errors.As(err, &ue):
		code = exitUsage
	case errors.As(context.Cause(ctx), &sig):
		code = exitSignalBase + int(sig.sig)
	}
	if _, isJSON := log.Handler().(*slog.JSONHandler); isJSON {
		log.Error(err.Error(), "exit", code)
	} else {
		fmt.Fprintln(stderr, "sit: "+err.Error())
	}
	return code
}

// usageErrors makes the mistakes cobra detects usage errors (exit 2): bad
// flags (with the nearest flag suggested), wrong arguments, unknown
// subcommands; a group command run without one prints its help and exits 2.
func usageErrors(root *cobra.Command) {
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		msg := err.Error()
		if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
			if near := nearestFlag(cmd, name); near != "" {
				msg += fmt.Sprintf(" (did you mean --%s?)", near)
			}
		}
		return usageError{fmt.Errorf("%s; see `%s --help`", msg, cmd.CommandPath())}
	})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.HasSubCommands() && c.Run == nil && c.RunE == nil {
			c.Args = cobra.ArbitraryArgs
			c.RunE = groupRun
		} else if args := c.Args; args != nil {
			c.Args = func(cmd *cobra.Command, a []string) error {
				if err := args(cmd, a); err != nil {
					return usageError{fmt.Errorf("%w; see `%s --help`", err, cmd.CommandPath())}
				}
				return nil
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// groupRun runs a command that only holds subcommands.
func groupRun(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		cmd.SetOut(cmd.ErrOrStderr())
		_ = cmd.Help()
		return exitError{code: exitUsage}
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	cmd.SuggestionsMinimumDistance = 2
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf(" (did you mean %q?)", s[0])
	}
	return usageError{fmt.Errorf("%s; see `%s --help`", msg, cmd.CommandPath())}
}

func nearestFlag(cmd *cobra.Command, name string) string {
	name, _, _ = strings.Cut(name, "=")
	var names []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	return config.Nearest(name, names)
}
