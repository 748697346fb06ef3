package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// asker asks the user yes/no questions when someone is there to answer:
// standard input and standard error are a terminal. Otherwise (scripts,
// pipes, CI) every question is answered no, and the command must say
// which flag makes the change explicit.
type asker struct {
	in          *bufio.Reader
	out         io.Writer
	interactive bool
}

func newAsker(cmd *cobra.Command) *asker {
	return &asker{
		in:          bufio.NewReader(cmd.InOrStdin()),
		out:         cmd.ErrOrStderr(),
		interactive: term.IsTerminal(int(os.Stdin.Fd())) && term.IsTerminal(int(os.Stderr.Fd())),
	}
}

// Confirm prints the question and reads y/yes (or the Italian s/sì); no,
// anything else or the end of input is a no.
func (a *asker) Confirm(question string) bool {
	if !a.interactive {
		return false
	}
	fmt.Fprintf(a.out, "%s [y/N] ", question)
	line, _ := a.in.ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes", "s", "si", "sì":
		return true
	}
	return false
}
