package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/sit-gis/sit/ingest"
	"github.com/sit-gis/sit/layers"
)

// importReport prints an import's progress and outcome on the terminal:
// a progress bar per layer, one line per loaded layer on out, rejected
// records and failures on errOut.
type importReport struct {
	out, errOut io.Writer
	log         *slog.Logger
	path        string
	bar         *progress
	ask         *asker
}

func (r *importReport) Notice(n ingest.Notice) {
	if n.Level == ingest.Warning {
		fmt.Fprintf(r.errOut, "warning: %s\n", n.Text)
		return
	}
	fmt.Fprintln(r.out, n.Text)
}

func (r *importReport) Begin(layer string, unit ingest.Unit, total int64) {
	r.bar = newProgress(r.log, "importing "+layer, string(unit), total)
}

func (r *importReport) Progress(done int64) {
	if r.bar != nil {
		r.bar.Set(done)
	}
}

func (r *importReport) Done(layer string, res layers.ImportResult, err error) {
	if r.bar != nil {
		r.bar.Finish()
		r.bar = nil
	}
	if err != nil {
		var ie *layers.ImportError
		if errors.As(err, &ie) {
			reportRejects(r.errOut, ie.Result)
		}
		fmt.Fprintf(r.errOut, "sit: %s: %v (the layer's previous version, if any, is unchanged)\n", r.path, err)
		return
	}
	rate := float64(res.Read) / res.Duration.Seconds()
	fmt.Fprintf(r.out, "layer %s: version %d, %d features loaded (%d read, %d rejected, %d geometries repaired) in %s (%.0f features/s)\n",
		res.Layer, res.Version, res.Loaded, res.Read, res.Rejected, res.Repaired, res.Duration.Round(time.Millisecond), rate)
	if res.Kept > 0 {
		fmt.Fprintf(r.out, "  %d features kept as they were (comuni unchanged or not in this import)\n", res.Kept)
	}
	if res.Extent != nil {
		fmt.Fprintf(r.out, "  extent %s\n", res.Extent)
	}
	reportRejects(r.errOut, res)
}

// Confirm asks on a terminal; without one the answer is no.
func (r *importReport) Confirm(question string) bool { return r.ask != nil && r.ask.Confirm(question) }

func reportRejects(w io.Writer, res layers.ImportResult) {
	if res.Rejected == 0 {
		return
	}
	switch {
	case res.Rejected == 1:
		fmt.Fprintln(w, "1 record rejected:")
	case int64(len(res.Errors)) < res.Rejected:
		fmt.Fprintf(w, "%d records rejected; the first %d:\n", res.Rejected, len(res.Errors))
	default:
		fmt.Fprintf(w, "%d records rejected:\n", res.Rejected)
	}
	for _, e := range res.Errors {
		if e.Record > 0 {
			fmt.Fprintf(w, "  record %d: %s\n", e.Record, e.Reason)
		} else {
			fmt.Fprintf(w, "  %s\n", e.Reason)
		}
	}
}
