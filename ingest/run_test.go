package ingest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/layers"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// recorder is a Reporter that keeps what it is told.
type recorder struct {
	notices  []Notice
	begun    []string
	units    []Unit
	progress int64
	results  []layers.ImportResult
	errs     []error
	confirm  bool
	asked    []string
}

func (r *recorder) Notice(n Notice) { r.notices = append(r.notices, n) }
func (r *recorder) Begin(layer string, unit Unit, total int64) {
	r.begun = append(r.begun, layer)
	r.units = append(r.units, unit)
}
func (r *recorder) Progress(done int64) { r.progress = done }
func (r *recorder) Done(layer string, res layers.ImportResult, err error) {
	r.results = append(r.results, res)
	r.errs = append(r.errs, err)
}
func (r *recorder) Confirm(q string) bool {
	r.asked = append(r.asked, q)
	return r.confirm
}

func (r *recorder) noticeText() string {
	var b strings.Builder
	for _, n := range r.notices {
		b.WriteString(string(n.Level) + ": " + n.Text + "\n")
	}
	return b.String()
}

func newStore(t *testing.T) *layers.Store {
	t.Helper()
	pool := dbtest.Pool(t)
	if err := layers.Migrate(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	return layers.NewStore(pool, nil)
}

// run prepares and runs a request, failing the test on a preparation error.
func run(t *testing.T, store *layers.Store, req Request) (*recorder, error) {
	t.Helper()
	p, err := Prepare(req)
	if err != nil {
		t.Fatalf("prepare %s: %v", req.Path, err)
	}
	defer p.Close()
	rep := &recorder{}
	return rep, p.Run(context.Background(), store, rep)
}

const comuniFile = "../data/admin/openpolis_limits_P_46_municipalities.geojson"

func TestRunReportsProgressAndResult(t *testing.T) {
	store := newStore(t)
	rep, err := run(t, store, Request{Path: comuniFile, Layer: "comuni", Kind: "boundary", Roles: []string{"zones"}})
	if err != nil {
		t.Fatalf("run: %v (%v)", err, rep.errs)
	}
	if len(rep.begun) != 1 || rep.begun[0] != "comuni" || rep.units[0] != Bytes {
		t.Fatalf("begun %v %v; want one layer comuni counted in bytes", rep.begun, rep.units)
	}
	if rep.progress <= 0 {
		t.Fatalf("progress %d: never reported", rep.progress)
	}
	res := rep.results[0]
	if rep.errs[0] != nil || res.Loaded != 33 || res.Version != 1 {
		t.Fatalf("result %+v, err %v; want 33 loaded, version 1", res, rep.errs[0])
	}
	l, err := layers.GetLayer(context.Background(), store.Pool(), "comuni")
	if err != nil || l.Kind != layers.KindBoundary || !l.HasRole("zones") {
		t.Fatalf("catalog: %+v, %v", l, err)
	}
}

func TestRunJoinsTablesWithoutGeometry(t *testing.T) {
	store := newStore(t)
	agcom := Request{Path: "../data/sources/agcom_Reportistica_250630_Comuni.csv", Layer: "agcom", Filters: []string{"provincia=Lucca"}}
	// Without a boundary layer the join cannot be made: an error naming the key.
	p, err := Prepare(agcom)
	if err != nil {
		t.Fatal(err)
	}
	err = p.Run(context.Background(), store, &recorder{})
	p.Close()
	if err == nil || !strings.Contains(err.Error(), "com_istat_code_num") {
		t.Fatalf("got %v, want an error naming com_istat_code_num", err)
	}
	if _, err := run(t, store, Request{Path: comuniFile, Layer: "comuni", Kind: "boundary", Roles: []string{"zones"}}); err != nil {
		t.Fatal(err)
	}
	rep, err := run(t, store, agcom)
	if err != nil {
		t.Fatalf("run: %v %v", err, rep.errs)
	}
	if !strings.Contains(rep.noticeText(), "joining pro_com to layer comuni.com_istat_code_num") {
		t.Fatalf("no notice of the join:\n%s", rep.noticeText())
	}
	if res := rep.results[0]; res.Loaded != 33 || res.Layer != "agcom" {
		t.Fatalf("result %+v; want 33 comuni of Lucca", res)
	}
}

func TestRunFailureKeepsGoingAndReports(t *testing.T) {
	store := newStore(t)
	// A CXF sheet names no CRS: every layer fails, each reported.
	rep, err := run(t, store, Request{Path: "../data/sources/H501D076700.CTF", Layer: "roma"})
	if !errors.Is(err, ErrFailed) {
		t.Fatalf("got %v, want ErrFailed", err)
	}
	if len(rep.errs) != 5 {
		t.Fatalf("%d layers reported, want the 5 CXF families", len(rep.errs))
	}
	for i, e := range rep.errs {
		if e == nil || !strings.Contains(e.Error(), "--srid") {
			t.Fatalf("layer %d: %v; want a message asking for --srid", i, e)
		}
	}
	ls, err := layers.ListLayers(context.Background(), store.Pool())
	if err != nil || len(ls) != 0 {
		t.Fatalf("layers after a failed import: %v, %v", ls, err)
	}
}

// Job is the Reporter of a background import: its snapshots show the
// progress and the outcome, and it never consents to a replacement.
func TestJobReporter(t *testing.T) {
	store := newStore(t)
	p, err := Prepare(Request{Path: comuniFile, Layer: "comuni", Kind: "boundary"})
	if err != nil {
		t.Fatal(err)
	}
	job := &Job{}
	stop := make(chan struct{})
	polled := make(chan int)
	go func() { // a client polling the job while it runs (checked by -race)
		n := 0
		for {
			select {
			case <-stop:
				polled <- n
				return
			default:
				_ = job.Snapshot()
				n++
			}
		}
	}()
	err = p.Run(context.Background(), store, job)
	close(stop)
	<-polled
	p.Close()
	if err != nil {
		t.Fatal(err)
	}
	s := job.Snapshot()
	if s.Layer != "comuni" || s.Unit != Bytes || s.Total <= 0 || s.Done <= 0 || len(s.Layers) != 1 || s.Layers[0].Err != "" || s.Layers[0].Result.Loaded != 33 {
		t.Fatalf("snapshot %+v", s)
	}
	// Another file into the same layer needs an explicit replace.
	p, err = Prepare(Request{Path: "../data/sources/ade_wfs_particella_A000W000200.gml", Layer: "comuni", Kind: "boundary"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	job = &Job{}
	if err := p.Run(context.Background(), store, job); !errors.Is(err, ErrFailed) {
		t.Fatalf("got %v, want ErrFailed", err)
	}
	if s := job.Snapshot(); len(s.Layers) != 1 || !strings.Contains(s.Layers[0].Err, "give --replace") {
		t.Fatalf("snapshot %+v", s)
	}
}
