package bulk

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"runtime"
	"sync"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/importers/catasto"
	"github.com/sit-gis/sit/layers"
)

// Members are decoded in parallel, one per core, and their features handed
// to the loader in the order of the archive: record numbers, the table's
// order and the list of rejected records are the same on every run. A
// worker runs ahead of the loader by at most partBuffer batches of its
// member, and at most window members are open at once, so memory stays
// bounded whatever the size of the download; a member much larger than
// the others holds the later ones back (they wait, decoded, in their
// buffers) until the loader reaches them.
const (
	partBatch  = 512
	partBuffer = 8
)

type item struct {
	f   layers.Feature
	err error
}

// memberSpec is what a worker needs to decode one member.
type memberSpec struct {
	m      cadMember
	local  string // CadastralParcel or CadastralZoning
	srid   int
	forced bool
}

// partReader is an importers.PartReader over the members of one dataset.
type partReader struct {
	meter   *importers.Meter
	ordered chan chan []item
	done    chan struct{}
	wg      sync.WaitGroup
	once    sync.Once

	cur   []item
	i     int
	curCh chan []item
	rec   int64
	fatal error

	mu   sync.Mutex
	sums map[string]string
}

func newPartReader(specs []memberSpec, meter *importers.Meter) *partReader {
	workers := runtime.GOMAXPROCS(0)
	r := &partReader{meter: meter, ordered: make(chan chan []item, 2*workers), done: make(chan struct{}), sums: map[string]string{}}
	type job struct {
		spec memberSpec
		out  chan []item
	}
	jobs := make(chan job)
	for w := 0; w < workers; w++ {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			for j := range jobs {
				r.decode(j.spec, j.out)
			}
		}()
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer close(jobs)
		defer close(r.ordered)
		for _, s := range specs {
			j := job{spec: s, out: make(chan []item, partBuffer)}
			select {
			case r.ordered <- j.out:
			case <-r.done:
				return
			}
			select {
			case jobs <- j:
			case <-r.done:
				return
			}
		}
	}()
	return r
}

// send hands a batch to the loader; false when the reader was closed.
func (r *partReader) send(out chan []item, b []item) bool {
	select {
	case out <- b:
		return true
	case <-r.done:
		return false
	}
}

// decode reads one member to its end, hashing every byte of it.
func (r *partReader) decode(s memberSpec, out chan []item) {
	defer close(out)
	rc, err := s.m.Open()
	if err != nil {
		r.send(out, []item{{err: err}})
		return
	}
	defer rc.Close()
	st := &memberStream{r: r.meter.Count(rc), h: sha256.New()}
	fr := catasto.NewGMLStream(s.m.Path, st, s.local, s.srid, s.forced)
	batch := make([]item, 0, partBatch)
	for {
		f, err := fr.Next()
		if errors.Is(err, io.EOF) {
			// Bytes after the document's end still count in its checksum.
			if _, cerr := io.Copy(io.Discard, st); cerr != nil || st.err != nil {
				r.send(out, append(batch, item{err: st.damaged(s.m.Path)}))
				return
			}
			r.mu.Lock()
			r.sums[s.m.Belfiore] = hex.EncodeToString(st.h.Sum(nil))
			r.mu.Unlock()
			r.send(out, batch)
			return
		}
		var re *layers.RecordError
		switch {
		case errors.As(err, &re):
		case err != nil && st.err != nil:
			r.send(out, append(batch, item{err: st.damaged(s.m.Path)}))
			return
		case err != nil:
			r.send(out, append(batch, item{err: err}))
			return
		default:
			f, err = s.m.own(f)
		}
		batch = append(batch, item{f: f, err: err})
		if len(batch) == partBatch {
			if !r.send(out, batch) {
				return
			}
			batch = make([]item, 0, partBatch)
		}
	}
}

// own checks that a feature belongs to its member's comune, filling the
// comune when the file leaves it out: the rows of each comune are replaced
// together by a later release, so a row may not claim another comune.
func (c cadMember) own(f layers.Feature) (layers.Feature, error) {
	got, _ := f.Props["comune"].(string)
	switch got {
	case "":
		f.Props["comune"] = c.Belfiore
	case c.Belfiore:
	default:
		return f, &layers.RecordError{Record: f.Record, Reason: fmt.Sprintf("%s: the feature says comune %s, but the file is of %s", c.Path, got, c.Belfiore)}
	}
	return f, nil
}

// Next returns the features of the members in archive order, numbered
// across all of them.
func (r *partReader) Next() (layers.Feature, error) {
	for {
		if r.fatal != nil {
			return layers.Feature{}, r.fatal
		}
		if r.i < len(r.cur) {
			it := r.cur[r.i]
			r.i++
			r.rec++
			var re *layers.RecordError
			switch {
			case errors.As(it.err, &re):
				return layers.Feature{}, &layers.RecordError{Record: r.rec, Reason: re.Reason}
			case it.err != nil:
				r.fatal = it.err
				continue
			}
			it.f.Record = r.rec
			return it.f, nil
		}
		if r.curCh == nil {
			ch, ok := <-r.ordered
			if !ok {
				return layers.Feature{}, io.EOF
			}
			r.curCh = ch
		}
		b, ok := <-r.curCh
		if !ok {
			r.curCh = nil
			continue
		}
		r.cur, r.i = b, 0
	}
}

// Close stops the workers and waits for them (they hold the members open).
func (r *partReader) Close() error {
	r.once.Do(func() { close(r.done) })
	r.wg.Wait()
	return nil
}

// Sums are the SHA-256 of the members read to their end, by Belfiore code.
func (r *partReader) Sums() map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]string, len(r.sums))
	for k, v := range r.sums {
		out[k] = v
	}
	return out
}

// memberStream hashes what it reads and remembers a read error: a zip
// that fails (bad CRC, corrupt deflate data, truncated) is a damaged
// member, not malformed XML.
type memberStream struct {
	r   io.Reader
	h   hash.Hash
	err error
}

func (m *memberStream) Read(p []byte) (int, error) {
	n, err := m.r.Read(p)
	m.h.Write(p[:n])
	if err != nil && !errors.Is(err, io.EOF) {
		m.err = err
	}
	return n, err
}

func (m *memberStream) damaged(path string) error {
	return fmt.Errorf("%s: damaged member (%v): the archive is corrupt or truncated; nothing was imported — download it again", path, m.err)
}

// sumMember reads a member whole and returns its SHA-256.
func sumMember(m *Member) (string, error) {
	rc, err := m.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return "", fmt.Errorf("%s: damaged member (%v): the archive is corrupt or truncated", m.Path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
