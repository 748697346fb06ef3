package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress shows how an import or an export advances: a bar with rate and
// ETA on a terminal, a log line every few seconds otherwise (CI, pipes).
type progress struct {
	mu     sync.Mutex
	bar    *progressbar.ProgressBar
	log    *slog.Logger
	what   string
	unit   string
	total  int64
	done   int64
	start  time.Time
	last   time.Time
	closed bool
}

// newProgress starts a progress report of total units (bytes when unit is
// "bytes"); total -1 means unknown.
func newProgress(log *slog.Logger, what, unit string, total int64) *progress {
	p := &progress{log: log, what: what, unit: unit, total: total, start: time.Now(), last: time.Now()}
	if term.IsTerminal(int(os.Stderr.Fd())) {
		opts := []progressbar.Option{
			progressbar.OptionSetWriter(os.Stderr),
			progressbar.OptionSetDescription(what),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100 * time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionFullWidth(),
		}
		if unit == "bytes" {
			opts = append(opts, progressbar.OptionShowBytes(true))
		} else {
			opts = append(opts, progressbar.OptionSetItsString(unit))
		}
		p.bar = progressbar.NewOptions64(total, opts...)
	}
	return p
}

// Set records the amount done so far.
func (p *progress) Set(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.done = n
	if p.bar != nil {
		_ = p.bar.Set64(n)
		return
	}
	if time.Since(p.last) >= 5*time.Second {
		p.last = time.Now()
		rate := float64(n) / time.Since(p.start).Seconds()
		if p.total > 0 {
			eta := time.Duration(float64(p.total-n)/rate) * time.Second
			p.log.Info(p.what, "done", n, "total", p.total, "unit", p.unit, "per_second", int64(rate), "eta", eta.Round(time.Second).String())
		} else {
			p.log.Info(p.what, "done", n, "unit", p.unit, "per_second", int64(rate))
		}
	}
}

// Finish ends the report.
func (p *progress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	if p.bar != nil {
		_ = p.bar.Finish()
		fmt.Fprint(io.Discard)
	}
}
