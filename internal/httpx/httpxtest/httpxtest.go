// Package httpxtest runs table-driven requests against a feature
// package's mounted routes: the one harness of the handlers' tests.
package httpxtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
)

// Case is one request to the mounted routes and what must come back.
type Case struct {
	Name string
	// Method is GET when empty; Body and ContentType go with a POST.
	Method, Path      string
	Body, ContentType string
	// Status is the status wanted; Type the media type of a success (""
	// takes any); Param the parameter a problem names.
	Status      int
	Type, Param string
	// Check reads a success's body; CheckJSON the JSON object it holds.
	Check     func(t *testing.T, body []byte)
	CheckJSON func(t *testing.T, doc map[string]any)
}

// Run mounts m on a router of its own and runs the cases as subtests. A
// problem must be problem+json with the status of the response, name
// Param and never show SQL.
func Run(t *testing.T, m httpx.Mounter, cases []Case) {
	t.Helper()
	r := chi.NewRouter()
	m.Mount(r)
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			method := tc.Method
			if method == "" {
				method = http.MethodGet
			}
			req := httptest.NewRequest(method, tc.Path, strings.NewReader(tc.Body))
			if tc.ContentType != "" {
				req.Header.Set("Content-Type", tc.ContentType)
			}
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			if w.Code != tc.Status {
				t.Fatalf("status %d, want %d: %.500s", w.Code, tc.Status, w.Body)
			}
			if w.Code >= 400 {
				checkProblem(t, w, tc.Param)
				return
			}
			checkSuccess(t, w, tc)
		})
	}
}

func checkProblem(t *testing.T, w *httptest.ResponseRecorder, param string) {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != httpx.ProblemType {
		t.Fatalf("content type %q, want %q: %s", ct, httpx.ProblemType, w.Body)
	}
	var p httpx.Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p.Parameter != param || p.Status != w.Code {
		t.Fatalf("problem %s (%v), want status %d naming %q", w.Body, err, w.Code, param)
	}
	if strings.Contains(strings.ToLower(p.Detail), "sqlstate") || strings.Contains(p.Detail, "SELECT") {
		t.Fatalf("SQL in a problem: %s", p.Detail)
	}
}

func checkSuccess(t *testing.T, w *httptest.ResponseRecorder, tc Case) {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); tc.Type != "" && ct != tc.Type {
		t.Fatalf("content type %q, want %q", ct, tc.Type)
	}
	if tc.Check != nil {
		tc.Check(t, w.Body.Bytes())
	}
	if tc.CheckJSON != nil {
		var doc map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
			t.Fatalf("body: %v: %.300s", err, w.Body)
		}
		tc.CheckJSON(t, doc)
	}
}
