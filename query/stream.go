package query

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"strconv"
)

// bodyWriter buffers a response and sends it in large writes, compressed
// when the client asked for gzip. Nothing reaches the client until the
// buffer first fills (or Close): an error before that can still become a
// problem response, and a small page goes out with a Content-Length.
type bodyWriter struct {
	w           http.ResponseWriter
	s           *Service
	contentType string
	gzip        bool
	gz          *gzip.Writer
	buf         []byte
	started     bool
	err         error
}

// flushAt is the buffer size at which the body starts streaming.
const flushAt = 64 << 10

func (s *Service) newBody(w http.ResponseWriter, r *http.Request, contentType string) *bodyWriter {
	return &bodyWriter{w: w, s: s, contentType: contentType, gzip: acceptsGzip(r), buf: make([]byte, 0, flushAt+8<<10)}
}

func (b *bodyWriter) Write(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	b.buf = append(b.buf, p...)
	if len(b.buf) >= flushAt {
		b.flush()
	}
	return len(p), b.err
}

func (b *bodyWriter) WriteString(s string) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	b.buf = append(b.buf, s...)
	if len(b.buf) >= flushAt {
		b.flush()
	}
	return len(s), b.err
}

func (b *bodyWriter) start(length int) {
	h := b.w.Header()
	h.Set("Content-Type", b.contentType)
	h.Add("Vary", "Accept, Accept-Encoding")
	if b.gzip {
		h.Set("Content-Encoding", "gzip")
		b.gz = b.s.gz.Get().(*gzip.Writer)
		b.gz.Reset(b.w)
	} else if length >= 0 {
		h.Set("Content-Length", strconv.Itoa(length))
	}
	b.w.WriteHeader(http.StatusOK)
	b.started = true
}

func (b *bodyWriter) flush() {
	if !b.started {
		b.start(-1)
	}
	if len(b.buf) == 0 {
		return
	}
	var err error
	if b.gz != nil {
		_, err = b.gz.Write(b.buf)
	} else {
		_, err = b.w.Write(b.buf)
	}
	b.buf = b.buf[:0]
	if err != nil && b.err == nil {
		b.err = err
	}
}

// Started reports whether bytes (and the status) have gone out.
func (b *bodyWriter) Started() bool { return b.started }

// Close sends what is buffered and ends the compressed stream.
func (b *bodyWriter) Close() error {
	if b.err != nil {
		return b.err
	}
	if !b.started {
		n := len(b.buf)
		if b.gzip {
			n = -1
		}
		b.start(n)
	}
	b.flush()
	if b.gz != nil {
		if err := b.gz.Close(); err != nil && b.err == nil {
			b.err = err
		}
		b.gz.Reset(nil)
		b.s.gz.Put(b.gz)
		b.gz = nil
	}
	return b.err
}

// writeJSON sends a small JSON document (compressed when asked).
func (s *Service) writeJSON(w http.ResponseWriter, r *http.Request, contentType string, v any) {
	data, err := marshal(v)
	if err != nil {
		s.log.Error("encode response", "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	b := s.newBody(w, r, contentType)
	if len(data) < 1024 {
		b.gzip = false // not worth it
	}
	_, _ = b.Write(data)
	_ = b.Close()
}

// marshal encodes JSON without escaping <, > and & (URLs stay readable).
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
