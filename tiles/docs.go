package tiles

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// BaseURL is the externally visible root of the server: the configured
// public URL, or the request's scheme and Host.
func BaseURL(r *http.Request, public string) string {
	if public != "" {
		return strings.TrimRight(public, "/")
	}
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// jsonDoc makes a JSON document response with a strong ETag from its
// bytes, answering 304 when If-None-Match holds it. Documents describe the
// catalog, which changes at any import: clients revalidate each time.
func jsonDoc(v any, contentType, ifNoneMatch string) (*Response, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", contentType, err)
	}
	b = append(b, '\n')
	sum := sha256.Sum256(b)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	h := http.Header{}
	h.Set("ETag", etag)
	h.Set("Cache-Control", "no-cache")
	h.Set("Access-Control-Allow-Origin", "*")
	if _, ok := etagMatch(ifNoneMatch, etag); ok {
		return &Response{Status: http.StatusNotModified, Header: h}, nil
	}
	h.Set("Content-Type", contentType)
	return &Response{Status: http.StatusOK, Header: h, Body: b}, nil
}

// Link is an OGC API link.
type Link struct {
	Href      string `json:"href"`
	Rel       string `json:"rel"`
	Type      string `json:"type,omitempty"`
	Title     string `json:"title,omitempty"`
	Templated bool   `json:"templated,omitempty"`
}

// versionTag is a short digest of the layers' versions, put in tile URL
// templates (?v=) so that an HTTP cache downstream never mixes versions
// once a client has re-read the TileJSON or style.
func versionTag(ls []planned) string {
	h := sha256.New()
	for _, p := range ls {
		fmt.Fprintf(h, "%s@%d;", p.layer.Name, p.layer.Version)
	}
	return hex.EncodeToString(h.Sum(nil)[:6])
}
