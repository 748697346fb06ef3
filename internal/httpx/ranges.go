package httpx

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ByteRange is a satisfiable range of a representation: Length bytes from Start.
type ByteRange struct {
	Start, Length int64
}

// ContentRange is the Content-Range value of the range in a body of size bytes.
func (b ByteRange) ContentRange(size int64) string {
	return fmt.Sprintf("bytes %d-%d/%d", b.Start, b.Start+b.Length-1, size)
}

// MaxRanges bounds the ranges of one request: many small or overlapping
// ranges cost far more to serve than they are worth (RFC 9110 §14.2
// allows refusing them).
const MaxRanges = 16

// Range header outcomes besides a list of ranges.
var (
	// errRangeIgnored: not a bytes range (another unit): serve the whole
	// representation, as RFC 9110 §14.2 requires.
	errRangeIgnored = errors.New("range ignored")
	// ErrRangeUnsatisfiable: well-formed, but no range overlaps the representation.
	ErrRangeUnsatisfiable = errors.New("no range overlaps the content")
)

// ParseRange reads a Range header (RFC 9110 §14.1.1) against a
// representation of size bytes and returns its satisfiable ranges, clipped
// to the size. Ranges that start past the end, and suffix ranges of zero
// length ("bytes=-0"), select nothing and are dropped; when nothing is
// left the error is ErrRangeUnsatisfiable (416). A malformed header
// (negative or reversed positions, garbage, too many ranges) is a
// *Problem naming Range.
func ParseRange(header string, size int64) ([]ByteRange, error) {
	unit, set, ok := strings.Cut(header, "=")
	if !ok {
		return nil, badRange(header, "want bytes=FIRST-LAST, bytes=FIRST- or bytes=-SUFFIX")
	}
	if !strings.EqualFold(strings.TrimSpace(unit), "bytes") {
		return nil, errRangeIgnored
	}
	specs := strings.Split(set, ",")
	if len(specs) > MaxRanges {
		return nil, badRange(header, fmt.Sprintf("at most %d ranges in one request", MaxRanges))
	}
	var out []ByteRange
	for _, spec := range specs {
		spec = strings.TrimSpace(spec)
		first, last, ok := strings.Cut(spec, "-")
		if !ok {
			return nil, badRange(header, fmt.Sprintf("%q is not FIRST-LAST, FIRST- or -SUFFIX", Clip(spec)))
		}
		if first == "" {
			n, ok := position(last)
			if !ok {
				return nil, badRange(header, fmt.Sprintf("suffix %q is not a non-negative integer", Clip(last)))
			}
			if n > 0 && size > 0 {
				n = min(n, size)
				out = append(out, ByteRange{Start: size - n, Length: n})
			}
			continue
		}
		a, ok := position(first)
		if !ok {
			return nil, badRange(header, fmt.Sprintf("first position %q is not a non-negative integer", Clip(first)))
		}
		b := size - 1
		if last != "" {
			if b, ok = position(last); !ok {
				return nil, badRange(header, fmt.Sprintf("last position %q is not a non-negative integer", Clip(last)))
			}
			if b < a {
				return nil, badRange(header, fmt.Sprintf("range %q ends before it starts", Clip(spec)))
			}
			b = min(b, size-1)
		}
		if a < size {
			out = append(out, ByteRange{Start: a, Length: b - a + 1})
		}
	}
	if len(out) == 0 {
		return nil, ErrRangeUnsatisfiable
	}
	return out, nil
}

// position reads a byte position: 1*DIGIT, no sign, no spaces, within int64.
func position(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

func badRange(header, why string) *Problem {
	p := New(416, fmt.Sprintf("the Range header %q is not valid: %s", Clip(header), why))
	p.Parameter = "Range"
	return p
}
