package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/auth"
	"github.com/sit-gis/sit/ingest"
	"github.com/sit-gis/sit/layers"
)

// Job statuses (sit_auth.jobs.status). A job whose process stopped
// beating for staleAfter is reported interrupted: the import rolled back
// with its process, and the previous version serves.
const (
	jobQueued      = "queued"
	jobRunning     = "running"
	jobSucceeded   = "succeeded"
	jobFailed      = "failed"
	jobInterrupted = "interrupted"
	staleAfter     = 30 * time.Second
	heartbeat      = 5 * time.Second
)

// jobState is what a job reports while it runs and when it ends.
type jobState struct {
	Phase   string          `json:"phase"` // queued, importing, done
	Layer   string          `json:"layer"` // the layer being imported
	Unit    string          `json:"unit"`  // bytes or features
	Done    int64           `json:"done"`
	Total   int64           `json:"total"` // -1: unknown
	Notices []ingest.Notice `json:"notices"`
	Results []resultDoc     `json:"results"`
	Error   string          `json:"error,omitempty"`
}

// resultDoc is one layer's outcome, with the first rejected records.
type resultDoc struct {
	Layer    string               `json:"layer"`
	Version  int64                `json:"version"`
	Read     int64                `json:"read"`
	Loaded   int64                `json:"loaded"`
	Rejected int64                `json:"rejected"`
	Repaired int64                `json:"repaired"`
	Rejects  []layers.RecordError `json:"rejects"`
	Error    string               `json:"error,omitempty"`
}

// jobDoc is GET /admin/jobs/{id}.
type jobDoc struct {
	ID       string     `json:"id"`
	Status   string     `json:"status"`
	Actor    string     `json:"actor"`
	Comune   string     `json:"comune"`
	Source   string     `json:"source"`
	Size     int64      `json:"size"`
	Created  time.Time  `json:"created"`
	Updated  time.Time  `json:"updated"`
	Finished *time.Time `json:"finished"`
	Progress jobState   `json:"progress"`
}

// jobs runs uploads' imports in the background, one at a time (an import
// uses the machine's disk and cores; the others wait queued), and cancels
// them at shutdown.
type jobs struct {
	s      *Service
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	slot   chan struct{}
}

func newJobs(s *Service) *jobs {
	ctx, cancel := context.WithCancel(context.Background())
	return &jobs{s: s, ctx: ctx, cancel: cancel, slot: make(chan struct{}, 1)}
}

func (j *jobs) close() {
	j.cancel()
	j.wg.Wait()
}

// job is one upload being imported.
type job struct {
	id, dir string
	plan    *ingest.Plan
	who     access.Principal
	comune  string
	mu      sync.Mutex
	state   jobState
	flushed time.Time
}

// start records a job and runs it in the background.
func (j *jobs) start(ctx context.Context, jb *job, source string, size int64) (jobDoc, error) {
	jb.state = jobState{Phase: "queued", Total: -1, Notices: []ingest.Notice{}, Results: []resultDoc{}}
	st, _ := json.Marshal(jb.state)
	doc, err := scanJob(j.s.opt.DB.QueryRow(ctx, `INSERT INTO sit_auth.jobs (id, actor, comune, source_name, size_bytes, status, state)
		VALUES ($1, $2, $3, $4, $5, 'queued', $6) RETURNING `+jobColumns, jb.id, jb.who.Actor(), nullable(jb.comune), source, size, st))
	if err != nil {
		return doc, fmt.Errorf("record job: %w", err)
	}
	j.wg.Add(1)
	go j.run(jb)
	return doc, nil
}

// run waits for the import slot, imports, records the outcome.
func (j *jobs) run(jb *job) {
	defer j.wg.Done()
	defer os.RemoveAll(jb.dir)
	defer jb.plan.Close()
	select {
	case j.slot <- struct{}{}:
		defer func() { <-j.slot }()
	case <-j.ctx.Done():
		j.finish(jb, jobInterrupted, errors.New("the server stopped before the import began"))
		return
	}
	jb.mu.Lock()
	jb.state.Phase = "importing"
	jb.mu.Unlock()
	j.flush(jb, jobRunning, true)
	beat, stop := context.WithCancel(j.ctx)
	go j.beat(beat, jb)
	err := jb.plan.Run(j.ctx, j.s.opt.Layers, &reporter{j: j, jb: jb})
	stop()
	// This server serves the new version before the job says it is done.
	if rerr := j.s.opt.Catalog.Refresh(context.WithoutCancel(j.ctx)); rerr != nil {
		j.s.log.Warn("catalog refresh after an upload", "err", rerr)
	}
	switch {
	case j.ctx.Err() != nil:
		j.finish(jb, jobInterrupted, errors.New("the server stopped during the import: nothing changed, the previous version serves"))
	case err != nil:
		j.finish(jb, jobFailed, err)
	default:
		j.finish(jb, jobSucceeded, nil)
	}
}

