package httpx

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// Content is a stored representation (a file, an embedded asset) served
// with Range and conditional requests.
type Content struct {
	Type         string
	Encoding     string // Content-Encoding of Body, if any
	ETag         string // strong, quoted
	ModTime      time.Time
	CacheControl string
	Body         io.ReadSeeker
	Size         int64
}

// ServeContent answers GET and HEAD for c per RFC 9110: preconditions
// (If-Match and If-Unmodified-Since → 412, If-None-Match and
// If-Modified-Since → 304), If-Range, and Range (206 with one range or
// multipart/byteranges; an unsatisfiable range, "bytes=-0" included, is a
// 416 problem with "Content-Range: bytes */size"; a malformed one a 416
// naming Range). HEAD gets the headers of the GET (Range does not apply).
func ServeContent(w http.ResponseWriter, r *http.Request, c Content) {
	h := w.Header()
	if c.ETag != "" {
		h.Set("ETag", c.ETag)
	}
	if !c.ModTime.IsZero() {
		h.Set("Last-Modified", c.ModTime.UTC().Format(http.TimeFormat))
	}
	if c.CacheControl != "" {
		h.Set("Cache-Control", c.CacheControl)
	}
	h.Set("Accept-Ranges", "bytes")
	if status, header := c.preconditions(r); status != 0 {
		if status == http.StatusPreconditionFailed {
			p := New(status, "the representation does not satisfy "+header)
			p.Parameter = header
			WriteProblem(w, r, p)
			return
		}
		w.WriteHeader(status)
		return
	}
	if c.Encoding != "" {
		h.Set("Content-Encoding", c.Encoding)
	}
	var ranges []ByteRange
	if rh := r.Header.Get("Range"); rh != "" && r.Method == http.MethodGet && c.rangeApplies(r) {
		var err error
		ranges, err = ParseRange(rh, c.Size)
		switch {
		case err == ErrRangeUnsatisfiable:
			p := New(http.StatusRequestedRangeNotSatisfiable, fmt.Sprintf("no range of %q overlaps the %d bytes of the content", Clip(rh), c.Size))
			p.Parameter = "Range"
			h.Set("Content-Range", "bytes */"+strconv.FormatInt(c.Size, 10))
			WriteProblem(w, r, p)
			return
		case err == errRangeIgnored:
			ranges = nil
		case err != nil:
			WriteProblem(w, r, err.(*Problem))
			return
		}
	}
	h.Set("Content-Type", c.Type)
	switch len(ranges) {
	case 0:
		h.Set("Content-Length", strconv.FormatInt(c.Size, 10))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = io.CopyN(writerOnly{w}, c.Body, c.Size)
		}
	case 1:
		c.sendRange(w, ranges[0])
	default:
		c.sendRanges(w, ranges)
	}
}

// preconditions evaluates the conditional headers in RFC 9110 §13.2.2's
// order: 0 to go on, else the status to answer with and the header that
// decided it.
func (c Content) preconditions(r *http.Request) (int, string) {
	if im := r.Header.Get("If-Match"); im != "" {
		if !strongMatch(im, c.ETag) {
			return http.StatusPreconditionFailed, "If-Match"
		}
	} else if t, ok := httpDate(r.Header.Get("If-Unmodified-Since")); ok && !c.ModTime.IsZero() && c.ModTime.Truncate(time.Second).After(t) {
		return http.StatusPreconditionFailed, "If-Unmodified-Since"
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		if _, ok := ETagMatch(inm, c.ETag); ok && c.ETag != "" {
			return http.StatusNotModified, "If-None-Match"
		}
	} else if t, ok := httpDate(r.Header.Get("If-Modified-Since")); ok && !c.ModTime.IsZero() && !c.ModTime.Truncate(time.Second).After(t) {
		return http.StatusNotModified, "If-Modified-Since"
	}
	return 0, ""
}

// rangeApplies evaluates If-Range: a strong tag equal to the current one,
// or the exact Last-Modified date.
func (c Content) rangeApplies(r *http.Request) bool {
	ir := r.Header.Get("If-Range")
	if ir == "" {
		return true
	}
	if strings.HasPrefix(ir, `"`) {
		return c.ETag != "" && ir == c.ETag
	}
	t, ok := httpDate(ir)
	return ok && !c.ModTime.IsZero() && c.ModTime.Truncate(time.Second).Equal(t)
}

func (c Content) sendRange(w http.ResponseWriter, br ByteRange) {
	h := w.Header()
	h.Set("Content-Range", br.ContentRange(c.Size))
	h.Set("Content-Length", strconv.FormatInt(br.Length, 10))
	w.WriteHeader(http.StatusPartialContent)
	if _, err := c.Body.Seek(br.Start, io.SeekStart); err == nil {
		_, _ = io.CopyN(writerOnly{w}, c.Body, br.Length)
	}
}

func (c Content) sendRanges(w http.ResponseWriter, ranges []ByteRange) {
	mw := multipart.NewWriter(writerOnly{w})
	w.Header().Set("Content-Type", "multipart/byteranges; boundary="+mw.Boundary())
	w.Header().Del("Content-Encoding")
	w.WriteHeader(http.StatusPartialContent)
	for _, br := range ranges {
		part, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {c.Type}, "Content-Range": {br.ContentRange(c.Size)}})
		if err != nil {
			return
		}
		if _, err := c.Body.Seek(br.Start, io.SeekStart); err != nil {
			return
		}
		if _, err := io.CopyN(part, c.Body, br.Length); err != nil {
			return
		}
	}
	_ = mw.Close()
}

// strongMatch implements If-Match: "*" or a strong tag equal to etag.
func strongMatch(header, etag string) bool {
	if strings.TrimSpace(header) == "*" {
		return etag != ""
	}
	for _, part := range strings.Split(header, ",") {
		if t := strings.TrimSpace(part); t == etag && etag != "" && !strings.HasPrefix(t, "W/") {
			return true
		}
	}
	return false
}

func httpDate(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := http.ParseTime(s)
	return t, err == nil
}
