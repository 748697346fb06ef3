package layers

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
)

// The direct load: a replace of a polygon layer of a kind whose columns
// are all canonical (cadastral parcels, zoning, constraints), from a
// source in EPSG:4326, COPYs its records straight into the version's
// table, typed, with the projections made in Go, instead of staging them
// and building the table from the staging table (a second pass over every
// row, the costliest statement of such an import after the indexes).
//
// It holds while every record fits what such a table stores without
// inference: no attribute beyond the canonical ones, a Polygon or
// MultiPolygon, text values as jsonb would give them back, and either no
// id on the first record (the feature ids are then the record numbers) or
// increasing integer ids on all of them (the ids are then the feature
// ids). The first record that does not fit stops it: the rows copied so
// far move into a staging table as staging would have held them
// (toStaging), and the import goes on the staging way from that record,
// so that its result is the same whichever way it went. The geometries
// PostGIS finds invalid are repaired afterwards in the table, as the
// build would have (repairDirect).

// directGeomType is the geometry type of a direct load's table. After the
// canonical columns and the geometries it has _rec (the record number,
// for rejections) and _single (the geometry was a Polygon, stored as a
// MultiPolygon of one), dropped at the end.
const directGeomType = "MultiPolygon"

// directEligible tells whether an import may start as a direct load.
func (l *loader) directEligible(existing *Layer) bool {
	if l.spec.stageOnly || !l.projectsInGo() || l.spec.Parts != nil || (existing != nil && l.spec.Mode == ModeAppend) {
		return false
	}
	canon := CanonicalFields(l.spec.Kind)
	for _, f := range canon {
		if f.Type != TypeText && !l.derivedArea(f.Name) {
			return false
		}
	}
	return len(canon) > 0
}

// derivedArea tells the column holding the spheroid area the loader computes.
func (l *loader) derivedArea(col string) bool {
	return l.spec.Kind == KindCadastral && col == "area_m2"
}

// directRow makes what a prepared record puts in the version's table:
// its canonical values, its other attributes' text (in the order of
// it.obs) and its geometries; directSource.fits places them in a row. It
// returns why the record cannot be loaded directly ("" when it can).
func (l *loader) directRow(it *prepared, props map[string]any, wkbBytes []byte, w3857, area any) string {
	_, single := it.f.Geometry.(orb.Polygon)
	if _, multi := it.f.Geometry.(orb.MultiPolygon); !single && !multi {
		return "a " + it.f.Geometry.GeoJSONType() + " geometry"
	}
	d := &directValues{single: single}
	if d.geom = multiEWKB(wkbBytes, 4326, single); d.geom == nil {
		return "geometry not in little-endian WKB"
	}
	if b, ok := w3857.([]byte); ok {
		if d.g3857 = multiEWKB(b, 3857, single); d.g3857 == nil {
			return "geometry not in little-endian WKB"
		}
	}
	d.canon = make([]any, 0, len(l.canonList))
	for _, f := range l.canonList {
		if l.derivedArea(f.Name) {
			d.canon = append(d.canon, area)
			d.noArea = area == nil
			continue
		}
		v, ok := directText(props[f.Name])
		if !ok {
			return fmt.Sprintf("field %s: %v is not stored as it is written", f.Name, props[f.Name])
		}
		d.canon = append(d.canon, v)
	}
	for _, o := range it.obs {
		switch o.v.(type) {
		case float64, float32, int, int32:
			return fmt.Sprintf("field %s: %v is not stored as it is written", o.key, o.v)
		}
		v, ok := directText(props[o.key])
		if !ok {
			return fmt.Sprintf("field %s: %v is not stored as it is written", o.key, o.v)
		}
		d.extra = append(d.extra, v)
	}
	if it.f.ID != "" {
		n, err := strconv.ParseInt(it.f.ID, 10, 64)
		d.id, d.hasID = n, err == nil && strconv.FormatInt(n, 10) == it.f.ID
	}
	it.direct = d
	return ""
}

// directValues are what a record puts in a direct load's row.
type directValues struct {
	canon, extra []any
	geom         []byte
	g3857        []byte // nil: left to PostGIS
	single       bool
	id           int64 // the record's id, when an integer as written
	hasID        bool
	noArea       bool // the area is left to PostGIS
}

