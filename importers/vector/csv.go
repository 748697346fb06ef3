package vector

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/layers"
)

// csvLayout is what openCSV learns from the header and the first rows.
type csvLayout struct {
	delim    rune
	dec      importers.TextDecoder
	names    []string // decoded, unique header names
	wktCol   int      // -1 when none
	lonCol   int      // -1 when none
	latCol   int      // -1 when none
	srid     int
	lonLatOK bool // check that coordinates are lon/lat (SRID 4326 by default, not by --srid)
}

// openCSV opens a delimited text file. Geometry comes from a WKT column or
// a pair of longitude/latitude columns; the other columns are attributes
// whose types the loader infers (values are strings, empty cells nil).
func openCSV(path string, opt importers.Options) (*importers.Source, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	head, err := importers.ReadHead(path, 1<<16)
	if err != nil {
		return nil, err
	}
	lay := csvLayout{delim: opt.Delimiter, wktCol: -1, lonCol: -1, latCol: -1}
	if lay.delim == 0 {
		lay.delim = detectDelimiter(firstLine(importers.TrimBOM(head)))
	}
	lay.dec = importers.DefaultTextDecoder()
	if opt.Encoding != "" {
		if lay.dec, err = importers.LookupEncoding(opt.Encoding); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	cr := newCSVReader(f, lay.delim)
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty CSV file: no header line", path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: reading the header line: %w", path, err)
	}
	lay.names = csvHeaderNames(header, lay.dec)
	if err := lay.findGeometry(opt); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	info := importers.Info{Name: stemOf(path), Count: -1, Size: st.Size()}
	for i, n := range lay.names {
		if i != lay.wktCol {
			info.Fields = append(info.Fields, layers.Field{Name: n})
		}
	}
	hasGeom := lay.wktCol >= 0 || lay.lonCol >= 0
	if lay.lonCol >= 0 {
		info.GeometryType = "Point"
	}
	switch {
	case opt.SRID != 0:
		lay.srid = opt.SRID
	case hasGeom:
		lay.srid = 4326
		lay.lonLatOK = true
		// Coordinates well outside lon/lat ranges (Gauss-Boaga, UTM) mean
		// the file is projected: say so now rather than reject every row.
		if x, y, ok := lay.sampleProjected(cr); ok {
			slog.Warn("CSV coordinates are not longitude/latitude; pass --srid with the file's CRS", "file", path, "x", x, "y", y)
			lay.srid = 0
			lay.lonLatOK = false
		}
	}
	info.SRID = lay.srid
	src := importers.NewSource(path, "csv")
	src.Datasets = []importers.Dataset{{
		Info: info,
		Open: func() (layers.FeatureReader, error) { return openCSVReader(path, lay, src.Meter) },
	}}
	return src, nil
}

