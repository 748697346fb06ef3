package vector

import (
	"bytes"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	_ "modernc.org/sqlite" // pure-Go SQLite driver "sqlite"

	"github.com/sit-gis/sit/crs"
	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/layers"
)

const sqliteMagic = "SQLite format 3\x00"

// sniffGPKG recognises an SQLite file whose application_id is a
// GeoPackage's ("GPKG", or "GP10"/"GP11" from GeoPackage 1.0/1.1).
func sniffGPKG(head []byte) bool {
	if len(head) < 72 || string(head[:16]) != sqliteMagic {
		return false
	}
	switch string(head[68:72]) {
	case "GPKG", "GP10", "GP11":
		return true
	}
	return false
}

// gpkgColumn is one attribute column of a feature table.
type gpkgColumn struct {
	name  string
	ftype layers.FieldType // "" = pass values through for the loader to infer
}

// gpkgTable is what the reader needs to stream one feature table.
type gpkgTable struct {
	name    string
	geomCol string
	pkCol   string // "" when the table (a view) has no integer primary key
	cols    []gpkgColumn
}

// openGPKG lists the feature tables of a GeoPackage, one dataset each.
// The file is opened read-only.
func openGPKG(path string, opt importers.Options) (*importers.Source, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	head, err := importers.ReadHead(path, 100)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(head, []byte(sqliteMagic)) {
		return nil, fmt.Errorf("%s: not a GeoPackage: the file is not an SQLite database", path)
	}
	db, err := openSQLiteReadOnly(path)
	if err != nil {
		return nil, err
	}
	src := importers.NewSource(path, "gpkg")
	src.OnClose(db)
	tables, err := gpkgFeatureTables(db, path)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, row := range tables {
		ds, err := gpkgDataset(db, path, row, opt, src.Meter, st.Size())
		if err != nil {
			db.Close()
			return nil, err
		}
		src.Datasets = append(src.Datasets, ds)
	}
	return src, nil
}