// directText is a canonical text value as the build would read it back
// from jsonb (props->>'k'), for the values whose text is certain.
func directText(v any) (any, bool) {
	switch x := v.(type) {
	case nil:
		return nil, true
	case string:
		return x, utf8.ValidString(x) && strings.IndexByte(x, 0) < 0
	case int64:
		return strconv.FormatInt(x, 10), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return nil, false
}

// multiEWKB turns little-endian WKB of a Polygon (single) or MultiPolygon
// into EWKB of a MultiPolygon with srid, as ST_Multi would; nil for
// another byte order.
func multiEWKB(b []byte, srid uint32, single bool) []byte {
	const sridFlag = 0x20000000
	if len(b) < 5 || b[0] != 1 {
		return nil
	}
	out := make([]byte, 0, len(b)+18)
	out = append(out, 1)
	out = binary.LittleEndian.AppendUint32(out, 6|sridFlag)
	out = binary.LittleEndian.AppendUint32(out, srid)
	if single {
		out = binary.LittleEndian.AppendUint32(out, 1)
		return append(out, b...)
	}
	return append(out, b[5:]...)
}

// directSource feeds the direct load's COPY; it stops at the first record
// that does not fit (held, brk).
type directSource struct {
	l    *loader
	pipe *stagePipe
	row  []any
	err  error
	// first is the record read before the table was created.
	first *prepared
	held  *prepared
	brk   string
	// extra numbers the columns after the canonical ones by source key.
	extra map[string]int
	// ids: 1 when the source's integer ids are the feature ids, 2 when
	// the record numbers are.
	ids            int
	seen           bool
	last           int64
	maxFID         int64 // the largest feature id copied (0: none)
	no3857, noArea int64
}

func (d *directSource) Next() bool {
	it, ok := prepared{}, false
	if d.first != nil {
		it, ok, d.first = *d.first, true, nil
	} else {
		it, ok, d.err = d.l.nextRecord(d.pipe)
	}
	if !ok {
		return false
	}
	row, brk := d.fits(&it)
	if brk != "" {
		d.held, d.brk = &it, brk
		d.l.direct.Store(false)
		return false
	}
	d.l.follow(it)
	if it.direct.g3857 == nil {
		d.no3857++
	}
	if it.direct.noArea {
		d.noArea++
	}
	d.row = row
	return true
}

// fits places a record's values in a row of the table, checking what
// depends on the records before: the columns and the feature ids.
func (d *directSource) fits(it *prepared) ([]any, string) {
	v := it.direct
	if v == nil {
		return nil, it.brk
	}
	row := make([]any, 1+len(v.canon)+len(d.extra)+4)
	copy(row[1:], v.canon)
	for i, o := range it.obs {
		c, ok := d.extra[o.key]
		if !ok {
			return nil, "attribute " + o.key + " first appears in record " + strconv.FormatInt(it.f.Record, 10)
		}
		row[1+len(v.canon)+c] = v.extra[i]
	}
	copy(row[len(row)-4:], []any{v.geom, nil, it.f.Record, v.single})
	if v.g3857 != nil {
		row[len(row)-3] = v.g3857
	}
	if d.ids == 2 {
		row[0] = it.f.Record
		d.maxFID = max(d.maxFID, it.f.Record)
		return row, ""
	}
	switch {
	case !v.hasID:
		return nil, fmt.Sprintf("record %d has no integer id", it.f.Record)
	case d.seen && v.id <= d.last:
		return nil, fmt.Sprintf("record %d: ids not increasing", it.f.Record)
	}
	d.seen, d.last = true, v.id
	row[0] = v.id
	d.maxFID = v.id
	return row, ""
}

// settle decides the table's columns from the first record: its other
// attributes become text columns when their first value makes the type
// inference say text whatever follows (bar JSON, which fits stops at).
// false: the direct load cannot start with this record.
func (d *directSource) settle(first prepared) bool {
	if first.direct == nil {
		return false
	}
	keys := make([]string, 0, len(first.obs))
	for _, o := range first.obs {
		t := newTracker(o.key, 0, d.l.declared[o.key])
		t.observe(o.v)
		if !settledText(t) {
			return false
		}
		keys = append(keys, o.key)
	}
	// Sorted as follow sorts them: the columns' order of first appearance.
	sort.Strings(keys)
	d.extra = map[string]int{}
	for i, k := range keys {
		d.extra[k] = i
	}
	d.ids = 2
	if first.f.ID != "" {
		d.ids = 1
	}
	return true
}

// settledText tells a tracker that decides text whatever non-JSON value
// it sees next.
func settledText(t *typeTracker) bool {
	if t.declared != "" {
		return t.declared == TypeText
	}
	return t.anyStr && !t.anyJSON && !t.strInt && !t.strFloat && !t.strBool && !t.strISODate && !t.strITDate && !t.strTime
}

func (d *directSource) Values() ([]any, error) { return d.row, nil }
func (d *directSource) Err() error             { return d.err }

// loadDirect creates the version's table and COPYs the records into it.
// When a record stops it (src.held; or the first record already), the
// rows copied are moved to the staging table, and the import stages the
// rest.
func (l *loader) loadDirect(ctx context.Context, tx pgx.Tx, pipe *stagePipe) (*directSource, error) {
	src := &directSource{l: l, pipe: pipe}
	first, ok, err := l.nextRecord(pipe)
	if err != nil {
		return nil, err
	}
	if !ok || !src.settle(first) {
		src.brk = "the first record"
		if ok {
			src.held = &first
			l.log.Debug("direct load stopped; staging the rest", "at", first.f.Record, "why", "the first record")
		}
		l.direct.Store(false)
		return src, l.createStaging(ctx, tx)
	}
	src.first = &first
	if err := l.nextVersion(ctx, tx); err != nil {
		return nil, err
	}
	names, err := l.createDirect(ctx, tx, first)
	if err != nil {
		return nil, err
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = quoteIdent(n)
	}
	// FREEZE: the table is this transaction's, so its rows can be written
	// frozen and all-visible, sparing the first readers the hint bits and
	// vacuum the freezing of every page.
	tag, err := tx.Conn().PgConn().CopyFrom(ctx, &binaryRows{src: src}, "COPY "+versionIdent(l.table)+" ("+strings.Join(quoted, ", ")+") FROM STDIN WITH (FORMAT binary, FREEZE)")
	if src.err != nil {
		return nil, src.err
	}
	if err != nil {
		return nil, fmt.Errorf("copy into the layer's table: %w", err)
	}
	n := tag.RowsAffected()
	l.staged = n
	if src.held == nil {
		l.log.Debug("copied", "rows", n, "elapsed", time.Since(l.started))
		return src, nil
	}
	l.log.Debug("direct load stopped; staging the rest", "at", src.held.f.Record, "why", src.brk, "copied", n)
	return src, l.toStaging(ctx, tx, src)
}

// createDirect creates the version's table of a direct load, its columns
// as the build would make them from the first record, and returns the
// names of the columns the COPY fills.
func (l *loader) createDirect(ctx context.Context, tx pgx.Tx, first prepared) ([]string, error) {
	ident := versionIdent(l.table)
	if _, err := tx.Exec(ctx, "DROP TABLE IF EXISTS "+ident); err != nil {
		return nil, err
	}
	obs := append([]observation(nil), first.obs...)
	sort.Slice(obs, func(i, j int) bool { return obs[i].key < obs[j].key })
	ts := map[string]*typeTracker{}
	for i, o := range obs {
		ts[o.key] = newTracker(o.key, i, l.declared[o.key])
		ts[o.key].observe(o.v)
	}
	defs := []string{"fid bigint NOT NULL GENERATED BY DEFAULT AS IDENTITY"}
	names := []string{"fid"}
	for _, c := range l.columnsFrom(ts) {
		defs = append(defs, quoteIdent(c.Name)+" "+c.Type.SQL())
		names = append(names, c.Name)
	}
	defs = append(defs, "geom geometry("+directGeomType+", 4326)", "geom_3857 geometry("+directGeomType+", 3857)", "_rec bigint", "_single boolean")
	if _, err := tx.Exec(ctx, "CREATE TABLE "+ident+" ("+strings.Join(defs, ", ")+")"); err != nil {
		return nil, err
	}
	return append(names, "geom", "geom_3857", "_rec", "_single"), nil
}

// createStaging creates the staging table. It is an UNLOGGED table rather
// than a TEMP one: parallel workers cannot read temporary tables, and the
// build runs in parallel. It lives and dies with the import's transaction.
func (l *loader) createStaging(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, "CREATE UNLOGGED TABLE "+l.stageIdent()+" (rec bigint, src_id text, props jsonb, wkb bytea, w3857 bytea, area float8)")
	return err
}

