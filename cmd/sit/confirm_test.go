package main

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
)

func TestAskerConfirm(t *testing.T) {
	tests := []struct {
		interactive bool
		input       string
		want        bool
	}{
		{true, "y\n", true},
		{true, "Sì\n", true},
		{true, "yes", true},
		{true, "\n", false},
		{true, "n\n", false},
		{true, "", false},
		{false, "y\n", false}, // nobody at a terminal: never yes
	}
	for _, tc := range tests {
		var out bytes.Buffer
		a := &asker{in: bufio.NewReader(strings.NewReader(tc.input)), out: &out, interactive: tc.interactive}
		if got := a.Confirm("Replace layer zone?"); got != tc.want {
			t.Errorf("interactive %v, input %q: %v, want %v", tc.interactive, tc.input, got, tc.want)
		}
		if tc.interactive != strings.Contains(out.String(), "Replace layer zone? [y/N]") {
			t.Errorf("interactive %v printed %q", tc.interactive, out.String())
		}
	}
}
