package httpx

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// rawServer serves h behind ProblemListener with net/http's header bound
// at maxHeader, and HeaderLimit(maxHeader) in front of h, as sit serve does.
func rawServer(t *testing.T, maxHeader int, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: HeaderLimit(maxHeader)(h), MaxHeaderBytes: maxHeader, ReadHeaderTimeout: time.Minute}
	go func() { _ = srv.Serve(ProblemListener(ln, maxHeader)) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// roundTrip writes raw bytes and reads one response.
func roundTrip(t *testing.T, addr, raw string) (*http.Response, []byte) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Minute))
	// The server may answer and close before it has read everything (a
	// 431): a failed write is fine, the answer is what counts.
	go func() { _, _ = io.WriteString(c, raw) }()
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the body: %v", err)
	}
	return resp, body
}

func TestProblemListener(t *testing.T) {
	const max = 4096
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Connection", "close")
		_, _ = io.WriteString(w, "HTTP/1.1 400 Bad Request"+goErrorHeaders+"400 Bad Request")
	})
	addr := rawServer(t, max, ok)
	big := func(n int) string { return "X-Big: " + strings.Repeat("a", n) + "\r\n" }
	tests := []struct {
		name, raw string
		status    int
		param     string
		detail    string
	}{
		{"headers just under the limit", "GET / HTTP/1.1\r\nHost: h\r\n" + big(max-200) + "\r\n", 200, "", ""},
		{"headers past the documented limit, under net/http's slack", "GET / HTTP/1.1\r\nHost: h\r\n" + big(max+1000) + "\r\n", 431, "headers", "4096 bytes"},
		{"headers far past it: refused by net/http", "GET / HTTP/1.1\r\nHost: h\r\n" + big(64*max) + "\r\n", 431, "headers", "4096 bytes"},
		{"a long request line", "GET /" + strings.Repeat("p", 2*max) + " HTTP/1.1\r\nHost: h\r\n\r\n", 431, "headers", "4096 bytes"},
		{"no Host", "GET / HTTP/1.1\r\n\r\n", 400, "", "missing required Host header"},
		{"a malformed request line", "GET\r\n\r\n", 400, "", "not valid HTTP"},
		{"a malformed header", "GET / HTTP/1.1\r\nHost: h\r\nno colon\r\n\r\n", 400, "", "not valid HTTP"},
		{"an unknown protocol", "GET / HTTP/9.9\r\nHost: h\r\n\r\n", 505, "", "unsupported protocol version"},
		{"an unknown expectation", "GET / HTTP/1.1\r\nHost: h\r\nExpect: tea\r\n\r\n", 417, "Expect", "100-continue"},
		{"an unknown transfer encoding", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: zip\r\n\r\n", 501, "Transfer-Encoding", "not supported"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := roundTrip(t, addr, tc.raw)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			if tc.status == 200 {
				// A handler's answer passes unchanged, even one that
				// looks like net/http's own errors.
				if !strings.HasSuffix(string(body), "400 Bad Request") || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
					t.Fatalf("the handler's answer was changed: %q %q", resp.Header.Get("Content-Type"), body)
				}
				return
			}
			if ct := resp.Header.Get("Content-Type"); ct != ProblemType {
				t.Fatalf("Content-Type %q: %s", ct, body)
			}
			var p Problem
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatalf("body %q: %v", body, err)
			}
			if p.Status != tc.status || p.Parameter != tc.param || !strings.Contains(p.Detail, tc.detail) || p.Title != http.StatusText(tc.status) {
				t.Fatalf("problem %+v; want status %d, parameter %q, detail with %q", p, tc.status, tc.param, tc.detail)
			}
		})
	}
}

func TestHeaderLimitCountsTheWire(t *testing.T) {
	r := httptest.NewRequest("GET", "/collections?f=json", nil)
	r.Header.Set("Accept", "application/json")
	// "GET /collections?f=json HTTP/1.1\r\n" "Host: example.com\r\n" "Accept: application/json\r\n" "\r\n"
	want := len("GET /collections?f=json HTTP/1.1\r\n") + len("Host: example.com\r\n") + len("Accept: application/json\r\n") + 2
	if got := headerSize(r); got != want {
		t.Fatalf("headerSize %d, want %d", got, want)
	}
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	for _, tc := range []struct {
		max, status int
	}{{want, http.StatusNoContent}, {want - 1, http.StatusRequestHeaderFieldsTooLarge}, {0, http.StatusNoContent}} {
		w := httptest.NewRecorder()
		HeaderLimit(tc.max)(next).ServeHTTP(w, r)
		if w.Code != tc.status {
			t.Errorf("max %d: status %d, want %d", tc.max, w.Code, tc.status)
		}
		if tc.status == http.StatusRequestHeaderFieldsTooLarge {
			if p := decodeProblem(t, w); p.Parameter != "headers" {
				t.Errorf("max %d: problem %+v", tc.max, p)
			}
		}
	}
}

// BenchmarkProblemConnCheck is what ProblemListener adds to each write of
// a response: a small head-and-body write (checked) and a 4 KiB body
// chunk (not: too long).
func BenchmarkProblemConnCheck(b *testing.B) {
	small := []byte("HTTP/1.1 200 OK\r\nDate: Sun, 06 Dec 2026 11:31:31 GMT\r\nContent-Length: 2\r\nContent-Type: application/json\r\n\r\n{}")
	chunk := []byte("HTTP/1.1 " + strings.Repeat("x", 4096))
	for _, bc := range []struct {
		name string
		p    []byte
	}{{"small response", small}, {"4 KiB chunk", chunk}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, ok := rewriteGoError(bc.p, 1024); ok {
					b.Fatal("rewritten")
				}
			}
		})
	}
}