// toStaging moves the rows of a stopped direct load into the staging
// table as staging would have held them, and drops the version's table.
func (l *loader) toStaging(ctx context.Context, tx pgx.Tx, src *directSource) error {
	if err := l.createStaging(ctx, tx); err != nil {
		return err
	}
	var kv []string
	area := "NULL::float8"
	for _, c := range l.columns() {
		if l.derivedArea(c.Name) {
			area = quoteIdent(c.Name)
			continue
		}
		kv = append(kv, quoteLiteral(c.Source), quoteIdent(c.Name))
	}
	id := "NULL::text"
	if src.ids == 1 {
		id = "fid::text"
	}
	one := func(col string) string {
		return "ST_AsBinary(CASE WHEN _single THEN ST_GeometryN(" + col + ", 1) ELSE " + col + " END)"
	}
	ident := versionIdent(l.table)
	if _, err := tx.Exec(ctx, "INSERT INTO "+l.stageIdent()+" SELECT _rec, "+id+", jsonb_strip_nulls(jsonb_build_object("+strings.Join(kv, ", ")+")), "+
		one("geom")+", "+one("geom_3857")+", "+area+" FROM "+ident+" ORDER BY _rec"); err != nil {
		return fmt.Errorf("stage the rows copied: %w", err)
	}
	_, err := tx.Exec(ctx, "DROP TABLE "+ident)
	return err
}

