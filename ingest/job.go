package ingest

import (
	"sync"

	"github.com/sit-gis/sit/layers"
)

// Job is the Reporter of an import that runs in the background (an HTTP
// upload): it keeps the state for the clients that poll it, safely for
// concurrent readers. Confirm always says no: nobody can answer, so a
// replacement must be asked for explicitly (Request.Replace).
type Job struct {
	mu    sync.Mutex
	state JobState
}

// JobState is a snapshot of a job.
type JobState struct {
	// Layer is the layer being imported, Unit, Total and Done its progress.
	Layer string
	Unit  Unit
	Total int64
	Done  int64
	// Notices and Layers are what was said and what was loaded or refused,
	// in order; Layers[i].Err is "" for a layer that loaded.
	Notices []Notice
	Layers  []LayerOutcome
}

// LayerOutcome is the result of one layer of a job.
type LayerOutcome struct {
	Layer  string
	Result layers.ImportResult
	Err    string
}

// Snapshot returns a copy of the job's state.
func (j *Job) Snapshot() JobState {
	j.mu.Lock()
	defer j.mu.Unlock()
	s := j.state
	s.Notices = append([]Notice(nil), s.Notices...)
	s.Layers = append([]LayerOutcome(nil), s.Layers...)
	return s
}

func (j *Job) Notice(n Notice) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.state.Notices = append(j.state.Notices, n)
}

func (j *Job) Begin(layer string, unit Unit, total int64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.state.Layer, j.state.Unit, j.state.Total, j.state.Done = layer, unit, total, 0
}

func (j *Job) Progress(done int64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.state.Done = done
}

func (j *Job) Done(layer string, res layers.ImportResult, err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	o := LayerOutcome{Layer: layer, Result: res}
	if err != nil {
		o.Err = err.Error()
	}
	j.state.Layers = append(j.state.Layers, o)
}

// Confirm says no: a background job has nobody to ask.
func (j *Job) Confirm(string) bool { return false }
