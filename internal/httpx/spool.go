package httpx

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync"

	"github.com/klauspost/compress/gzip"
)

// SpoolMemory is how much of a spooled body stays in memory; the rest goes
// to a temporary file.
const SpoolMemory = 1 << 20

// spoolChunk is the unit of a spool's memory: a body grows by whole
// chunks, reused from spool to spool, instead of a slice that doubles
// (which left each copy behind as garbage: a 400 kB page of features cost
// about 1 MB of allocations, and 64 of them at once 60 MB).
const spoolChunk = 32 << 10

// spoolChunks are the chunks of spools that have been closed.
var spoolChunks = sync.Pool{New: func() any { return new([spoolChunk]byte) }}

// Spool holds a response body that is produced from the database, so that
// the database work ends (and its connection goes back to the pool) before
// a single byte waits on the client's socket: however slowly a client
// reads, it holds a spool, never a connection. Up to SpoolMemory bytes
// stay in memory, the rest in a temporary file that is unlinked at once
// (nothing is left behind, even by a crash). The body is gzip-encoded on
// the way in when the client accepts it; its length is known when it is
// sent. Nothing is sent before Send, so a failure while producing it can
// still be answered with a problem.
type Spool struct {
	contentType string
	mem         []*[spoolChunk]byte // full chunks, then the last one (used bytes of it: size in memory)
	inMem       int                 // bytes held in mem
	file        *os.File
	size        int64
	gz          *gzip.Writer
	gzipped     bool
	err         error
}

// NewSpool starts an empty body for r.
func NewSpool(r *http.Request, contentType string) *Spool {
	s := &Spool{contentType: contentType}
	if Compressible(contentType) && AcceptsGzip(r.Header.Get("Accept-Encoding")) {
		s.gz, s.gzipped = getGzip(rawWriter{s}), true
	}
	return s
}

// rawWriter appends encoded bytes to the spool's storage.
type rawWriter struct{ s *Spool }

func (w rawWriter) Write(p []byte) (int, error) { return w.s.store(p) }

func (s *Spool) store(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	s.size += int64(len(p))
	if s.file == nil && s.inMem+len(p) <= SpoolMemory {
		s.storeMem(p)
		return len(p), nil
	}
	if s.file == nil {
		f, err := os.CreateTemp("", "sit-spool-*")
		if err != nil {
			s.err = fmt.Errorf("spool a response: %w", err)
			return 0, s.err
		}
		_ = os.Remove(f.Name()) // unlinked: the open file lives until Close
		s.file = f
	}
	if _, err := s.file.Write(p); err != nil {
		s.err = fmt.Errorf("spool a response: %w", err)
		return 0, s.err
	}
	return len(p), nil
}

// storeMem copies p into the spool's chunks, taking new ones as needed.
func (s *Spool) storeMem(p []byte) {
	for len(p) > 0 {
		at := s.inMem % spoolChunk
		if at == 0 {
			s.mem = append(s.mem, spoolChunks.Get().(*[spoolChunk]byte))
		}
		n := copy(s.mem[len(s.mem)-1][at:], p)
		s.inMem += n
		p = p[n:]
	}
}

// Write appends to the body.
func (s *Spool) Write(p []byte) (int, error) {
	if s.gz != nil {
		return s.gz.Write(p)
	}
	return s.store(p)
}

// WriteString appends to the body.
func (s *Spool) WriteString(str string) (int, error) {
	return s.Write([]byte(str))
}

// Send writes the status, the headers and the body. Writes go out in
// chunks, each under the server's per-write deadline.
func (s *Spool) Send(w http.ResponseWriter, status int) error {
	if s.gz != nil {
		if err := s.gz.Close(); err != nil && s.err == nil {
			s.err = err
		}
		putGzip(s.gz)
		s.gz = nil
	}
	if s.err != nil {
		return s.err
	}
	h := w.Header()
	h.Set("Content-Type", s.contentType)
	if Compressible(s.contentType) {
		h.Add("Vary", "Accept-Encoding")
	}
	if s.gzipped {
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.FormatInt(s.size, 10))
	w.WriteHeader(status)
	for i, c := range s.mem {
		n := spoolChunk
		if i == len(s.mem)-1 {
			n = s.inMem - i*spoolChunk
		}
		if _, err := w.Write(c[:n]); err != nil {
			return err
		}
	}
	if s.file == nil {
		return nil
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	buf := make([]byte, 64<<10)
	_, err := io.CopyBuffer(writerOnly{w}, s.file, buf)
	return err
}

// Close releases the spool's memory and file.
func (s *Spool) Close() error {
	if s.gz != nil {
		putGzip(s.gz)
		s.gz = nil
	}
	for _, c := range s.mem {
		spoolChunks.Put(c)
	}
	s.mem, s.inMem = nil, 0
	if s.file != nil {
		err := s.file.Close()
		s.file = nil
		return err
	}
	return nil
}

// Size is the number of bytes spooled so far (encoded).
func (s *Spool) Size() int64 { return s.size }

// writerOnly hides ReadFrom, so that copies go through Write (and its
// per-write deadline) in bounded chunks.
type writerOnly struct{ w io.Writer }

func (w writerOnly) Write(p []byte) (int, error) { return w.w.Write(p) }