// finishDirect completes a direct load: geometries repaired and the
// projections PostGIS must make, then the indexes and the catalog, as a
// replace's build does.
func (l *loader) finishDirect(ctx context.Context, tx pgx.Tx, existing *Layer, src *directSource) error {
	l.enter("building")
	ident := versionIdent(l.table)
	if err := l.repairDirect(ctx, tx, ident, src); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "ALTER TABLE "+ident+" DROP COLUMN _rec, DROP COLUMN _single"); err != nil {
		return err
	}
	// The largest id is known unless the repair dropped rows (then a scan
	// asks: the fid has no index yet).
	seq := versionSchema + "." + quoteIdent(l.table)
	q, args := "SELECT setval(pg_get_serial_sequence($1, 'fid'), $2::bigint + 1, false)", []any{seq, src.maxFID}
	if l.res.Loaded != l.staged || src.maxFID <= 0 {
		q, args = "SELECT setval(pg_get_serial_sequence($1, 'fid'), coalesce((SELECT max(fid) FROM "+ident+"), 0) + 1, false)", []any{seq}
	}
	if _, err := tx.Exec(ctx, q, args...); err != nil {
		return fmt.Errorf("fid sequence: %w", err)
	}
	return l.publishVersion(ctx, tx, existing, l.columns(), directGeomType, TypeInteger)
}

