package httpx

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"
)

func TestBaseURL(t *testing.T) {
	tests := []struct {
		name, host, proto, public string
		tls                       bool
		want                      string
	}{
		{"host", "example.org", "", "", false, "http://example.org"},
		{"host and port", "127.0.0.1:8080", "", "", false, "http://127.0.0.1:8080"},
		{"ipv6", "[::1]:8080", "", "", false, "http://[::1]:8080"},
		{"public wins", "evil.example", "", "https://sit.comune.lucca.it/", false, "https://sit.comune.lucca.it"},
		{"forwarded https", "example.org", "https", "", false, "https://example.org"},
		{"forwarded junk ignored", "example.org", "javascript", "", false, "http://example.org"},
		{"tls", "example.org", "", "", true, "https://example.org"},
		{"quote in host", `exa"mple.org`, "", "", false, "http://localhost"},
		{"html in host", "<script>", "", "", false, "http://localhost"},
		{"path in host", "example.org/x", "", "", false, "http://localhost"},
		{"userinfo in host", "user@example.org", "", "", false, "http://localhost"},
		{"bad port", "example.org:80a", "", "", false, "http://localhost"},
		{"empty port", "example.org:", "", "", false, "http://localhost"},
		{"empty", "", "", "", false, "http://localhost"},
		{"label with dash at the end", "a-.org", "", "", false, "http://localhost"},
		{"unclosed bracket", "[::1", "", "", false, "http://localhost"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.Host = tc.host
			if tc.proto != "" {
				r.Header.Set("X-Forwarded-Proto", tc.proto)
			}
			if tc.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if got := BaseURL(r, tc.public); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}
