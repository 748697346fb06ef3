package httpx

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// ProblemType is the media type of problem details.
const ProblemType = "application/problem+json"

// Problem is an RFC 9457 problem detail. Parameter names the query or path
// parameter (or header, or "body") at fault, so that a client can point at
// it. Cores return *Problem for bad input; handlers write it.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Instance  string `json:"instance,omitempty"`
	Parameter string `json:"parameter,omitempty"`
	// RetryAfter, in seconds, is sent as the Retry-After header (503, 429).
	RetryAfter int `json:"-"`
}

// Error makes a Problem usable as an error from core code.
func (p *Problem) Error() string {
	if p.Parameter != "" {
		return p.Title + ": " + p.Parameter + ": " + p.Detail
	}
	return p.Title + ": " + p.Detail
}

// BadParameter is a 400 naming the parameter and the reason.
func BadParameter(param, detail string) *Problem {
	return &Problem{Type: "about:blank", Title: "Bad Request", Status: http.StatusBadRequest, Detail: detail, Parameter: param}
}

// NotFound is a 404 with a reason.
func NotFound(detail string) *Problem {
	return &Problem{Type: "about:blank", Title: "Not Found", Status: http.StatusNotFound, Detail: detail}
}

// NotFoundParameter is a 404 naming the path parameter that named nothing.
func NotFoundParameter(param, detail string) *Problem {
	p := NotFound(detail)
	p.Parameter = param
	return p
}

// New builds a problem with any status.
func New(status int, detail string) *Problem {
	return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
}

// Unavailable is a 503 asking the client to retry after some seconds.
func Unavailable(detail string, retryAfter int) *Problem {
	p := New(http.StatusServiceUnavailable, detail)
	p.RetryAfter = retryAfter
	return p
}

// WriteProblem sends p. The instance is the request path (not the query,
// which may hold what the client typed). Headers a successful answer would
// have set (length, validators, encoding) are removed.
func WriteProblem(w http.ResponseWriter, r *http.Request, p *Problem) {
	cp := *p // a core may return a shared *Problem: never modify it
	if cp.Type == "" {
		cp.Type = "about:blank"
	}
	if cp.Title == "" {
		cp.Title = http.StatusText(cp.Status)
	}
	if r != nil && cp.Instance == "" {
		cp.Instance = r.URL.Path
	}
	h := w.Header()
	for _, k := range []string{"Content-Length", "ETag", "Last-Modified", "Content-Encoding", "Content-Disposition", "Content-Crs"} {
		h.Del(k)
	}
	h.Set("Content-Type", ProblemType)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if cp.RetryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(cp.RetryAfter))
	}
	body, _ := json.Marshal(cp) // a struct of strings and ints always encodes
	body = append(body, '\n')
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(cp.Status)
	_, _ = w.Write(body)
}
