package layers

import (
	"errors"
	"fmt"
	"io"
	"runtime"
)

// stagePipe prepares the records of an import on all cores while keeping
// their order: one goroutine reads the features (a reader is sequential)
// in batches, workers prepare each batch (loader.prepare: checks, WKB, Web
// Mercator, area, attributes as JSON), and next hands the records back in
// the order read. The bound on memory is the batches in flight.
type stagePipe struct {
	ordered chan *stageBatch
	stop    chan struct{}
	done    chan struct{} // closed when the reading goroutine returns
	cur     *stageBatch
	i       int
}

type stageBatch struct {
	items []prepared
	ready chan struct{} // closed once every item is prepared
}

const stageBatchSize = 256

// newStagePipe starts reading l's features; close must follow.
func newStagePipe(l *loader) *stagePipe {
	workers := min(runtime.GOMAXPROCS(0), 4)
	p := &stagePipe{ordered: make(chan *stageBatch, 2*workers), stop: make(chan struct{}), done: make(chan struct{})}
	work := make(chan *stageBatch, workers)
	r, step := l.r, func(f Feature) Feature { return f }
	if sr, ok := r.(SplitReader); ok {
		r, step = sr.Split()
	}
	for range workers {
		go func() {
			for b := range work {
				for i := range b.items {
					if b.items[i].err == nil {
						b.items[i] = prepareStep(l, step, b.items[i].f)
					}
				}
				close(b.ready)
			}
		}()
	}
	go p.read(r, work)
	return p
}

// prepareStep runs a reader's last step and loader.prepare on one feature;
// a panic in the step is the reader's, and fails the import as
// readFeature's do.
func prepareStep(l *loader, step func(Feature) Feature, f Feature) (it prepared) {
	defer func() {
		if p := recover(); p != nil {
			it = prepared{f: f, err: fmt.Errorf("reader crashed on record %d: %v", f.Record, p)}
		}
	}()
	return l.prepare(step(f), l.direct.Load())
}

// read fills batches from the reader until it ends, fails, or close.
func (p *stagePipe) read(r FeatureReader, work chan<- *stageBatch) {
	defer close(p.done)
	defer close(p.ordered)
	defer close(work)
	var read int64
	for {
		b := &stageBatch{items: make([]prepared, 0, stageBatchSize), ready: make(chan struct{})}
		end := false
		for len(b.items) < stageBatchSize && !end {
			f, err := readFeature(r, read)
			read++
			var re *RecordError
			switch {
			case errors.Is(err, io.EOF):
				end = true
			case err != nil:
				b.items = append(b.items, prepared{f: f, err: err})
				end = !errors.As(err, &re)
			default:
				b.items = append(b.items, prepared{f: f})
			}
		}
		select {
		case work <- b:
		case <-p.stop:
			return
		}
		select {
		case p.ordered <- b:
		case <-p.stop:
			return
		}
		if end {
			return
		}
	}
}

// next is the following record in the source's order; false at the end.
func (p *stagePipe) next() (prepared, bool) {
	for p.cur == nil || p.i == len(p.cur.items) {
		b, ok := <-p.ordered
		if !ok {
			return prepared{}, false
		}
		<-b.ready
		p.cur, p.i = b, 0
	}
	it := p.cur.items[p.i]
	p.i++
	return it, true
}

// close stops the reading goroutine and waits for it (the workers end
// with it), so that nothing reads the source after the import returns.
func (p *stagePipe) close() {
	close(p.stop)
	<-p.done
}
