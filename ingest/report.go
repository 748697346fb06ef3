package ingest

import "github.com/sit-gis/sit/layers"

// Unit is what a progress total counts.
type Unit string

const (
	// Bytes of the source file consumed so far.
	Bytes Unit = "bytes"
	// Features read so far.
	Features Unit = "features"
)

// Level says how much a notice matters.
type Level string

const (
	Info    Level = "info"
	Warning Level = "warning"
)

// Notice is something an import decided or found that the user should
// read: the layer a table is joined to, the extent of the data, a warning.
type Notice struct {
	Level Level  `json:"level"`
	Layer string `json:"layer,omitempty"` // the layer it is about, "" for the whole file
	Text  string `json:"text"`
}

// Reporter receives everything an import has to say while it runs. The
// command line draws a progress bar and prints lines; an HTTP job keeps the
// state for the client that polls it. Methods are called from the
// goroutine running the plan, one layer at a time.
type Reporter interface {
	// Notice tells the user something (see Notice).
	Notice(Notice)
	// Begin starts the import of one layer: total units of work, -1 when unknown.
	Begin(layer string, unit Unit, total int64)
	// Progress reports the units done so far in the current layer.
	Progress(done int64)
	// Done ends the current layer: its result (counts, version, the first
	// rejected records with their numbers and reasons) and, when it
	// failed, why (the previous version of the layer is then unchanged).
	Done(layer string, res layers.ImportResult, err error)
	// Confirm asks the user to allow a change that was not asked for
	// explicitly (replacing a layer with different data). It returns false
	// when nobody can answer (no terminal, an HTTP job).
	Confirm(question string) bool
}

// Discard is a Reporter that says nothing and confirms nothing: batch
// loads and tests that look at the catalog afterwards.
type Discard struct{}

func (Discard) Notice(Notice)                           {}
func (Discard) Begin(string, Unit, int64)               {}
func (Discard) Progress(int64)                          {}
func (Discard) Done(string, layers.ImportResult, error) {}
func (Discard) Confirm(string) bool                     { return false }