// openSQLiteReadOnly opens path with modernc.org/sqlite in read-only mode.
func openSQLiteReadOnly(path string) (*sql.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// An SQLite URI: escape what would end the path early.
	u := "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(abs)) +
		"?" + url.Values{"mode": {"ro"}, "_pragma": {"query_only(1)"}}.Encode()
	db, err := sql.Open("sqlite", u)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// gpkgTableRow is one row of gpkg_contents joined with gpkg_geometry_columns.
type gpkgTableRow struct {
	name, geomCol, geomType string
	srsID                   int64
}

func gpkgFeatureTables(db *sql.DB, path string) ([]gpkgTableRow, error) {
	var n int
	err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type IN ('table','view') AND name IN ('gpkg_contents','gpkg_geometry_columns')`).Scan(&n)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read the SQLite database: %w", path, err)
	}
	if n < 2 {
		return nil, fmt.Errorf("%s: not a GeoPackage: the SQLite database has no gpkg_contents or gpkg_geometry_columns table", path)
	}
	rows, err := db.Query(`SELECT c.table_name, g.column_name, COALESCE(g.geometry_type_name, ''), COALESCE(g.srs_id, 0)
		FROM gpkg_contents c JOIN gpkg_geometry_columns g ON lower(g.table_name) = lower(c.table_name)
		WHERE lower(c.data_type) = 'features' ORDER BY c.table_name`)
	if err != nil {
		return nil, fmt.Errorf("%s: reading gpkg_contents: %w", path, err)
	}
	defer rows.Close()
	var out []gpkgTableRow
	for rows.Next() {
		var r gpkgTableRow
		if err := rows.Scan(&r.name, &r.geomCol, &r.geomType, &r.srsID); err != nil {
			return nil, fmt.Errorf("%s: reading gpkg_contents: %w", path, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: reading gpkg_contents: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: the GeoPackage holds no feature table", path)
	}
	return out, nil
}

// gpkgDataset describes one feature table: columns, SRID, count.
func gpkgDataset(db *sql.DB, path string, row gpkgTableRow, opt importers.Options, meter *importers.Meter, size int64) (importers.Dataset, error) {
	t := gpkgTable{name: row.name, geomCol: row.geomCol}
	cols, err := db.Query(`SELECT name, type, pk FROM pragma_table_info(?)`, row.name)
	if err != nil {
		return importers.Dataset{}, fmt.Errorf("%s: table %s: %w", path, row.name, err)
	}
	type colInfo struct {
		name, decl string
		pk         int
	}
	var infos []colInfo
	pkCount := 0
	for cols.Next() {
		var c colInfo
		if err := cols.Scan(&c.name, &c.decl, &c.pk); err != nil {
			cols.Close()
			return importers.Dataset{}, fmt.Errorf("%s: table %s: %w", path, row.name, err)
		}
		if c.pk > 0 {
			pkCount++
		}
		infos = append(infos, c)
	}
	cols.Close()
	if err := cols.Err(); err != nil {
		return importers.Dataset{}, fmt.Errorf("%s: table %s: %w", path, row.name, err)
	}
	if len(infos) == 0 {
		return importers.Dataset{}, fmt.Errorf("%s: table %s is listed in gpkg_contents but does not exist", path, row.name)
	}
	info := importers.Info{Name: row.name, GeometryType: gpkgGeometryType(row.geomType), Count: -1, Size: size}
	for _, c := range infos {
		if strings.EqualFold(c.name, row.geomCol) {
			t.geomCol = c.name
			continue
		}
		if c.pk > 0 && pkCount == 1 && strings.Contains(strings.ToUpper(c.decl), "INT") {
			t.pkCol = c.name
			continue
		}
		ft, ok := gpkgFieldType(c.decl)
		if !ok {
			slog.Warn("skipping GeoPackage column of a type that is not an attribute", "file", path, "table", row.name, "column", c.name, "type", c.decl)
			continue
		}
		t.cols = append(t.cols, gpkgColumn{name: c.name, ftype: ft})
		info.Fields = append(info.Fields, layers.Field{Name: c.name, Type: ft})
	}
	info.FileSRID = gpkgSRID(db, path, row.srsID)
	info.SRID = info.FileSRID
	if opt.SRID != 0 {
		info.SRID = opt.SRID
	}
	// GDAL keeps feature counts in gpkg_ogr_contents; counting rows would read the whole table.
	var count int64
	if err := db.QueryRow(`SELECT feature_count FROM gpkg_ogr_contents WHERE lower(table_name) = lower(?) AND feature_count IS NOT NULL`, row.name).Scan(&count); err == nil {
		info.Count = count
	}
	name := path + " (table " + row.name + ")"
	return importers.Dataset{
		Info: info,
		Open: func() (layers.FeatureReader, error) {
			return openGPKGReader(db, name, t, &gpkgProgress{meter: meter, size: size, count: info.Count})
		},
	}, nil
}

// gpkgSRID resolves an srs_id through gpkg_spatial_ref_sys: an EPSG
// organisation gives its code, otherwise the WKT definition is recognised.
// The GeoPackage's undefined systems (-1, 0) give 0.
func gpkgSRID(db *sql.DB, path string, srsID int64) int {
	if srsID <= 0 {
		return 0
	}
	var org, def sql.NullString
	var orgID sql.NullInt64
	err := db.QueryRow(`SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?`, srsID).Scan(&org, &orgID, &def)
	if err != nil {
		slog.Warn("GeoPackage srs_id not found in gpkg_spatial_ref_sys; pass --srid", "file", path, "srs_id", srsID, "err", err)
		return 0
	}
	if strings.EqualFold(strings.TrimSpace(org.String), "EPSG") && orgID.Valid && orgID.Int64 > 0 {
		return int(orgID.Int64)
	}
	if code, ok := crs.FromWKT(def.String); ok {
		return code
	}
	slog.Warn("unrecognised GeoPackage coordinate system; pass --srid", "file", path, "srs_id", srsID, "organization", org.String)
	return 0
}

// gpkgGeometryType turns gpkg_geometry_columns.geometry_type_name into the
// OGC name the loader expects ("MULTIPOLYGON" → "MultiPolygon").
func gpkgGeometryType(t string) string {
	switch strings.ToUpper(strings.TrimSpace(t)) {
	case "POINT":
		return "Point"
	case "LINESTRING":
		return "LineString"
	case "POLYGON":
		return "Polygon"
	case "MULTIPOINT":
		return "MultiPoint"
	case "MULTILINESTRING":
		return "MultiLineString"
	case "MULTIPOLYGON":
		return "MultiPolygon"
	case "GEOMETRYCOLLECTION":
		return "GeometryCollection"
	}
	return "" // GEOMETRY or a curve type: mixed, let the loader decide
}

// gpkgFieldType maps a declared SQLite column type to a field type; ok is
// false for BLOB and geometry columns, which are not attributes.
func gpkgFieldType(decl string) (layers.FieldType, bool) {
	d := strings.ToUpper(strings.TrimSpace(decl))
	if i := strings.IndexByte(d, '('); i >= 0 {
		d = strings.TrimSpace(d[:i]) // TEXT(20)
	}
	switch d {
	case "":
		return "", true
	case "BOOLEAN", "BOOL":
		return layers.TypeBoolean, true
	case "DATE":
		return layers.TypeDate, true
	case "DATETIME", "TIMESTAMP":
		return layers.TypeTimestamp, true
	case "BLOB":
		return "", false
	case "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON",
		"GEOMETRYCOLLECTION", "GEOMETRY", "CIRCULARSTRING", "COMPOUNDCURVE", "CURVEPOLYGON",
		"MULTICURVE", "MULTISURFACE", "CURVE", "SURFACE":
		return "", false
	}
	// SQLite's affinity rules (INT anywhere → integer, and so on).
	switch {
	case strings.Contains(d, "INT"):
		return layers.TypeInteger, true
	case strings.Contains(d, "CHAR"), strings.Contains(d, "CLOB"), strings.Contains(d, "TEXT"), d == "JSON", d == "STRING":
		return layers.TypeText, true
	case strings.Contains(d, "REAL"), strings.Contains(d, "FLOA"), strings.Contains(d, "DOUB"),
		strings.Contains(d, "NUMERIC"), strings.Contains(d, "DECIMAL"):
		return layers.TypeDouble, true
	}
	return "", true
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// gpkgProgress estimates how far a table read has gone, in bytes of the
// file for Source.Meter: the feature ids read against the largest id
// (which SQLite finds without a scan), else the rows read against the
// feature count.
type gpkgProgress struct {
	meter              *importers.Meter
	size, maxID, count int64
}

func (p *gpkgProgress) update(rows, id int64) {
	switch {
	case p.maxID > 0 && id > 0:
		p.meter.Set(min(p.size, int64(float64(p.size)*float64(id)/float64(p.maxID))))
	case p.count > 0:
		p.meter.Set(min(p.size, int64(float64(p.size)*float64(rows)/float64(p.count))))
	}
}

// openGPKGReader starts a cursor over a feature table.
func openGPKGReader(db *sql.DB, name string, t gpkgTable, prog *gpkgProgress) (layers.FeatureReader, error) {
	var sel []string
	pkIdx := -1
	if t.pkCol != "" {
		pkIdx = len(sel)
		sel = append(sel, quoteIdent(t.pkCol))
	}
	geomIdx := len(sel)
	sel = append(sel, quoteIdent(t.geomCol))
	for _, c := range t.cols {
		sel = append(sel, quoteIdent(c.name))
	}
	prog.meter.Restart()
	if t.pkCol != "" {
		var m sql.NullInt64
		if err := db.QueryRow(`SELECT max(` + quoteIdent(t.pkCol) + `) FROM ` + quoteIdent(t.name)).Scan(&m); err == nil && m.Valid {
			prog.maxID = m.Int64
		}
	}
	rows, err := db.Query(`SELECT ` + strings.Join(sel, ", ") + ` FROM ` + quoteIdent(t.name))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	vals := make([]any, len(sel))
	dest := make([]any, len(sel))
	for i := range vals {
		dest[i] = &vals[i]
	}
	return &gpkgReader{name: name, t: t, rows: rows, pkIdx: pkIdx, geomIdx: geomIdx, vals: vals, dest: dest, prog: prog}, nil
}

// gpkgReader streams the rows of one feature table.
type gpkgReader struct {
	name    string
	t       gpkgTable
	rows    *sql.Rows
	pkIdx   int
	geomIdx int
	vals    []any
	dest    []any
	rec     int64
	prog    *gpkgProgress
	done    bool
}

func (r *gpkgReader) Next() (layers.Feature, error) {
	if r.done {
		return layers.Feature{}, io.EOF
	}
	if !r.rows.Next() {
		r.done = true
		if err := r.rows.Err(); err != nil {
			return layers.Feature{}, fmt.Errorf("%s: reading row %d: %w", r.name, r.rec+1, err)
		}
		return layers.Feature{}, io.EOF
	}
	r.rec++
	if err := r.rows.Scan(r.dest...); err != nil {
		return layers.Feature{}, &layers.RecordError{Record: r.rec, Reason: err.Error()}
	}
	f := layers.Feature{Record: r.rec, Props: make(map[string]any, len(r.t.cols))}
	if r.pkIdx < 0 {
		r.prog.update(r.rec, 0)
	} else {
		switch id := r.vals[r.pkIdx].(type) {
		case int64:
			f.ID = strconv.FormatInt(id, 10)
			r.prog.update(r.rec, id)
		case nil:
		default:
			f.ID = fmt.Sprint(id)
		}
	}
	var recErr error
	for i, c := range r.t.cols {
		v, err := gpkgValue(r.vals[r.geomIdx+1+i], c.ftype)
		if err != nil && recErr == nil {
			recErr = fmt.Errorf("column %s: %w", c.name, err)
		}
		f.Props[c.name] = v
	}
	if blob := r.vals[r.geomIdx]; blob != nil {
		b, ok := blob.([]byte)
		if !ok {
			return f, &layers.RecordError{Record: r.rec, Reason: fmt.Sprintf("geometry column %s holds a %T, not a GeoPackage geometry blob", r.t.geomCol, blob)}
		}
		g, err := parseGPKGGeometry(b)
		if err != nil {
			return f, &layers.RecordError{Record: r.rec, Reason: "invalid geometry: " + err.Error()}
		}
		f.Geometry = g
	}
	if recErr != nil {
		return f, &layers.RecordError{Record: r.rec, Reason: recErr.Error()}
	}
	return f, nil
}

func (r *gpkgReader) Close() error { return r.rows.Close() }

// gpkgValue converts a scanned SQLite value to the declared field type.
// SQLite stores any value in any column, so mismatches are per-record errors.
func gpkgValue(v any, ft layers.FieldType) (any, error) {
	if v == nil {
		return nil, nil
	}
	if s, ok := v.(string); ok && ft != layers.TypeText && ft != "" && strings.TrimSpace(s) == "" {
		return nil, nil
	}
	switch ft {
	case layers.TypeInteger:
		return gpkgInteger(v)
	case layers.TypeDouble:
		return gpkgDouble(v)
	case layers.TypeBoolean:
		return gpkgBoolean(v)
	case layers.TypeDate, layers.TypeTimestamp:
		return gpkgTime(v, ft)
	case layers.TypeText:
		return gpkgText(v), nil
	}
	if b, ok := v.([]byte); ok {
		return importers.DefaultTextDecoder().Decode(b), nil
	}
	return v, nil
}

func gpkgInteger(v any) (any, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case float64:
		if x == math.Trunc(x) && math.Abs(x) <= 1<<53 {
			return int64(x), nil
		}
	case string:
		if n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil {
			return n, nil
		}
	}
	return nil, fmt.Errorf("%v is not an integer", v)
}

func gpkgDouble(v any) (any, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case int64:
		return float64(x), nil
	case string:
		if fl, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil {
			return fl, nil
		}
	}
	return nil, fmt.Errorf("%v is not a number", v)
}

func gpkgBoolean(v any) (any, error) {
	switch x := v.(type) {
	case int64:
		return x != 0, nil
	case float64:
		return x != 0, nil
	case string:
		if b, err := strconv.ParseBool(strings.TrimSpace(x)); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("%v is not a boolean", v)
}

// gpkgTime reads a date or timestamp; a date drops the time of day.
func gpkgTime(v any, ft layers.FieldType) (any, error) {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case string:
		var err error
		if t, err = parseSQLiteTime(strings.TrimSpace(x)); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%v is not a date", v)
	}
	if ft == layers.TypeDate {
		y, m, d := t.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	}
	return t, nil
}

func gpkgText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case []byte:
		return importers.DefaultTextDecoder().Decode(x)
	}
	return fmt.Sprint(v)
}

// parseSQLiteTime reads the ISO 8601 forms GeoPackage and SQLite write.
func parseSQLiteTime(s string) (time.Time, error) {
	for _, layout := range []string{
		time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999", "2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO 8601 date or time", s)
}

// parseGPKGGeometry decodes a GeoPackage geometry blob: the "GP" header
// (version, flags, srs_id, optional envelope) and then standard WKB. An
// empty geometry gives nil; Z and M values are dropped.
func parseGPKGGeometry(b []byte) (orb.Geometry, error) {
	if len(b) < 8 || b[0] != 'G' || b[1] != 'P' {
		return nil, errors.New("not a GeoPackage geometry blob (no GP magic)")
	}
	flags := b[3]
	if flags&0x20 != 0 {
		return nil, errors.New("extended (non-standard) GeoPackage geometry types are not supported")
	}
	var envLen int
	switch (flags >> 1) & 0x07 {
	case 0:
		envLen = 0
	case 1:
		envLen = 32
	case 2, 3:
		envLen = 48
	case 4:
		envLen = 64
	default:
		return nil, fmt.Errorf("invalid envelope indicator %d in the GeoPackage geometry header", (flags>>1)&0x07)
	}
	if flags&0x10 != 0 {
		return nil, nil // empty geometry
	}
	if len(b) < 8+envLen+5 {
		return nil, errors.New("GeoPackage geometry blob is truncated")
	}
	data := b[8+envLen:]
	if wkbNeeds2D(data) {
		var err error
		if data, err = wkbTo2D(data); err != nil {
			return nil, err
		}
	}
	g, err := wkb.Unmarshal(data)
	if err != nil {
		return nil, fmt.Errorf("WKB: %w", err)
	}
	if p, ok := g.(orb.Point); ok && math.IsNaN(p[0]) && math.IsNaN(p[1]) {
		return nil, nil // WKB writes POINT EMPTY as NaN NaN
	}
	if !importers.Finite(g) {
		return nil, errors.New("non-finite coordinate")
	}
	return g, nil
}

// wkbNeeds2D reports whether the top-level WKB type carries Z, M or an
// EWKB flag, which orb's decoder does not read.
func wkbNeeds2D(b []byte) bool {
	if len(b) < 5 {
		return false
	}
	var t uint32
	if b[0] == 1 {
		t = binary.LittleEndian.Uint32(b[1:5])
	} else {
		t = binary.BigEndian.Uint32(b[1:5])
	}
	return t&0xE0000000 != 0 || t >= 1000
}

// wkbTo2D rewrites ISO or EWKB geometries with Z and/or M into plain 2-D WKB.
func wkbTo2D(b []byte) ([]byte, error) {
	w := &wkb2D{b: b, out: make([]byte, 0, len(b))}
	if err := w.geometry(0); err != nil {
		return nil, err
	}
	return w.out, nil
}

var errWKBShort = errors.New("WKB is truncated")

// wkb2D copies WKB from b to out, dropping the Z and M ordinates.
type wkb2D struct {
	b, out []byte
}

// geometry copies one geometry (and, for collections, its members).
func (w *wkb2D) geometry(depth int) error {
	if depth > 32 {
		return errors.New("WKB nests too deeply")
	}
	bo, base, stride, err := w.header()
	if err != nil {
		return err
	}
	switch base {
	case 1:
		return w.points(1, stride)
	case 2:
		return w.counted(bo, 16, func(n int) error { return w.points(n, stride) })
	case 3:
		return w.counted(bo, 4, func(rings int) error {
			for range rings {
				if err := w.counted(bo, 16, func(n int) error { return w.points(n, stride) }); err != nil {
					return err
				}
			}
			return nil
		})
	case 4, 5, 6, 7:
		return w.counted(bo, 5, func(n int) error {
			for range n {
				if err := w.geometry(depth + 1); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return fmt.Errorf("unsupported WKB geometry type %d (curves and surfaces are not supported)", base)
}

// header reads a geometry's byte order and type (ISO 1000s or EWKB flags,
// skipping an EWKB SRID), writes the 2-D header, and returns the byte
// order, the 2-D type and the bytes per point in the input.
func (w *wkb2D) header() (wkbByteOrder, uint32, int, error) {
	if len(w.b) < 5 {
		return nil, 0, 0, errWKBShort
	}
	var bo wkbByteOrder
	switch w.b[0] {
	case 0:
		bo = binary.BigEndian
	case 1:
		bo = binary.LittleEndian
	default:
		return nil, 0, 0, fmt.Errorf("invalid WKB byte order %d", w.b[0])
	}
	t := bo.Uint32(w.b[1:5])
	w.b = w.b[5:]
	hasZ, hasM := t&0x80000000 != 0, t&0x40000000 != 0
	if t&0x20000000 != 0 { // EWKB SRID
		if len(w.b) < 4 {
			return nil, 0, 0, errWKBShort
		}
		w.b = w.b[4:]
	}
	t &^= 0xE0000000
	switch t / 1000 {
	case 1:
		hasZ = true
	case 2:
		hasM = true
	case 3:
		hasZ, hasM = true, true
	}
	dims := 2
	if hasZ {
		dims++
	}
	if hasM {
		dims++
	}
	base := t % 1000
	w.out = append(w.out, b0(bo))
	w.out = bo.AppendUint32(w.out, base)
	return bo, base, 8 * dims, nil
}

// counted reads a count, checks that at least minBytes per element remain,
// writes the count and lets each copy the elements.
func (w *wkb2D) counted(bo wkbByteOrder, minBytes int64, each func(n int) error) error {
	if len(w.b) < 4 {
		return errWKBShort
	}
	n := bo.Uint32(w.b)
	w.b = w.b[4:]
	if int64(n)*minBytes > int64(len(w.b)) {
		return errWKBShort
	}
	w.out = bo.AppendUint32(w.out, n)
	return each(int(n))
}

// points copies n points, keeping x and y.
func (w *wkb2D) points(n, stride int) error {
	if int64(n)*int64(stride) > int64(len(w.b)) {
		return errWKBShort
	}
	for i := 0; i < n; i++ {
		w.out = append(w.out, w.b[i*stride:i*stride+16]...)
	}
	w.b = w.b[n*stride:]
	return nil
}

// wkbByteOrder reads and appends in one byte order.
type wkbByteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// b0 is the WKB byte-order marker of bo.
func b0(bo wkbByteOrder) byte {
	if bo == binary.LittleEndian {
		return 1
	}
	return 0
}
