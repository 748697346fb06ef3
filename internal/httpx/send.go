package httpx

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Marshal encodes JSON without escaping <, > and & (links stay readable).
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// JSON sends v as a JSON document (see Send).
func JSON(w http.ResponseWriter, r *http.Request, status int, contentType string, v any) error {
	b, err := Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", contentType, err)
	}
	Send(w, r, status, contentType, b)
	return nil
}

// ETagOf is the strong entity tag of a body: a hash of its bytes.
func ETagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// GzipETag is the tag of the gzip-encoded variant of a representation
// whose identity tag is etag: a strong tag names one sequence of bytes.
func GzipETag(etag string) string {
	return strings.TrimSuffix(etag, `"`) + `-gz"`
}

// Send sends an in-memory body: with a strong ETag (a 200 whose tag the
// client holds is a 304 without body), gzip-encoded when the media type is
// worth it and the client accepts it, with its Content-Length. Documents
// describe a catalog that any import changes, so unless the handler set
// its own Cache-Control, clients revalidate each time (no-cache).
func Send(w http.ResponseWriter, r *http.Request, status int, contentType string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	zip := len(body) >= minGzip && Compressible(contentType)
	if zip {
		h.Add("Vary", "Accept-Encoding")
		zip = AcceptsGzip(r.Header.Get("Accept-Encoding"))
	}
	if status == http.StatusOK {
		etag := ETagOf(body)
		if zip {
			etag = GzipETag(etag)
		}
		h.Set("ETag", etag)
		if _, ok := ETagMatch(r.Header.Get("If-None-Match"), etag); ok {
			h.Del("Content-Type")
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	if zip {
		body = Gzip(body)
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// ETagMatch implements If-None-Match's weak comparison against the
// candidate tags; it returns the candidate that matched.
func ETagMatch(ifNoneMatch string, tags ...string) (string, bool) {
	if ifNoneMatch == "" || len(tags) == 0 {
		return "", false
	}
	if strings.TrimSpace(ifNoneMatch) == "*" {
		return tags[0], true
	}
	for _, part := range strings.Split(ifNoneMatch, ",") {
		t := strings.TrimPrefix(strings.TrimSpace(part), "W/")
		for _, c := range tags {
			if t == strings.TrimPrefix(c, "W/") {
				return c, true
			}
		}
	}
	return "", false
}