// newCSVReader reads records leniently: rows may have fewer fields than the
// header, and a stray quote inside an unquoted field is kept as text.
func newCSVReader(r io.Reader, delim rune) *csv.Reader {
	cr := csv.NewReader(importers.SkipBOM(bufio.NewReaderSize(r, 1<<18)))
	cr.Comma = delim
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return cr
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

// detectDelimiter picks the most frequent of ; , TAB outside quotes in the
// header line; Italian Excel writes ";" because "," is the decimal mark.
func detectDelimiter(line []byte) rune {
	counts := map[byte]int{}
	inQuote := false
	for _, c := range line {
		switch {
		case c == '"':
			inQuote = !inQuote
		case !inQuote && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best, n := byte(','), 0
	for _, c := range []byte{';', '\t', ','} {
		if counts[c] > n {
			best, n = c, counts[c]
		}
	}
	return rune(best)
}

// csvHeaderNames decodes and trims the header, naming empty columns and
// making duplicates unique.
func csvHeaderNames(header []string, dec importers.TextDecoder) []string {
	names := make([]string, len(header))
	seen := map[string]int{}
	for i, h := range header {
		n := strings.TrimSpace(dec.DecodeString(h))
		if n == "" {
			n = fmt.Sprintf("column_%d", i+1)
		}
		key := strings.ToLower(n)
		if c := seen[key]; c > 0 {
			n = fmt.Sprintf("%s_%d", n, c+1)
		}
		seen[key]++
		names[i] = n
	}
	return names
}

// findGeometry locates the WKT or lon/lat columns, by option or by name.
func (l *csvLayout) findGeometry(opt importers.Options) error {
	find := func(name string) int {
		for i, n := range l.names {
			if strings.EqualFold(n, name) {
				return i
			}
		}
		return -1
	}
	findAny := func(names []string) int {
		for _, n := range names {
			if i := find(n); i >= 0 {
				return i
			}
		}
		return -1
	}
	columns := func() string { return strings.Join(l.names, ", ") }
	switch {
	case opt.WKTColumn != "":
		if l.wktCol = find(opt.WKTColumn); l.wktCol < 0 {
			return fmt.Errorf("no column %q for WKT geometry (columns: %s)", opt.WKTColumn, columns())
		}
		return nil
	case opt.LonColumn != "" || opt.LatColumn != "":
		if opt.LonColumn == "" || opt.LatColumn == "" {
			return errors.New("give both the longitude and the latitude column")
		}
		if l.lonCol = find(opt.LonColumn); l.lonCol < 0 {
			return fmt.Errorf("no column %q for longitude (columns: %s)", opt.LonColumn, columns())
		}
		if l.latCol = find(opt.LatColumn); l.latCol < 0 {
			return fmt.Errorf("no column %q for latitude (columns: %s)", opt.LatColumn, columns())
		}
		return nil
	}
	// Header names recognised as geometry columns, in order of preference.
	wktNames := []string{"wkt", "geom", "geometry", "the_geom", "wkt_geom", "geometria"}
	lonNames := []string{"lon", "lng", "long", "longitude", "longitudine", "x", "coordx", "coord_x", "xcoord", "est"}
	latNames := []string{"lat", "latitude", "latitudine", "y", "coordy", "coord_y", "ycoord", "nord"}
	if l.wktCol = findAny(wktNames); l.wktCol >= 0 {
		return nil
	}
	lon, lat := findAny(lonNames), findAny(latNames)
	if lon >= 0 && lat >= 0 {
		l.lonCol, l.latCol = lon, lat
	}
	return nil
}

// sampleProjected reads up to 100 rows after the header and reports a
// coordinate pair outside longitude/latitude ranges, if any.
func (l *csvLayout) sampleProjected(cr *csv.Reader) (float64, float64, bool) {
	for range 100 {
		row, err := cr.Read()
		if err != nil {
			return 0, 0, false
		}
		g, err := l.geometry(row)
		if err != nil || g == nil {
			continue
		}
		b := g.Bound()
		if !lonLatBound(b) {
			return b.Min[0], b.Min[1], true
		}
	}
	return 0, 0, false
}

func lonLatBound(b orb.Bound) bool {
	return b.Min[0] >= -180 && b.Max[0] <= 180 && b.Min[1] >= -90 && b.Max[1] <= 90
}

// geometry builds the geometry of a row; nil when its geometry cells are empty.
func (l *csvLayout) geometry(row []string) (orb.Geometry, error) {
	cell := func(i int) string {
		if i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	if l.wktCol >= 0 {
		s := cell(l.wktCol)
		if s == "" {
			return nil, nil
		}
		g, err := parseWKTGeometry(s)
		if err != nil {
			return nil, fmt.Errorf("invalid WKT in column %s: %v", l.names[l.wktCol], err)
		}
		return g, nil
	}
	if l.lonCol < 0 {
		return nil, nil
	}
	xs, ys := cell(l.lonCol), cell(l.latCol)
	if xs == "" && ys == "" {
		return nil, nil
	}
	x, err := parseCoordinate(xs)
	if err != nil {
		return nil, fmt.Errorf("invalid coordinate %q in column %s", xs, l.names[l.lonCol])
	}
	y, err := parseCoordinate(ys)
	if err != nil {
		return nil, fmt.Errorf("invalid coordinate %q in column %s", ys, l.names[l.latCol])
	}
	return orb.Point{x, y}, nil
}

// parseCoordinate reads a number with a decimal point or an Italian
// decimal comma ("43,8429").
func parseCoordinate(s string) (float64, error) {
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errors.New("not a finite number")
	}
	return v, nil
}

var (
	wktSRIDPrefix = regexp.MustCompile(`(?i)^\s*SRID=\d+\s*;`)
	wktDimTag     = regexp.MustCompile(`(?i)\b(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION)\s*(ZM|Z|M)\b`)
	wktEmpty      = regexp.MustCompile(`(?i)^[A-Z]+(\s*(ZM|Z|M))?\s+EMPTY$`)
	wktBareMulti  = regexp.MustCompile(`(?i)^(\s*MULTIPOINT\s*)\(([^()]*)\)\s*$`)
)

// parseWKTGeometry parses WKT or EWKT as QGIS, PostGIS and spreadsheets
// write it: an SRID= prefix is ignored, Z/M ordinates are dropped, and
// MULTIPOINT without inner parentheses is accepted. EMPTY gives nil.
func parseWKTGeometry(s string) (orb.Geometry, error) {
	s = strings.TrimSpace(wktSRIDPrefix.ReplaceAllString(s, ""))
	if wktEmpty.MatchString(s) {
		return nil, nil
	}
	tagged := wktDimTag.MatchString(s)
	if tagged {
		s = wktDimTag.ReplaceAllString(s, "$1")
	}
	if tagged || firstTupleDims(s) > 2 {
		s = dropExtraOrdinates(s)
	}
	if m := wktBareMulti.FindStringSubmatch(s); m != nil {
		pts := strings.Split(m[2], ",")
		for i, p := range pts {
			pts[i] = "(" + strings.TrimSpace(p) + ")"
		}
		s = m[1] + "(" + strings.Join(pts, ", ") + ")"
	}
	g, err := wkt.Unmarshal(s)
	if err != nil {
		return nil, err
	}
	if !importers.Finite(g) {
		return nil, errors.New("non-finite coordinate")
	}
	return g, nil
}

// firstTupleDims counts the numbers in the first coordinate tuple.
func firstTupleDims(s string) int {
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != '(' && s[i] != ')' && s[i] != ',' {
			continue
		}
		t := strings.TrimSpace(s[start:i])
		if t != "" && strings.ContainsAny(t[:1], "0123456789-+.") {
			return len(strings.Fields(t))
		}
		start = i + 1
	}
	return 0
}

// dropExtraOrdinates keeps the first two numbers of every coordinate tuple.
func dropExtraOrdinates(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	start := 0
	flush := func(end int) {
		seg := s[start:end]
		t := strings.TrimSpace(seg)
		if t != "" && strings.ContainsAny(t[:1], "0123456789-+.") {
			if f := strings.Fields(t); len(f) > 2 {
				seg = f[0] + " " + f[1]
			}
		}
		sb.WriteString(seg)
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', ')', ',':
			flush(i)
			sb.WriteByte(s[i])
			start = i + 1
		}
	}
	flush(len(s))
	return sb.String()
}

