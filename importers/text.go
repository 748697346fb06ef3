package importers

import (
	"bufio"
	"bytes"
	"io"
)

// bom is the UTF-8 byte-order mark some Windows tools write first.
var bom = []byte("\xef\xbb\xbf")

// SkipBOM drops a UTF-8 byte-order mark at the start of r.
func SkipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, bom) {
		_, _ = br.Discard(3)
	}
	return br
}

// TrimBOM drops a UTF-8 byte-order mark at the start of b.
func TrimBOM(b []byte) []byte { return bytes.TrimPrefix(b, bom) }

// NilIfEmpty is nil for "" (a missing value) and s otherwise.
func NilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
