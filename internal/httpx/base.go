package httpx

import (
	"context"
	"net/http"
	"strings"
)

// BaseURL is the prefix of the links a response holds. The configured
// public URL wins (set it behind a proxy); else the scheme and the Host the
// request came to, when Host is a well-formed host[:port]. A Host header
// that is not one (a client can send anything) never reaches a link:
// "localhost" stands in for it.
func BaseURL(r *http.Request, public string) string {
	return baseURL(r, public) + PathPrefix(r.Context())
}

func baseURL(r *http.Request, public string) string {
	if public != "" {
		return strings.TrimRight(public, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := strings.ToLower(r.Header.Get("X-Forwarded-Proto")); p == "https" || p == "http" {
		scheme = p
	}
	host := r.Host
	if !ValidHost(host) {
		host = "localhost"
	}
	return scheme + "://" + host
}

// ValidHost reports whether h is a host name (letters, digits, '-', '.'),
// an IPv4 address or a bracketed IPv6 address, with an optional port.
func ValidHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	name, port := h, ""
	if strings.HasPrefix(h, "[") {
		end := strings.IndexByte(h, ']')
		if end < 0 {
			return false
		}
		for _, c := range h[1:end] {
			if !(c == ':' || c == '.' || isHex(c)) {
				return false
			}
		}
		name, port = "", h[end+1:]
		if port != "" && !strings.HasPrefix(port, ":") {
			return false
		}
		port = strings.TrimPrefix(port, ":")
	} else if i := strings.LastIndexByte(h, ':'); i >= 0 {
		name, port = h[:i], h[i+1:]
		if port == "" {
			return false
		}
	}
	if len(port) > 5 {
		return false
	}
	for _, c := range port {
		if c < '0' || c > '9' {
			return false
		}
	}
	for _, label := range strings.Split(name, ".") {
		if name == "" {
			break
		}
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				return false
			}
		}
	}
	return true
}

func isHex(c rune) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

type prefixKey struct{}

// WithPathPrefix records the path prefix a request came under (/c/lucca),
// which the router took off: BaseURL puts it back in links.
func WithPathPrefix(ctx context.Context, prefix string) context.Context {
	return context.WithValue(ctx, prefixKey{}, prefix)
}

// PathPrefix is the prefix WithPathPrefix recorded ("" for none).
func PathPrefix(ctx context.Context) string {
	p, _ := ctx.Value(prefixKey{}).(string)
	return p
}