// repairDirect finds the geometries PostGIS finds invalid (one parallel
// pass), repairs them as the build does (from the geometry as the source
// gave it), drops and reports those the repair empties, and computes the
// projections Go left to PostGIS.
func (l *loader) repairDirect(ctx context.Context, tx pgx.Tx, ident string, src *directSource) error {
	if _, err := tx.Exec(ctx, "SET LOCAL max_parallel_workers_per_gather = 4; SET LOCAL parallel_setup_cost = 100; SET LOCAL min_parallel_table_scan_size = '1MB'"); err != nil {
		return err
	}
	bad := dataIdent(l.stageTable + "_bad")
	tag, err := tx.Exec(ctx, "CREATE UNLOGGED TABLE "+bad+" AS SELECT _rec FROM "+ident+" WHERE NOT ST_IsValid(geom)")
	if err != nil {
		return fmt.Errorf("check geometries: %w", err)
	}
	invalid := tag.RowsAffected()
	l.log.Debug("validity checked", "invalid", invalid, "elapsed", time.Since(l.started))
	l.res.Repaired, l.res.Loaded = 0, l.staged
	if invalid > 0 {
		g0 := "CASE WHEN t._single THEN ST_GeometryN(t.geom, 1) ELSE t.geom END"
		set := "geom = f.g, geom_3857 = ST_Transform(f.g, 3857)"
		if l.spec.Kind == KindCadastral {
			set += ", area_m2 = ST_Area(f.g::geography)"
		}
		if _, err := tx.Exec(ctx, "UPDATE "+ident+" t SET "+set+" FROM (SELECT t._rec, "+fixedGeometry(directGeomType, "false", g0)+" AS g FROM "+ident+
			" t JOIN "+bad+" b USING (_rec)) f WHERE t._rec = f._rec"); err != nil {
			return fmt.Errorf("repair geometries: %w", err)
		}
		recs, err := deleteRecords(ctx, tx, "DELETE FROM "+ident+" WHERE _rec IN (SELECT _rec FROM "+bad+") AND (geom IS NULL OR ST_IsEmpty(geom)) RETURNING _rec")
		if err != nil {
			return err
		}
		for _, r := range recs {
			l.reject(r, "geometry empty or collapsed when made valid")
		}
		l.res.Repaired, l.res.Loaded = invalid-int64(len(recs)), l.staged-int64(len(recs))
	}
	if src.no3857 > 0 {
		if _, err := tx.Exec(ctx, "UPDATE "+ident+" SET geom_3857 = ST_Transform(geom, 3857) WHERE geom_3857 IS NULL"); err != nil {
			return fmt.Errorf("web mercator: %w", err)
		}
	}
	if src.noArea > 0 {
		if _, err := tx.Exec(ctx, "UPDATE "+ident+" SET area_m2 = ST_Area(geom::geography) WHERE area_m2 IS NULL"); err != nil {
			return fmt.Errorf("area: %w", err)
		}
	}
	return nil
}

// binaryRows reads a directSource as COPY's binary format. Written here
// rather than by pgx's CopyFrom, which looks up an encoding per value: a
// row of a direct load has a dozen values of five types.
type binaryRows struct {
	src     *directSource
	buf     []byte
	off     int
	started bool
	ended   bool
}

func (b *binaryRows) Read(p []byte) (int, error) {
	// What the last read left moves to the front: the buffer stays about
	// one read long.
	b.buf, b.off = append(b.buf[:0], b.buf[b.off:]...), 0
	if !b.started {
		b.buf = append(b.buf, "PGCOPY\n\xff\r\n\x00"...)
		b.buf = binary.BigEndian.AppendUint64(b.buf, 0) // flags, header extension
		b.started = true
	}
	for len(b.buf)-b.off < len(p) && !b.ended {
		if !b.src.Next() {
			if b.src.err != nil {
				return 0, b.src.err
			}
			b.buf = binary.BigEndian.AppendUint16(b.buf, 0xffff)
			b.ended = true
			break
		}
		b.buf = binary.BigEndian.AppendUint16(b.buf, uint16(len(b.src.row)))
		for _, v := range b.src.row {
			b.buf = appendBinaryField(b.buf, v)
		}
	}
	n := copy(p, b.buf[b.off:])
	b.off += n
	if n == 0 && b.ended {
		return 0, io.EOF
	}
	return n, nil
}

// appendBinaryField appends one value of a direct load's row in COPY's
// binary format (text, bytea-like geometry, bigint, float8, boolean).
func appendBinaryField(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return binary.BigEndian.AppendUint32(b, 0xffffffff)
	case string:
		b = binary.BigEndian.AppendUint32(b, uint32(len(x)))
		return append(b, x...)
	case []byte:
		b = binary.BigEndian.AppendUint32(b, uint32(len(x)))
		return append(b, x...)
	case int64:
		b = binary.BigEndian.AppendUint32(b, 8)
		return binary.BigEndian.AppendUint64(b, uint64(x))
	case float64:
		b = binary.BigEndian.AppendUint32(b, 8)
		return binary.BigEndian.AppendUint64(b, math.Float64bits(x))
	case bool:
		b = binary.BigEndian.AppendUint32(b, 1)
		if x {
			return append(b, 1)
		}
		return append(b, 0)
	}
	panic(fmt.Sprintf("direct load: a value of type %T", v))
}
