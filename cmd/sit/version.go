package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Set by the build scripts (scripts/build.sh):
//
//	go build -ldflags "-X main.version=v1.2.0 -X main.commit=… -X main.date=…" ./cmd/sit
//
// Without them the commit comes from the version-control stamp Go puts in
// every binary built from a git checkout, and the version says "devel".
var version, commit, date string

// buildInfo is what `sit version` prints.
type buildInfo struct {
	Version, Commit, CommitTime, Date, Go string
	Modified                              bool
}

func readBuildInfo() buildInfo {
	b := buildInfo{Version: version, Commit: commit, Date: date, Go: runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			b.Version = bi.Main.Version // go install module@version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				b.CommitTime = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	if b.Version == "" {
		b.Version = "devel"
	}
	return b
}

// String is the version as the server reports it (and tile ETags hold):
// a new build of other code is a new version.
func (b buildInfo) String() string {
	s := b.Version
	if b.Commit != "" {
		s += "+" + short(b.Commit)
		if b.Modified {
			s += ".dirty"
		}
	}
	return s
}

func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:         "version",
		Short:       "Print the version, commit and build date",
		Args:        cobra.NoArgs,
		Annotations: map[string]string{noConfig: "yes"},
		Run: func(cmd *cobra.Command, args []string) {
			b := readBuildInfo()
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "sit %s\n", b.Version)
			commit := b.Commit
			if commit == "" {
				commit = "unknown (built outside a git checkout without -ldflags)"
			} else if b.Modified {
				commit += " (with uncommitted changes)"
			}
			fmt.Fprintf(out, "commit:    %s\n", commit)
			if b.CommitTime != "" {
				fmt.Fprintf(out, "committed: %s\n", b.CommitTime)
			}
			built := b.Date
			if built == "" {
				built = "unknown (set with -ldflags -X main.date=…; scripts/build.sh does)"
			}
			fmt.Fprintf(out, "built:     %s\n", built)
			fmt.Fprintf(out, "go:        %s\n", b.Go)
		},
	}
}
