package synth

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// seqWriter writes one GeoJSON Feature per line (RFC 8142 text sequence
// without record separators, the form GDAL calls GeoJSONSeq/.geojsonl).
// Coordinates are lon/lat with 7 decimals (about 1 cm).
type seqWriter struct {
	path  string
	f     *os.File
	w     *bufio.Writer
	line  []byte
	count int64
}

func createSeq(path string) (*seqWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &seqWriter{path: path, f: f, w: bufio.NewWriterSize(f, 1<<20), line: make([]byte, 0, 4096)}, nil
}

// begin starts a feature with a numeric id; the caller appends the geometry
// and then calls props and end.
func (s *seqWriter) begin(id int64) []byte {
	b := append(s.line[:0], `{"type":"Feature","id":`...)
	b = strconv.AppendInt(b, id, 10)
	return append(b, `,"geometry":`...)
}

// end closes the properties object and the feature and writes the line.
func (s *seqWriter) end(b []byte) error {
	b = append(b, "}}\n"...)
	s.line = b
	s.count++
	if _, err := s.w.Write(b); err != nil {
		return fmt.Errorf("write %s: %w", s.path, err)
	}
	return nil
}

// close flushes and closes the file; it is safe to call twice.
func (s *seqWriter) close() error {
	if s.f == nil {
		return nil
	}
	err := s.w.Flush()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	s.f = nil
	if err != nil {
		return fmt.Errorf("close %s: %w", s.path, err)
	}
	return nil
}

// appendCoord appends v rounded to 7 decimals (about 1 cm).
func appendCoord(b []byte, v float64) []byte { return appendFixed(b, v, 7) }

// pow10 are the scales appendFixed rounds to.
var pow10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

// appendFixed appends v rounded to digits decimals (1 to 9). Going through
// an integer is exact, fast and identical on every platform, which the
// byte-for-byte determinism of the output relies on.
func appendFixed(b []byte, v float64, digits int) []byte {
	scale := pow10[digits]
	n := int64(math.Round(v * float64(scale)))
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/scale, 10)
	frac := n % scale
	var d [10]byte
	d[0] = '.'
	for i := digits; i >= 1; i-- {
		d[i] = byte('0' + frac%10)
		frac /= 10
	}
	return append(b, d[:digits+1]...)
}

func appendPosition(b []byte, p orb.Point) []byte {
	b = append(b, '[')
	b = appendCoord(b, p[0])
	b = append(b, ',')
	b = appendCoord(b, p[1])
	return append(b, ']')
}

// appendRing writes a closed ring (the first position repeated at the end).
func appendRing(b []byte, r orb.Ring) []byte {
	if len(r) > 0 && r[0] != r[len(r)-1] {
		r = append(r[:len(r):len(r)], r[0])
	}
	return appendLine(b, orb.LineString(r))
}

// appendLine writes the positions of a line.
func appendLine(b []byte, l orb.LineString) []byte {
	return appendList(b, l, appendPosition)
}

func appendRings(b []byte, p orb.Polygon) []byte {
	return appendList(b, p, appendRing)
}

// appendList writes a JSON array of items, each written by write.
func appendList[T any](b []byte, items []T, write func([]byte, T) []byte) []byte {
	b = append(b, '[')
	for i, x := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = write(b, x)
	}
	return append(b, ']')
}

// appendGeometry writes a Point, MultiLineString, Polygon or MultiPolygon;
// a Multi of one member is written as that member.
func appendGeometry(b []byte, g orb.Geometry) []byte {
	switch g := g.(type) {
	case orb.Point:
		b = append(b, `{"type":"Point","coordinates":`...)
		b = appendPosition(b, g)
	case orb.Polygon:
		b = append(b, `{"type":"Polygon","coordinates":`...)
		b = appendRings(b, g)
	case orb.MultiPolygon:
		if len(g) == 1 {
			return appendGeometry(b, g[0])
		}
		b = append(b, `{"type":"MultiPolygon","coordinates":`...)
		b = appendList(b, g, appendRings)
	case orb.MultiLineString:
		if len(g) == 1 {
			b = append(b, `{"type":"LineString","coordinates":`...)
			b = appendLine(b, g[0])
			break
		}
		b = append(b, `{"type":"MultiLineString","coordinates":`...)
		b = appendList(b, g, appendLine)
	default:
		panic(fmt.Sprintf("synth: unsupported geometry %T", g)) // programming error: only the types above are generated
	}
	return append(b, `},"properties":{`...)
}

// props appends "key":value pairs; first tells whether a comma is needed.
func propString(b []byte, first bool, key, val string) []byte {
	if !first {
		b = append(b, ',')
	}
	b = appendJSONString(b, key)
	b = append(b, ':')
	return appendJSONString(b, val)
}

func propInt(b []byte, first bool, key string, val int64) []byte {
	if !first {
		b = append(b, ',')
	}
	b = appendJSONString(b, key)
	b = append(b, ':')
	return strconv.AppendInt(b, val, 10)
}

func propFloat(b []byte, first bool, key string, val float64) []byte {
	if !first {
		b = append(b, ',')
	}
	b = appendJSONString(b, key)
	b = append(b, ':')
	return strconv.AppendFloat(b, val, 'f', -1, 64)
}

// appendJSONString quotes s as a JSON string (RFC 8259): quotes, backslashes
// and control characters escaped, valid UTF-8 passed through, invalid bytes
// replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\\'
	}
	if plain { // the common case: nothing to escape
		b = append(b, s...)
		return append(b, '"')
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, "\ufffd"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
