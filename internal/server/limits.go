package server

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/sit-gis/sit/internal/httpx"
)

// strictQuery answers 400 for a query string that does not parse, on
// every route: a parameter Go's parser would drop (a ';', a bad escape)
// must never be read as absent.
func strictQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := httpx.ParseQuery(r.URL.RawQuery); err != nil {
			httpx.WriteError(w, r, nil, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// bodyLimits bounds request bodies in size (413 when Content-Length says
// more, an error from Read past it, which the error writer answers with
// 413) and in time: the body must arrive within timeout. The read
// deadline is lifted once the body has been read, because net/http keeps
// reading the connection afterwards to notice a client that leaves, and a
// deadline passing then would cancel the request.
func bodyLimits(max int64, timeout, uploadTimeout time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if isUpload(r) {
				// The upload handler bounds the size; the time is the upload's.
				if r.Body != nil && r.Body != http.NoBody {
					rc := http.NewResponseController(w)
					_ = rc.SetReadDeadline(time.Now().Add(uploadTimeout))
					r.Body = &deadlineBody{ReadCloser: r.Body, rc: rc}
				}
				next.ServeHTTP(w, r)
				return
			}
			if r.ContentLength > max {
				tl := httpx.New(http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is larger than the server accepts (%d bytes)", max))
				tl.Parameter = "body"
				w.Header().Set("Connection", "close")
				httpx.WriteProblem(w, r, tl)
				return
			}
			if r.Body != nil && r.Body != http.NoBody {
				rc := http.NewResponseController(w)
				_ = rc.SetReadDeadline(time.Now().Add(timeout))
				r.Body = &deadlineBody{ReadCloser: http.MaxBytesReader(w, r.Body, max), rc: rc}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// deadlineBody lifts the read deadline when the body ends.
type deadlineBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	done bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && !b.done {
		b.done = true
		_ = b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

// writeDeadlines gives every write of a response its own deadline: a
// client that stops reading is cut off after d, however long the
// response, and a slow but steady one is served. The response starts with
// a deadline covering the request's work (limit) plus d, for answers that
// are only headers.
func writeDeadlines(d, limit time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rc := http.NewResponseController(w)
			_ = rc.SetWriteDeadline(time.Now().Add(limit + d))
			next.ServeHTTP(&deadlineWriter{ResponseWriter: w, rc: rc, d: d}, r)
		})
	}
}

type deadlineWriter struct {
	http.ResponseWriter
	rc *http.ResponseController
	d  time.Duration
}

func (w *deadlineWriter) Write(p []byte) (int, error) {
	_ = w.rc.SetWriteDeadline(time.Now().Add(w.d))
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *deadlineWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// perIP bounds the requests one client address has in progress; past the
// bound it answers 429 with Retry-After. It reads the client's address
// (clientIP): the TCP peer's, or the one a trusted proxy forwarded, never
// a header from anyone else.
type perIP struct {
	max int
	mu  sync.Mutex
	n   map[string]int
}

func newPerIP(max int) *perIP { return &perIP{max: max, n: map[string]int{}} }

func (p *perIP) limit(next http.Handler) http.Handler {
	if p.max <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := clientIP(r)
		if !p.acquire(ip) {
			tm := httpx.New(http.StatusTooManyRequests, "too many requests in progress from "+ip+" (at most "+strconv.Itoa(p.max)+"); retry when some have finished")
			tm.RetryAfter = 1
			httpx.WriteProblem(w, r, tm)
			return
		}
		defer p.release(ip)
		next.ServeHTTP(w, r)
	})
}

func (p *perIP) acquire(ip string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n[ip] >= p.max {
		return false
	}
	p.n[ip]++
	return true
}

func (p *perIP) release(ip string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n[ip]--; p.n[ip] <= 0 {
		delete(p.n, ip)
	}
}