// beat keeps the job's heartbeat while its import runs.
func (j *jobs) beat(ctx context.Context, jb *job) {
	t := time.NewTicker(heartbeat)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			j.flush(jb, jobRunning, true)
		}
	}
}

// finish records the outcome and writes it to the audit log.
func (j *jobs) finish(jb *job, status string, err error) {
	jb.mu.Lock()
	jb.state.Phase = "done"
	if err != nil && !errors.Is(err, ingest.ErrFailed) {
		jb.state.Error = err.Error()
	} else if err != nil {
		jb.state.Error = "at least one layer failed: see the results"
	}
	results := jb.state.Results
	jb.mu.Unlock()
	j.flush(jb, status, true)
	res := auth.ResultOK
	if status != jobSucceeded {
		res = auth.ResultFailed
	}
	detail := map[string]any{"job": jb.id, "status": status, "results": results}
	if e := j.s.opt.Auth.Record(context.WithoutCancel(j.ctx), auth.Entry{Actor: jb.who.Actor(), Comune: jb.comune, Action: "import",
		Target: layerNames(results), RemoteAddr: "job " + jb.id, Result: res, Detail: detail}); e != nil {
		j.s.log.Warn("audit log", "job", jb.id, "err", e)
	}
}

func layerNames(rs []resultDoc) string {
	out := ""
	for i, r := range rs {
		if i > 0 {
			out += ","
		}
		out += r.Layer
	}
	return out
}

// flush writes the job's state (at most twice a second unless forced).
func (j *jobs) flush(jb *job, status string, force bool) {
	jb.mu.Lock()
	if !force && time.Since(jb.flushed) < 500*time.Millisecond {
		jb.mu.Unlock()
		return
	}
	jb.flushed = time.Now()
	st, _ := json.Marshal(jb.state)
	jb.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(j.ctx), 10*time.Second)
	defer cancel()
	_, err := j.s.opt.DB.Exec(ctx, `UPDATE sit_auth.jobs SET status = $2, state = $3, updated_at = now(),
		finished_at = CASE WHEN $2 IN ('succeeded', 'failed', 'interrupted') THEN now() END WHERE id = $1`, jb.id, status, st)
	if err != nil {
		j.s.log.Warn("job state", "job", jb.id, "err", err)
	}
}

// reporter is the job's ingest.Reporter.
type reporter struct {
	j  *jobs
	jb *job
}

func (r *reporter) Notice(n ingest.Notice) {
	r.jb.mu.Lock()
	if len(r.jb.state.Notices) < 200 {
		r.jb.state.Notices = append(r.jb.state.Notices, n)
	}
	r.jb.mu.Unlock()
	r.j.flush(r.jb, jobRunning, false)
}

func (r *reporter) Begin(layer string, unit ingest.Unit, total int64) {
	r.jb.mu.Lock()
	r.jb.state.Layer, r.jb.state.Unit, r.jb.state.Total, r.jb.state.Done = layer, string(unit), total, 0
	r.jb.mu.Unlock()
	r.j.flush(r.jb, jobRunning, true)
}

func (r *reporter) Progress(done int64) {
	r.jb.mu.Lock()
	r.jb.state.Done = done
	r.jb.mu.Unlock()
	r.j.flush(r.jb, jobRunning, false)
}

func (r *reporter) Done(layer string, res layers.ImportResult, err error) {
	d := resultDoc{Layer: layer, Version: res.Version, Read: res.Read, Loaded: res.Loaded, Rejected: res.Rejected, Repaired: res.Repaired,
		Rejects: append([]layers.RecordError{}, res.Errors...)}
	if err != nil {
		d.Error = err.Error()
	}
	r.jb.mu.Lock()
	r.jb.state.Results = append(r.jb.state.Results, d)
	r.jb.mu.Unlock()
	r.j.flush(r.jb, jobRunning, true)
}

// Confirm is always no: an upload says replace=true to replace a layer
// with different data.
func (r *reporter) Confirm(string) bool { return false }

const jobColumns = `id, actor, coalesce(comune, ''), source_name, size_bytes,
	CASE WHEN status IN ('queued', 'running') AND updated_at < now() - interval '30 seconds' THEN 'interrupted' ELSE status END,
	state, created_at, updated_at, finished_at`

func scanJob(row pgx.Row) (jobDoc, error) {
	var d jobDoc
	var st []byte
	err := row.Scan(&d.ID, &d.Actor, &d.Comune, &d.Source, &d.Size, &d.Status, &st, &d.Created, &d.Updated, &d.Finished)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, auth.ErrNotFound
	}
	if err != nil {
		return d, err
	}
	return d, json.Unmarshal(st, &d.Progress)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
