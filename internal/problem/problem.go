// Package problem writes RFC 9457 problem details (application/problem+json),
// the one error format of every SIT endpoint.
package problem

import (
	"encoding/json"
	"net/http"
)

// ContentType is the media type of problem details.
const ContentType = "application/problem+json"

// Problem is an RFC 9457 problem detail. Parameter names the query or path
// parameter at fault, so that a client can point at it.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Instance  string `json:"instance,omitempty"`
	Parameter string `json:"parameter,omitempty"`
}

// Error makes a Problem usable as an error from core code, so that handlers
// stay thin: the core returns *Problem for bad input, handlers write it.
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

// New builds a problem with any status.
func New(status int, detail string) *Problem {
	return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
}

// Write sends p. The instance is the request path (not the query, which may
// hold what the client typed).
func Write(w http.ResponseWriter, r *http.Request, p *Problem) {
	if p.Type == "" {
		p.Type = "about:blank"
	}
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	if r != nil && p.Instance == "" {
		p.Instance = r.URL.Path
	}
	h := w.Header()
	h.Set("Content-Type", ContentType)
	h.Set("Cache-Control", "no-store")
	h.Del("Content-Length")
	h.Del("ETag")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}
