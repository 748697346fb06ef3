package problem

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestWrite(t *testing.T) {
	tests := []struct {
		name   string
		p      *Problem
		status int
		param  string
	}{
		{"bad parameter", BadParameter("limit", "must be a positive integer"), 400, "limit"},
		{"not found", NotFound("no collection named x"), 404, ""},
		{"any status", New(http.StatusServiceUnavailable, "database unavailable"), 503, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			Write(rec, httptest.NewRequest("GET", "/collections/x/items?limit=-1", nil), tc.p)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			if ct := rec.Header().Get("Content-Type"); ct != ContentType {
				t.Fatalf("content type %q", ct)
			}
			var got Problem
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if got.Status != tc.status || got.Parameter != tc.param || got.Instance != "/collections/x/items" || got.Title == "" {
				t.Fatalf("body %+v", got)
			}
		})
	}
}
