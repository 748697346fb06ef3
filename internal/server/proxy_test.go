package server

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

func TestForwarded(t *testing.T) {
	trusted := parsePrefixes([]string{"127.0.0.1", "10.0.0.0/8", "::1"})
	tests := []struct {
		name, peer string
		headers    map[string]string
		// what the handler sees
		base, client string
		leftover     []string // forwarding headers that must be gone
	}{
		{"no proxy", "192.0.2.7:5555", nil, "http://sit.example", "192.0.2.7", nil},
		{"untrusted peer: every forwarding header dropped", "192.0.2.7:5555",
			map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-For": "1.2.3.4", "X-Forwarded-Host": "evil.example", "Forwarded": "for=1.2.3.4", "X-Real-Ip": "1.2.3.4"},
			"http://sit.example", "192.0.2.7", []string{"X-Forwarded-Proto", "X-Forwarded-For", "X-Forwarded-Host", "Forwarded", "X-Real-Ip"}},
		{"trusted proxy", "127.0.0.1:40000",
			map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.9", "X-Forwarded-Host": "sit.comune.lucca.it"},
			"https://sit.comune.lucca.it", "198.51.100.9", nil},
		{"client's own X-Forwarded-For entries are not believed", "127.0.0.1:40000",
			map[string]string{"X-Forwarded-For": "6.6.6.6, 198.51.100.9"}, "http://sit.example", "198.51.100.9", nil},
		{"a chain of trusted proxies", "10.1.1.1:40000",
			map[string]string{"X-Forwarded-For": "198.51.100.9, 10.2.2.2"}, "http://sit.example", "198.51.100.9", nil},
		{"junk in the chain stops the walk", "127.0.0.1:40000",
			map[string]string{"X-Forwarded-For": "198.51.100.9, <script>, 10.2.2.2"}, "http://sit.example", "10.2.2.2", nil},
		{"junk scheme and host ignored", "127.0.0.1:40000",
			map[string]string{"X-Forwarded-Proto": "javascript", "X-Forwarded-Host": "a b"}, "http://sit.example", "127.0.0.1", []string{"X-Forwarded-Proto"}},
		{"first of a list of schemes", "[::1]:40000",
			map[string]string{"X-Forwarded-Proto": "https, http"}, "https://sit.example", "::1", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var base, client string
			var hdr http.Header
			h := forwarded(trusted)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				base, client, hdr = httpx.BaseURL(r, ""), clientIP(r), r.Header
			}))
			r := httptest.NewRequest("GET", "/", nil)
			r.Host, r.RemoteAddr = "sit.example", tc.peer
			for k, v := range tc.headers {
				r.Header.Set(k, v)
			}
			h.ServeHTTP(httptest.NewRecorder(), r)
			if base != tc.base || client != tc.client {
				t.Fatalf("base %q client %q, want %q %q", base, client, tc.base, tc.client)
			}
			for _, name := range tc.leftover {
				if hdr.Get(name) != "" {
					t.Errorf("%s still there: %q", name, hdr.Get(name))
				}
			}
		})
	}
}

// Through the whole handler: links follow a trusted proxy's scheme and
// host, the access log names the client, and --public-url wins over both.
func TestForwardedLinksAndAccessLog(t *testing.T) {
	tests := []struct {
		name, public string
		trusted      []string
		wantLink     string
		wantClient   string
	}{
		{"not trusted", "", nil, "http://127.0.0.1:8080/collections", "127.0.0.1"},
		{"trusted", "", []string{"127.0.0.1"}, "https://sit.comune.lucca.it/collections", "203.0.113.5"},
		{"public URL", "https://gis.example.org/sit", []string{"127.0.0.1"}, "https://gis.example.org/sit/collections", "203.0.113.5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			cfg := config.DefaultServer()
			cfg.PublicURL, cfg.TrustedProxies = tc.public, tc.trusted
			log := slog.New(slog.DiscardHandler)
			h := New(Deps{Config: cfg, Catalog: layers.NewCatalog(nil, log), Log: log, Version: "test",
				AccessLog: slog.New(slog.NewJSONHandler(&logs, nil))})
			r := httptest.NewRequest("GET", "/?f=json", nil)
			r.Host, r.RemoteAddr = "127.0.0.1:8080", "127.0.0.1:50000"
			r.Header.Set("X-Forwarded-Proto", "https")
			r.Header.Set("X-Forwarded-Host", "sit.comune.lucca.it")
			r.Header.Set("X-Forwarded-For", "203.0.113.5")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"`+tc.wantLink) {
				t.Fatalf("%d: no link %s in %s", rec.Code, tc.wantLink, rec.Body.String())
			}
			var rec1 struct {
				Msg, Method, Path, Query, Client string
				Status                           int
			}
			if err := json.Unmarshal(logs.Bytes(), &rec1); err != nil {
				t.Fatalf("access log %q: %v", logs.String(), err)
			}
			if rec1.Msg != "request" || rec1.Method != "GET" || rec1.Path != "/" || rec1.Query != "f=json" || rec1.Status != 200 || rec1.Client != tc.wantClient {
				t.Fatalf("access log %+v", rec1)
			}
		})
	}
}
