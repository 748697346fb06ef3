package httpx

import (
	"bytes"
	"net/http/httptest"
	"strconv"
	"testing"
)

func TestSpool(t *testing.T) {
	small := bytes.Repeat([]byte("feature,"), 100)
	large := bytes.Repeat([]byte(`{"type":"Feature","id":12345},`), SpoolMemory/10) // 3 MiB: memory and file
	tests := []struct {
		name     string
		body     []byte
		encoding string
		wantGzip bool
	}{
		{"small identity", small, "", false},
		{"small gzip", small, "gzip", true},
		{"one whole chunk", bytes.Repeat([]byte("x"), spoolChunk), "", false},
		{"several chunks in memory", large[:100_001], "", false},
		{"all the memory, no file", large[:SpoolMemory], "", false},
		{"large identity spills to a file", large, "", false},
		{"large gzip", large, "gzip", true},
		{"gzip refused", large, "gzip;q=0", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Accept-Encoding", tc.encoding)
			s := NewSpool(r, "application/geo+json")
			defer s.Close()
			for i := 0; i < len(tc.body); i += 1000 {
				if _, err := s.Write(tc.body[i:min(i+1000, len(tc.body))]); err != nil {
					t.Fatal(err)
				}
			}
			w := httptest.NewRecorder()
			if err := s.Send(w, 200); err != nil {
				t.Fatal(err)
			}
			got := w.Body.Bytes()
			if tc.wantGzip != (w.Header().Get("Content-Encoding") == "gzip") {
				t.Fatalf("Content-Encoding %q", w.Header().Get("Content-Encoding"))
			}
			if w.Header().Get("Content-Length") != strconv.Itoa(len(got)) {
				t.Fatalf("Content-Length %s for %d bytes", w.Header().Get("Content-Length"), len(got))
			}
			if tc.wantGzip {
				var err error
				if got, err = Gunzip(got); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(got, tc.body) {
				t.Fatalf("body of %d bytes, want %d", len(got), len(tc.body))
			}
		})
	}
}
