package httpx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
)

// HeadersTooLarge is the 431 problem for a request line and headers past
// max bytes: one text whether the handler chain (HeaderLimit) or the
// connection (ProblemListener) refuses them.
func HeadersTooLarge(max int) *Problem {
	p := New(http.StatusRequestHeaderFieldsTooLarge,
		fmt.Sprintf("the request line and headers are larger than the server accepts (%d bytes)", max))
	p.Parameter = "headers"
	return p
}

// HeaderLimit answers 431 problem+json to a request whose line and headers
// (as sent: method, target, protocol, each name and value, separators)
// exceed max bytes. net/http's own MaxHeaderBytes is a coarse bound (it
// reads up to 4 KiB past it) and answers in plain text; this makes the
// documented limit exact, and ProblemListener covers what net/http refuses
// before a handler runs.
func HeaderLimit(max int) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if max <= 0 {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if headerSize(r) > max {
				w.Header().Set("Connection", "close")
				WriteProblem(w, r, HeadersTooLarge(max))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// headerSize is the size of r's request line and header section on the
// wire (HTTP/1.1 framing): "METHOD TARGET PROTO\r\n", "Name: value\r\n"
// for each field, "\r\n". Host travels as a header but net/http keeps it
// apart.
func headerSize(r *http.Request) int {
	n := len(r.Method) + 1 + len(r.RequestURI) + 1 + len(r.Proto) + 2 + 2
	if r.Host != "" {
		n += len("Host: ") + len(r.Host) + 2
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + 2 + len(v) + 2
		}
	}
	return n
}

// ProblemListener wraps ln so that the answers net/http writes on its
// own, before any handler runs, are problem details like every other
// error instead of text/plain: a request line and headers past the
// server's MaxHeaderBytes (431, said with maxHeaderBytes), a malformed
// request, a missing or malformed Host, an unsupported protocol version
// (400, 505), an unsupported transfer encoding (501), an Expect header
// other than 100-continue (417). Only a plain-TCP
// listener is meaningful here (under TLS the bytes are encrypted and pass
// unchanged).
func ProblemListener(ln net.Listener, maxHeaderBytes int) net.Listener {
	return &problemListener{Listener: ln, max: maxHeaderBytes}
}

type problemListener struct {
	net.Listener
	max int
}

func (l *problemListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &problemConn{Conn: c, max: l.max}, nil
}

// problemConn rewrites net/http's early error answers as they are written.
type problemConn struct {
	net.Conn
	max int
}

// goErrorHeaders is what net/http writes between the status line and the
// body of an answer it makes before any handler (server.go, conn.serve).
// Answers made through a ResponseWriter start with a Date header, so they
// never have this shape.
const goErrorHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"

// goExpectationFailed starts net/http's answer to an Expect header other
// than 100-continue: headers only, through a ResponseWriter, before any
// handler. No handler of SIT answers 417.
const goExpectationFailed = "HTTP/1.1 417 Expectation Failed\r\nConnection: close\r\n"

func (c *problemConn) Write(p []byte) (int, error) {
	if rewritten, ok := rewriteGoError(p, c.max); ok {
		if _, err := c.Conn.Write(rewritten); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return c.Conn.Write(p)
}

// rewriteGoError turns one of net/http's plain-text early answers (written
// in one Write: "HTTP/1.1 CODE TEXT" + goErrorHeaders + body) into the
// same status with a problem+json body.
func rewriteGoError(p []byte, maxHeaderBytes int) ([]byte, bool) {
	const proto = "HTTP/1.1 "
	if len(p) > 1024 || !bytes.HasPrefix(p, []byte(proto)) {
		return nil, false
	}
	if bytes.HasPrefix(p, []byte(goExpectationFailed)) && bytes.HasSuffix(p, []byte("\r\nContent-Length: 0\r\n\r\n")) {
		prob := New(http.StatusExpectationFailed, "the only expectation the server meets is 100-continue")
		prob.Parameter = "Expect"
		return problemResponse(prob), true
	}
	i := bytes.IndexByte(p, '\r') // the end of the status line
	if i < 0 || !bytes.HasPrefix(p[i:], []byte(goErrorHeaders)) || bytes.IndexByte(p[:i], '\n') >= 0 {
		return nil, false
	}
	line := string(p[len(proto):i]) // "431 Request Header Fields Too Large", "400 Bad Request: missing required Host header"
	code, err := strconv.Atoi(line[:min(3, len(line))])
	if err != nil || code < 400 || code > 599 || len(line) < 4 || line[3] != ' ' {
		return nil, false
	}
	var prob *Problem
	switch {
	case code == http.StatusRequestHeaderFieldsTooLarge:
		prob = HeadersTooLarge(maxHeaderBytes)
	case code == http.StatusNotImplemented:
		prob = New(code, "the request's Transfer-Encoding is not supported")
		prob.Parameter = "Transfer-Encoding"
	default:
		detail := "the request is not valid HTTP"
		if _, reason, ok := bytes.Cut(p[len(proto):i], []byte(": ")); ok {
			detail = "the request is not valid HTTP: " + string(reason)
		}
		prob = New(code, detail)
	}
	return problemResponse(prob), true
}

// problemResponse is a whole HTTP/1.1 answer carrying p, closing the
// connection.
func problemResponse(p *Problem) []byte {
	body, _ := json.Marshal(p) // strings and ints always encode
	body = append(body, '\n')
	var out bytes.Buffer
	fmt.Fprintf(&out, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"+
		"Content-Length: %d\r\nConnection: close\r\n\r\n", p.Status, http.StatusText(p.Status), ProblemType, len(body))
	out.Write(body)
	return out.Bytes()
}

// CloseWrite lets net/http half-close the connection after a 431, as it
// does on a bare TCP connection.
func (c *problemConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// ReadFrom keeps the kernel's copy (sendfile, splice) for bodies that
// net/http copies from a file: those bytes are a response body, never an
// early error.
func (c *problemConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c.Conn}, r)
}