// openCSVReader starts a read of the data rows.
func openCSVReader(path string, lay csvLayout, meter *importers.Meter) (layers.FeatureReader, error) {
	f, err := meter.Open(path)
	if err != nil {
		return nil, err
	}
	cr := newCSVReader(f, lay.delim)
	if _, err := cr.Read(); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: reading the header line: %w", path, err)
	}
	return &csvFeatureReader{name: path, f: f, cr: cr, lay: lay}, nil
}

// csvFeatureReader streams the rows of a CSV file as features.
type csvFeatureReader struct {
	name string
	f    io.Closer
	cr   *csv.Reader
	lay  csvLayout
	rec  int64
}

func (r *csvFeatureReader) Next() (layers.Feature, error) {
	row, err := r.cr.Read()
	if errors.Is(err, io.EOF) {
		return layers.Feature{}, io.EOF
	}
	var pe *csv.ParseError
	if err != nil && !errors.As(err, &pe) {
		return layers.Feature{}, fmt.Errorf("%s: after record %d: %w", r.name, r.rec, err)
	}
	r.rec++
	if pe != nil || len(row) == 0 {
		reason := "empty record"
		if pe != nil {
			reason = fmt.Sprintf("line %d: %v", pe.StartLine, pe.Err)
		}
		return layers.Feature{}, &layers.RecordError{Record: r.rec, Reason: reason}
	}
	line, _ := r.cr.FieldPos(0)
	f := layers.Feature{Record: r.rec, Props: make(map[string]any, len(r.lay.names))}
	if len(row) > len(r.lay.names) {
		for _, extra := range row[len(r.lay.names):] {
			if strings.TrimSpace(extra) != "" {
				return f, &layers.RecordError{Record: r.rec, Reason: fmt.Sprintf("line %d: %d fields but the header has %d", line, len(row), len(r.lay.names))}
			}
		}
	}
	for i, n := range r.lay.names {
		if i == r.lay.wktCol {
			continue
		}
		var v any
		if i < len(row) {
			if s := strings.TrimSpace(row[i]); s != "" {
				v = r.lay.dec.DecodeString(s)
			}
		}
		f.Props[n] = v
	}
	g, err := r.lay.geometry(row)
	if err != nil {
		return f, &layers.RecordError{Record: r.rec, Reason: fmt.Sprintf("line %d: %v", line, err)}
	}
	if g != nil && r.lay.lonLatOK && !lonLatBound(g.Bound()) {
		return f, &layers.RecordError{Record: r.rec, Reason: fmt.Sprintf("line %d: coordinates outside longitude/latitude range; pass --srid if the file is in a projected CRS", line)}
	}
	f.Geometry = g
	return f, nil
}

func (r *csvFeatureReader) Close() error { return r.f.Close() }
