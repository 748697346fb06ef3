package httpx

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestServeContent(t *testing.T) {
	body := []byte("0123456789abcdefghij")
	mod := time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)
	c := func() Content {
		return Content{Type: "application/vnd.pmtiles", ETag: `"v1"`, ModTime: mod, Body: bytes.NewReader(body), Size: int64(len(body))}
	}
	tests := []struct {
		name         string
		method       string
		headers      map[string]string
		wantStatus   int
		wantBody     string
		contentRange string
		problem      string // the parameter a problem names
	}{
		{"whole", "GET", nil, 200, string(body), "", ""},
		{"head", "HEAD", nil, 200, "", "", ""},
		{"head ignores range", "HEAD", map[string]string{"Range": "bytes=0-1"}, 200, "", "", ""},
		{"range", "GET", map[string]string{"Range": "bytes=2-4"}, 206, "234", "bytes 2-4/20", ""},
		{"open range", "GET", map[string]string{"Range": "bytes=18-"}, 206, "ij", "bytes 18-19/20", ""},
		{"suffix", "GET", map[string]string{"Range": "bytes=-3"}, 206, "hij", "bytes 17-19/20", ""},
		{"suffix zero", "GET", map[string]string{"Range": "bytes=-0"}, 416, "", "bytes */20", "Range"},
		{"past the end", "GET", map[string]string{"Range": "bytes=20-"}, 416, "", "bytes */20", "Range"},
		{"reversed", "GET", map[string]string{"Range": "bytes=5-1"}, 416, "", "", "Range"},
		{"negative", "GET", map[string]string{"Range": "bytes=-5-1"}, 416, "", "", "Range"},
		{"other unit ignored", "GET", map[string]string{"Range": "lines=1-2"}, 200, string(body), "", ""},
		{"if-range matches", "GET", map[string]string{"Range": "bytes=0-1", "If-Range": `"v1"`}, 206, "01", "bytes 0-1/20", ""},
		{"if-range stale", "GET", map[string]string{"Range": "bytes=0-1", "If-Range": `"v0"`}, 200, string(body), "", ""},
		{"if-range weak never matches", "GET", map[string]string{"Range": "bytes=0-1", "If-Range": `W/"v1"`}, 200, string(body), "", ""},
		{"if-range date", "GET", map[string]string{"Range": "bytes=0-1", "If-Range": mod.Format(http.TimeFormat)}, 206, "01", "bytes 0-1/20", ""},
		{"if-none-match", "GET", map[string]string{"If-None-Match": `"v1"`}, 304, "", "", ""},
		{"if-none-match weak", "GET", map[string]string{"If-None-Match": `W/"v1"`}, 304, "", "", ""},
		{"if-modified-since", "GET", map[string]string{"If-Modified-Since": mod.Format(http.TimeFormat)}, 304, "", "", ""},
		{"modified since", "GET", map[string]string{"If-Modified-Since": mod.Add(-time.Hour).Format(http.TimeFormat)}, 200, string(body), "", ""},
		{"if-match fails", "GET", map[string]string{"If-Match": `"v0"`}, 412, "", "", "If-Match"},
		{"if-match star", "GET", map[string]string{"If-Match": "*", "Range": "bytes=0-0"}, 206, "0", "bytes 0-0/20", ""},
		{"unmodified since fails", "GET", map[string]string{"If-Unmodified-Since": mod.Add(-time.Hour).Format(http.TimeFormat)}, 412, "", "", "If-Unmodified-Since"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, "/a.pmtiles", nil)
			for k, v := range tc.headers {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			ServeContent(w, r, c())
			if w.Code != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.wantStatus, w.Body)
			}
			if tc.problem != "" {
				if p := decodeProblem(t, w); p.Parameter != tc.problem {
					t.Fatalf("problem %+v", p)
				}
			} else if w.Body.String() != tc.wantBody {
				t.Fatalf("body %q, want %q", w.Body, tc.wantBody)
			}
			if w.Header().Get("Content-Range") != tc.contentRange {
				t.Fatalf("Content-Range %q, want %q", w.Header().Get("Content-Range"), tc.contentRange)
			}
			if (w.Code == 200 || w.Code == 206) && w.Header().Get("ETag") != `"v1"` {
				t.Fatalf("ETag %q", w.Header().Get("ETag"))
			}
			if tc.method == "HEAD" && w.Header().Get("Content-Length") != "20" {
				t.Fatalf("HEAD Content-Length %q", w.Header().Get("Content-Length"))
			}
		})
	}
}

func TestServeContentMultipart(t *testing.T) {
	body := []byte("0123456789")
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Range", "bytes=0-1,8-")
	w := httptest.NewRecorder()
	ServeContent(w, r, Content{Type: "text/plain", Body: bytes.NewReader(body), Size: 10})
	if w.Code != 206 {
		t.Fatalf("status %d", w.Code)
	}
	mt, params, err := mime.ParseMediaType(w.Header().Get("Content-Type"))
	if err != nil || mt != "multipart/byteranges" {
		t.Fatalf("%q %v", mt, err)
	}
	mr := multipart.NewReader(w.Body, params["boundary"])
	var got []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		got = append(got, p.Header.Get("Content-Range")+"="+string(b))
	}
	if len(got) != 2 || got[0] != "bytes 0-1/10=01" || got[1] != "bytes 8-9/10=89" {
		t.Fatalf("parts %q", got)
	}
}
