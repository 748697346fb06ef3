package vector

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/paulmach/orb/geojson"

	"github.com/sit-gis/sit/crs"
	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/layers"
)

// sniffJSON recognises a GeoJSON FeatureCollection or a feature sequence.
func sniffJSON(head []byte) bool {
	h := bytes.TrimLeft(head, " \t\r\n\x1e\xef\xbb\xbf")
	return len(h) > 0 && h[0] == '{' && bytes.Contains(head, []byte(`"type"`))
}

// openGeoJSON opens a FeatureCollection or newline-delimited GeoJSON
// (GeoJSONSeq, RFC 8142, with or without record separators). The CRS is CRS84
// unless a legacy top-level "crs" member or --srid says otherwise.
func openGeoJSON(path string, opt importers.Options) (*importers.Source, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	head, err := importers.ReadHead(path, 1<<16)
	if err != nil {
		return nil, err
	}
	seq, err := isFeatureSequence(head)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	info := importers.Info{Name: stemOf(path), SRID: 4326, Count: -1, Size: st.Size()}
	if code, ok := legacyCRS(head); ok {
		info.SRID, info.FileSRID = code, code
	}
	if opt.SRID != 0 {
		info.SRID = opt.SRID
	}
	src := importers.NewSource(path, "geojson")
	src.Datasets = []importers.Dataset{importers.FileDataset(src, info, func(f io.ReadCloser) (layers.FeatureReader, error) {
		br := bufio.NewReaderSize(f, 1<<20)
		if seq {
			s := &geojsonSeqScanner{r: br, name: path}
			return newParallelReader(s.scan, seqDecoder(path), f), nil
		}
		r := &geojsonCollectionReader{name: path, f: f, dec: json.NewDecoder(br)}
		if err := r.seekFeatures(); err != nil {
			return nil, err
		}
		return newParallelReader(r.scan, collectionDecoder(), f), nil
	})}
	return src, nil
}

// stemOf is a file's name without its directory and extension.
func stemOf(path string) string {
	return strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
}

// isFeatureSequence tells a feature sequence (first value is a Feature) from a
// FeatureCollection by the "type" of the first top-level JSON value.
func isFeatureSequence(head []byte) (bool, error) {
	h := bytes.TrimLeft(head, " \t\r\n\x1e\xef\xbb\xbf")
	dec := json.NewDecoder(bytes.NewReader(h))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return false, errors.New("not GeoJSON: the file does not start with a JSON object")
	}
	depth := 1
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			// The type member may lie beyond the head (a huge first feature):
			// assume the common case, a FeatureCollection.
			return false, nil
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if depth == 1 && v == "type" {
				t, err := dec.Token()
				if err != nil {
					return false, nil
				}
				switch t {
				case "FeatureCollection":
					return false, nil
				case "Feature":
					return true, nil
				default:
					return false, fmt.Errorf("not GeoJSON features: top-level type is %v (want FeatureCollection or Feature)", t)
				}
			}
		}
	}
	return false, errors.New("not GeoJSON: the first object has no \"type\"")
}

// legacyCRS finds a 2008-style top-level "crs" member in the head of a
// FeatureCollection: {"type":"name","properties":{"name":"EPSG:3003"}}.
func legacyCRS(head []byte) (int, bool) {
	i := bytes.Index(head, []byte(`"crs"`))
	if i < 0 {
		return 0, false
	}
	j := bytes.Index(head[i:], []byte(`"name"`))
	if j < 0 {
		return 0, false
	}
	// The second "name" is the one inside properties.
	rest := head[i+j+6:]
	k := bytes.Index(rest, []byte(`"name"`))
	if k < 0 {
		return 0, false
	}
	rest = rest[k+6:]
	q1 := bytes.IndexByte(rest, '"')
	if q1 < 0 {
		return 0, false
	}
	q2 := bytes.IndexByte(rest[q1+1:], '"')
	if q2 < 0 {
		return 0, false
	}
	return crs.ParseName(string(rest[q1+1 : q1+1+q2]))
}

// rawFeature is one GeoJSON Feature with its parts left raw, so that the
// properties can be decoded with json.Number (integers stay exact).
type rawFeature struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties json.RawMessage `json:"properties"`
}

// toFeature converts a decoded raw feature; errors are per record.
func (rf *rawFeature) toFeature(rec int64) (layers.Feature, error) {
	f := layers.Feature{Record: rec}
	if rf.Type != "Feature" {
		return f, &layers.RecordError{Record: rec, Reason: fmt.Sprintf("type is %q, want \"Feature\"", rf.Type)}
	}
	if len(rf.ID) > 0 && string(rf.ID) != "null" {
		var s string
		if err := json.Unmarshal(rf.ID, &s); err == nil {
			f.ID = s
		} else {
			f.ID = string(bytes.TrimSpace(rf.ID))
		}
	}
	if len(rf.Geometry) > 0 && string(rf.Geometry) != "null" {
		var g geojson.Geometry
		if err := json.Unmarshal(rf.Geometry, &g); err != nil {
			return f, &layers.RecordError{Record: rec, Reason: "invalid geometry: " + err.Error()}
		}
		if g.Coordinates == nil && g.Geometries == nil {
			return f, &layers.RecordError{Record: rec, Reason: "invalid geometry: no coordinates"}
		}
		f.Geometry = g.Geometry()
		if !importers.Finite(f.Geometry) {
			return f, &layers.RecordError{Record: rec, Reason: "invalid geometry: non-finite coordinate"}
		}
	}
	if len(rf.Properties) > 0 && string(rf.Properties) != "null" {
		dec := json.NewDecoder(bytes.NewReader(rf.Properties))
		dec.UseNumber()
		var props map[string]any
		if err := dec.Decode(&props); err != nil {
			return f, &layers.RecordError{Record: rec, Reason: "invalid properties: " + err.Error()}
		}
		for k, v := range props {
			props[k] = normaliseJSONValue(v)
		}
		f.Props = props
	}
	return f, nil
}

