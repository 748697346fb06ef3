// Package logtest holds what tests use to read logs written concurrently:
// a server's slog output, a child process's stderr.
package logtest

import (
	"strings"
	"sync"
)

// Buffer collects what several goroutines write (a logger, os/exec
// copying a child's output) while a test reads it.
type Buffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String is everything written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
