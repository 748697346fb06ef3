package server

import (
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/sit-gis/sit/internal/httpx"
)

// forwarded believes the X-Forwarded-For, -Proto and -Host headers of the
// requests that come from a trusted proxy (server.trusted_proxies) and
// removes them from every other request, so that no client can choose the
// scheme of links (httpx.BaseURL), the address per-client limits and the
// access log see, or the host of links. Behind a trusted proxy:
//   - the client is the right-most address of X-Forwarded-For that is not
//     itself a trusted proxy (the ones to its left may be forged);
//   - X-Forwarded-Proto (http or https) is the scheme;
//   - X-Forwarded-Host, when a well-formed host, is the Host.
func forwarded(trusted []netip.Prefix) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := r.Header
			if peer, ok := peerAddr(r); !ok || !isTrusted(trusted, peer) {
				for _, name := range []string{"X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "Forwarded", "X-Real-Ip"} {
					h.Del(name)
				}
				next.ServeHTTP(w, r)
				return
			}
			if client, ok := forwardedFor(h.Values("X-Forwarded-For"), trusted); ok {
				r.RemoteAddr = net.JoinHostPort(client.String(), "0")
			}
			if p := strings.ToLower(firstItem(h.Get("X-Forwarded-Proto"))); p == "http" || p == "https" {
				h.Set("X-Forwarded-Proto", p)
			} else {
				h.Del("X-Forwarded-Proto")
			}
			if host := firstItem(h.Get("X-Forwarded-Host")); host != "" && httpx.ValidHost(host) {
				r.Host = host
			}
			next.ServeHTTP(w, r)
		})
	}
}

// parsePrefixes reads the configured proxies (validated by config): an
// address is a prefix of its full length.
func parsePrefixes(list []string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range list {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(s); err == nil {
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return out
}

func isTrusted(trusted []netip.Prefix, a netip.Addr) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func peerAddr(r *http.Request) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}, false
	}
	return ap.Addr().Unmap(), true
}

// forwardedFor walks the X-Forwarded-For list from the right, past the
// trusted proxies, to the first address that is not one.
func forwardedFor(values []string, trusted []netip.Prefix) (netip.Addr, bool) {
	var chain []string
	for _, v := range values {
		chain = append(chain, strings.Split(v, ",")...)
	}
	var last netip.Addr
	for i := len(chain) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(chain[i]))
		if err != nil {
			return last, last.IsValid() // a forged or broken entry: stop at the last good one
		}
		last = a.Unmap()
		if !isTrusted(trusted, last) {
			return last, true
		}
	}
	return last, last.IsValid()
}

func firstItem(v string) string {
	first, _, _ := strings.Cut(v, ",")
	return strings.TrimSpace(first)
}

// clientIP is the address of the client: the TCP peer, or the address a
// trusted proxy forwarded (see forwarded).
func clientIP(r *http.Request) string {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return ip
}