// normaliseJSONValue turns json.Number into int64 or float64, recursively.
func normaliseJSONValue(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return i
		}
		if fl, err := strconv.ParseFloat(string(x), 64); err == nil {
			return fl
		}
		return string(x)
	case map[string]any:
		for k, e := range x {
			x[k] = normaliseJSONValue(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = normaliseJSONValue(e)
		}
		return x
	}
	return v
}

// geojsonCollectionReader scans the "features" array of a FeatureCollection
// one element at a time; decoding happens in parallelReader's workers.
type geojsonCollectionReader struct {
	name string
	f    io.Closer
	dec  *json.Decoder
	rec  int64
	done bool
}

// seekFeatures advances the decoder to the first element of "features".
func (r *geojsonCollectionReader) seekFeatures() error {
	tok, err := r.dec.Token()
	if err != nil {
		return r.fatal(err)
	}
	if tok != json.Delim('{') {
		return fmt.Errorf("%s: not a GeoJSON object", r.name)
	}
	for {
		tok, err := r.dec.Token()
		if err != nil {
			return r.fatal(err)
		}
		if tok == json.Delim('}') {
			return fmt.Errorf("%s: FeatureCollection has no \"features\" member", r.name)
		}
		key, _ := tok.(string)
		if key == "features" {
			tok, err := r.dec.Token()
			if err != nil {
				return r.fatal(err)
			}
			if tok != json.Delim('[') {
				return fmt.Errorf("%s: \"features\" is not an array", r.name)
			}
			return nil
		}
		// Skip the value of any other member (type, crs, bbox, name, ...).
		var skip json.RawMessage
		if err := r.dec.Decode(&skip); err != nil {
			return r.fatal(err)
		}
	}
}

func (r *geojsonCollectionReader) fatal(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s: truncated GeoJSON (unexpected end of file after %d features)", r.name, r.rec)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%s: malformed GeoJSON at byte %d (after %d features): %v", r.name, se.Offset, r.rec, err)
	}
	return fmt.Errorf("%s: %w", r.name, err)
}

// scan returns the next element of the features array, undecoded.
func (r *geojsonCollectionReader) scan() (rawRecord, error) {
	if r.done {
		return rawRecord{}, io.EOF
	}
	if !r.dec.More() {
		// Consume the closing bracket; a missing one means truncation.
		if _, err := r.dec.Token(); err != nil {
			return rawRecord{}, r.fatal(err)
		}
		r.done = true
		return rawRecord{}, io.EOF
	}
	var raw json.RawMessage
	if err := r.dec.Decode(&raw); err != nil {
		return rawRecord{}, r.fatal(err)
	}
	r.rec++
	return rawRecord{rec: r.rec, data: raw}, nil
}

// collectionDecoder decodes one element of a features array.
func collectionDecoder() recordDecoder {
	fast := &fastDecoder{}
	return func(rr rawRecord) (layers.Feature, error) {
		if f, ok := fast.decode(rr.data, rr.rec); ok {
			return f, nil
		}
		return decodeCollectionFeature(rr)
	}
}

// decodeCollectionFeature decodes one element of a features array with
// encoding/json.
func decodeCollectionFeature(rr rawRecord) (layers.Feature, error) {
	var rf rawFeature
	if err := json.Unmarshal(rr.data, &rf); err != nil {
		return layers.Feature{Record: rr.rec}, &layers.RecordError{Record: rr.rec, Reason: "not a Feature object: " + err.Error()}
	}
	return rf.toFeature(rr.rec)
}

// geojsonSeqScanner reads one Feature per line (RS characters are ignored).
type geojsonSeqScanner struct {
	r    *bufio.Reader
	rec  int64
	line int64
	name string
}

func (s *geojsonSeqScanner) scan() (rawRecord, error) {
	for {
		line, err := s.r.ReadBytes('\n')
		if len(line) == 0 && err != nil {
			if errors.Is(err, io.EOF) {
				return rawRecord{}, io.EOF
			}
			return rawRecord{}, fmt.Errorf("%s: %w", s.name, err)
		}
		s.line++
		atEOF := err != nil
		line = bytes.TrimSpace(bytes.Trim(line, "\x1e"))
		if len(line) == 0 {
			continue
		}
		s.rec++
		return rawRecord{rec: s.rec, line: s.line, data: line, last: atEOF}, nil
	}
}

// seqDecoder decodes one line of a GeoJSON sequence; a broken last line
// without a newline means the file was cut short, which is fatal.
func seqDecoder(name string) recordDecoder {
	fast := &fastDecoder{}
	return func(rr rawRecord) (layers.Feature, error) {
		if f, ok := fast.decode(rr.data, rr.rec); ok {
			return f, nil
		}
		var rf rawFeature
		if err := json.Unmarshal(rr.data, &rf); err != nil {
			if rr.last {
				return layers.Feature{}, fmt.Errorf("%s: truncated GeoJSON sequence: last line %d is incomplete (%v)", name, rr.line, err)
			}
			return layers.Feature{}, &layers.RecordError{Record: rr.rec, Reason: fmt.Sprintf("line %d: malformed JSON: %v", rr.line, err)}
		}
		return rf.toFeature(rr.rec)
	}
}
