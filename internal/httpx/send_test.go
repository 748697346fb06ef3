package httpx

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestSend(t *testing.T) {
	big := []byte(`{"a":"` + strings.Repeat("x", 4000) + `"}`)
	small := []byte(`{"a":1}`)
	tag := ETagOf(big)
	tests := []struct {
		name           string
		body           []byte
		ctype          string
		status         int
		headers        map[string]string
		wantStatus     int
		wantEncoding   string
		wantETag       string
		wantBodyLength int // -1: any
	}{
		{"identity", big, "application/json", 200, nil, 200, "", tag, len(big)},
		{"gzip", big, "application/json", 200, map[string]string{"Accept-Encoding": "gzip"}, 200, "gzip", GzipETag(tag), -1},
		{"gzip refused", big, "application/json", 200, map[string]string{"Accept-Encoding": "gzip;q=0"}, 200, "", tag, len(big)},
		{"x-gzip", big, "application/json", 200, map[string]string{"Accept-Encoding": "x-gzip"}, 200, "gzip", GzipETag(tag), -1},
		{"small not compressed", small, "application/json", 200, map[string]string{"Accept-Encoding": "gzip"}, 200, "", ETagOf(small), len(small)},
		{"pdf not compressed", big, "application/pdf", 200, map[string]string{"Accept-Encoding": "gzip"}, 200, "", tag, len(big)},
		{"revalidated", big, "application/json", 200, map[string]string{"If-None-Match": tag}, 304, "", tag, 0},
		{"revalidated gzip", big, "application/json", 200, map[string]string{"If-None-Match": `"x", ` + GzipETag(tag), "Accept-Encoding": "gzip"}, 304, "", GzipETag(tag), 0},
		{"identity tag does not validate gzip", big, "application/json", 200, map[string]string{"If-None-Match": tag, "Accept-Encoding": "gzip"}, 200, "gzip", GzipETag(tag), -1},
		{"other status: no tag", big, "application/geo+json", 300, map[string]string{"If-None-Match": tag}, 300, "", "", len(big)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			for k, v := range tc.headers {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			Send(w, r, tc.status, tc.ctype, tc.body)
			if w.Code != tc.wantStatus || w.Header().Get("Content-Encoding") != tc.wantEncoding || w.Header().Get("ETag") != tc.wantETag {
				t.Fatalf("status %d, encoding %q, etag %q", w.Code, w.Header().Get("Content-Encoding"), w.Header().Get("ETag"))
			}
			if tc.wantBodyLength >= 0 && w.Body.Len() != tc.wantBodyLength {
				t.Fatalf("body %d bytes, want %d", w.Body.Len(), tc.wantBodyLength)
			}
			if tc.wantEncoding == "gzip" {
				raw, err := Gunzip(w.Body.Bytes())
				if err != nil || string(raw) != string(tc.body) {
					t.Fatalf("gunzip: %v", err)
				}
			}
			if w.Code == http.StatusOK && w.Header().Get("Content-Length") == "" {
				t.Fatal("no Content-Length")
			}
		})
	}
}

func TestWriteProblem(t *testing.T) {
	tests := []struct {
		name   string
		p      *Problem
		status int
		param  string
		retry  string
	}{
		{"bad parameter", BadParameter("limit", "must be a positive integer"), 400, "limit", ""},
		{"not found", NotFound("no collection named x"), 404, "", ""},
		{"not found naming", NotFoundParameter("collectionId", "no collection x"), 404, "collectionId", ""},
		{"unavailable", Unavailable("database unavailable", 1), 503, "", "1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			w.Header().Set("ETag", `"stale"`)
			w.Header().Set("Content-Encoding", "gzip")
			WriteProblem(w, httptest.NewRequest("GET", "/collections/x/items?limit=-1", nil), tc.p)
			got := decodeProblem(t, w)
			if w.Code != tc.status || got.Status != tc.status || got.Parameter != tc.param || got.Instance != "/collections/x/items" || got.Title == "" || got.Type != "about:blank" {
				t.Fatalf("%d %+v", w.Code, got)
			}
			if w.Header().Get("Retry-After") != tc.retry || w.Header().Get("ETag") != "" || w.Header().Get("Content-Encoding") != "" {
				t.Fatalf("headers %v", w.Header())
			}
			if tc.p.Instance != "" {
				t.Fatal("WriteProblem modified the caller's problem")
			}
		})
	}
}

func TestETagMatch(t *testing.T) {
	tests := []struct {
		name, inm string
		want      string
		ok        bool
	}{
		{"none", "", "", false},
		{"identity", `"a"`, `"a"`, true},
		{"gzip variant", `"a-gz"`, `"a-gz"`, true},
		{"weak", `W/"a"`, `"a"`, true},
		{"list", `"x", "a-gz"`, `"a-gz"`, true},
		{"other", `"b"`, "", false},
		{"star", "*", `"a"`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ETagMatch(tc.inm, `"a"`, `"a-gz"`)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("ETagMatch(%q) = %q, %v; want %q, %v", tc.inm, got, ok, tc.want, tc.ok)
			}
		})
	}
}
