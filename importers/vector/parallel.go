package vector

import (
	"errors"
	"io"
	"runtime"
	"sync"

	"github.com/sit-gis/sit/layers"
)

// Text formats cost more to decode than to read: a GeoJSON feature is
// scanned once to find where it ends and then parsed. parallelReader keeps
// the scanning sequential (it must be) and spreads the parsing over the
// cores, handing features back in their original order.

// rawRecord is one record as scanned, not yet decoded.
type rawRecord struct {
	rec  int64  // record number (1-based)
	line int64  // line in the file, when the format is line-based
	data []byte // owned by the record
	last bool   // the file ended right after it without a terminator
}

// rawScanner yields raw records in order; io.EOF at the end.
type rawScanner func() (rawRecord, error)

// recordDecoder decodes one raw record; a *layers.RecordError skips the
// record, any other error is fatal.
type recordDecoder func(rawRecord) (layers.Feature, error)

type decoded struct {
	f   layers.Feature
	err error
}

type batchJob struct {
	recs []rawRecord
	err  error // a scanning error after the records: delivered after them
	out  chan []decoded
}

// parallelReader is a layers.FeatureReader over a scanner and a decoder.
type parallelReader struct {
	ordered chan chan []decoded
	done    chan struct{}
	closer  io.Closer
	cur     []decoded
	i       int
	fatal   error
	once    sync.Once
}

const parallelBatch = 256

func newParallelReader(scan rawScanner, decode recordDecoder, closer io.Closer) *parallelReader {
	workers := runtime.GOMAXPROCS(0)
	if workers > 4 {
		workers = 4
	}
	r := &parallelReader{
		ordered: make(chan chan []decoded, 2*workers),
		done:    make(chan struct{}),
		closer:  closer,
	}
	jobs := make(chan batchJob, workers)
	for w := 0; w < workers; w++ {
		go func() {
			for job := range jobs {
				res := make([]decoded, 0, len(job.recs)+1)
				for _, rr := range job.recs {
					f, err := decode(rr)
					res = append(res, decoded{f: f, err: err})
					var re *layers.RecordError
					if err != nil && !errors.As(err, &re) {
						break // fatal: nothing after it matters
					}
				}
				if job.err != nil {
					res = append(res, decoded{err: job.err})
				}
				job.out <- res
			}
		}()
	}
	go func() {
		defer close(r.ordered)
		defer close(jobs)
		for {
			job := batchJob{recs: make([]rawRecord, 0, parallelBatch), out: make(chan []decoded, 1)}
			for len(job.recs) < parallelBatch {
				rr, err := scan()
				if err != nil {
					if !errors.Is(err, io.EOF) {
						job.err = err
					}
					break
				}
				job.recs = append(job.recs, rr)
			}
			if len(job.recs) == 0 && job.err == nil {
				return
			}
			select {
			case r.ordered <- job.out:
			case <-r.done:
				return
			}
			select {
			case jobs <- job:
			case <-r.done:
				return
			}
			if job.err != nil || len(job.recs) < parallelBatch {
				return
			}
		}
	}()
	return r
}

func (r *parallelReader) Next() (layers.Feature, error) {
	for {
		if r.fatal != nil {
			return layers.Feature{}, r.fatal
		}
		if r.i < len(r.cur) {
			d := r.cur[r.i]
			r.i++
			var re *layers.RecordError
			if d.err != nil && !errors.As(d.err, &re) {
				r.fatal = d.err
			}
			return d.f, d.err
		}
		out, ok := <-r.ordered
		if !ok {
			return layers.Feature{}, io.EOF
		}
		r.cur, r.i = <-out, 0
	}
}

func (r *parallelReader) Close() error {
	r.once.Do(func() { close(r.done) })
	return r.closer.Close()
}
