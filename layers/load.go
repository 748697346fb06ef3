package layers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// Mode says what an import does to the features already in the layer.
type Mode string

const (
	// ModeReplace swaps the whole layer for the new features.
	ModeReplace Mode = "replace"
	// ModeAppend adds the new features; for broadband layers it replaces the
	// snapshots the import carries and keeps the others.
	ModeAppend Mode = "append"
)

// MaxReportedErrors is how many rejected records an import reports in detail.
const MaxReportedErrors = 100

// GeometryJoin takes each feature's geometry from another layer, by key:
// AGCOM per-comune tables carry an ISTAT code and no geometry.
type GeometryJoin struct {
	Layer    string // the layer holding the geometries (e.g. a boundary layer)
	Column   string // its key column (e.g. com_istat_code_num)
	Property string // the key in the imported features (e.g. pro_com)
}

// SourceInfo describes the imported file for sit.imports.
type SourceInfo struct {
	Name   string
	Format string
	SHA256 string
	Size   int64
}

// ImportSpec says what to load and how.
type ImportSpec struct {
	Layer       string
	Title       string // kept from the catalog when empty
	Description string
	Attribution string
	Kind        Kind
	Mode        Mode
	// SRID of the source coordinates; SourceProj (a PROJ string) instead for
	// local systems without an EPSG code (cadastral Cassini-Soldner).
	SRID       int
	SourceProj string
	// Fields declared by the source (types); others are inferred.
	Fields []Field
	Source SourceInfo
	// FailOnReject makes any rejected record fail the whole import.
	FailOnReject bool
	// Snapshot is the date of broadband features that carry none.
	Snapshot     time.Time
	GeometryJoin *GeometryJoin
	Synthetic    bool
	Roles        []string
	// Progress, if set, is called with the number of records read so far.
	Progress func(read int64)
}

// ImportResult is the outcome of an import.
type ImportResult struct {
	ImportID     int64
	Layer        string
	Version      int64
	Read         int64
	Loaded       int64
	Rejected     int64
	Repaired     int64
	Errors       []RecordError
	GeometryType string
	Duration     time.Duration
}

// ImportError is a failed import; the layer's previous version is untouched.
type ImportError struct {
	Layer  string
	Reason string
	Result ImportResult
	Err    error
}

func (e *ImportError) Error() string {
	return fmt.Sprintf("import into layer %s failed: %s", e.Layer, e.Reason)
}
func (e *ImportError) Unwrap() error { return e.Err }

// Store is the owner's side of the catalog: imports, removals, metadata.
type Store struct {
	pool *pgxpool.Pool
	log  *slog.Logger
}

// NewStore wraps a pool connected as the schema owner.
func NewStore(pool *pgxpool.Pool, log *slog.Logger) *Store {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Store{pool: pool, log: log}
}

// Pool exposes the owner pool (reports and exports read through it too).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Import loads features into a layer in one transaction: COPY into a
// staging table, geometry repair and transformation in PostGIS, build a new
// table, swap it in, bump the version, record the import. Until COMMIT the
// previous version serves; an error, a cancelled ctx (Ctrl-C, SIGTERM) or a
// killed process rolls everything back.
func (s *Store) Import(ctx context.Context, spec ImportSpec, r FeatureReader) (ImportResult, error) {
	start := time.Now()
	res := ImportResult{Layer: spec.Layer}
	if err := ValidateName(spec.Layer); err != nil {
		return res, err
	}
	if spec.Kind == "" {
		spec.Kind = KindGeneric
	}
	if _, err := ParseKind(string(spec.Kind)); err != nil {
		return res, err
	}
	if spec.Mode == "" {
		spec.Mode = ModeReplace
	}
	if spec.Mode != ModeReplace && spec.Mode != ModeAppend {
		return res, fmt.Errorf("invalid import mode %q", spec.Mode)
	}
	if spec.SRID == 0 && spec.SourceProj == "" && spec.GeometryJoin == nil {
		return res, errors.New("the source CRS is unknown: give --srid (an EPSG code) or a PROJ string")
	}
	if spec.SRID != 0 && spec.GeometryJoin == nil {
		var known bool
		if err := s.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM spatial_ref_sys WHERE srid = $1)", spec.SRID).Scan(&known); err != nil {
			return res, fmt.Errorf("check SRID: %w", err)
		}
		if !known {
			return res, fmt.Errorf("EPSG:%d is not a coordinate reference system PostGIS knows", spec.SRID)
		}
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	defer conn.Release()
	if err := s.markInterrupted(ctx); err != nil {
		return res, err
	}
	var pid int32
	if err := conn.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	// The import row lives outside the transaction so that failures are recorded too.
	if err := s.pool.QueryRow(ctx, `INSERT INTO sit.imports (layer, source_name, format, sha256, source_size, mode, backend_pid)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		spec.Layer, spec.Source.Name, spec.Source.Format, spec.Source.SHA256, spec.Source.Size, string(spec.Mode), pid).Scan(&res.ImportID); err != nil {
		return res, fmt.Errorf("import: record start: %w", err)
	}
	l := &loader{ctx: ctx, spec: spec, r: r, conn: conn.Conn(), log: s.log, res: &res, started: start}
	loadErr := pgx.BeginFunc(ctx, conn, l.run)
	res.Duration = time.Since(start)
	// Record the outcome even if ctx was cancelled.
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	errorsJSON, _ := json.Marshal(res.Errors)
	status, msg := "succeeded", ""
	if loadErr != nil {
		status, msg = "failed", loadErr.Error()
		if ctx.Err() != nil {
			status = "interrupted"
		}
	}
	if _, err := s.pool.Exec(bg, `UPDATE sit.imports SET finished_at = now(), status = $2, read_count = $3, loaded_count = $4,
		rejected_count = $5, repaired_count = $6, errors = $7, message = $8, version = $9 WHERE id = $1`,
		res.ImportID, status, res.Read, res.Loaded, res.Rejected, res.Repaired, errorsJSON, msg, nullIfZero(res.Version)); err != nil {
		s.log.Warn("could not record the import outcome", "err", err)
	}
	if loadErr != nil {
		var ie *ImportError
		if errors.As(loadErr, &ie) {
			ie.Result = res
			return res, ie
		}
		reason := loadErr.Error()
		if ctx.Err() != nil {
			reason = "interrupted (" + ctx.Err().Error() + "); the previous version is unchanged"
		}
		return res, &ImportError{Layer: spec.Layer, Reason: reason, Result: res, Err: loadErr}
	}
	return res, nil
}

func nullIfZero(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

// markInterrupted closes the records of imports whose process died: their
// backend is gone, so their transaction rolled back.
func (s *Store) markInterrupted(ctx context.Context) error {
	_, err := s.pool.Exec(ctx, `UPDATE sit.imports SET status = 'interrupted', finished_at = now(),
		message = 'the importing process ended before committing; the previous version was kept'
		WHERE status = 'running' AND (backend_pid IS NULL OR backend_pid NOT IN (SELECT pid FROM pg_stat_activity))`)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	return nil
}

// loader carries one import through its transaction.
type loader struct {
	ctx  context.Context
	spec ImportSpec
	r    FeatureReader
	conn *pgx.Conn
	log  *slog.Logger
	res  *ImportResult

	started    time.Time
	stageTable string

	trackers map[string]*typeTracker
	declared map[string]FieldType
	canon    map[string]FieldType
	geomSeen map[string]bool
	ids      idTracker
}

// idTracker decides whether the source's ids can be the stable fid.
type idTracker struct {
	all, allInt bool
	seen        int64
}

func (l *loader) run(tx pgx.Tx) error {
	// Cancelling ctx (Ctrl-C, SIGTERM) cancels the statement in flight;
	// the deferred rollback then leaves the previous version in place.
	ctx := l.ctx
	if _, err := tx.Exec(ctx, "SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = '60s'"); err != nil {
		return err
	}
	var got bool
	if err := tx.QueryRow(ctx, "SELECT pg_try_advisory_xact_lock(hashtext('sit.import'), hashtext($1))", l.spec.Layer).Scan(&got); err != nil {
		return err
	}
	if !got {
		return &ImportError{Layer: l.spec.Layer, Reason: "another import of this layer is running; try again when it ends"}
	}
	existing, err := GetLayer(ctx, tx, l.spec.Layer)
	exists := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if exists && l.spec.Mode == ModeAppend && existing.Kind != l.spec.Kind && l.spec.Kind != KindGeneric {
		return &ImportError{Layer: l.spec.Layer, Reason: fmt.Sprintf("cannot append %s features to a %s layer", l.spec.Kind, existing.Kind)}
	}
	if exists && l.spec.Mode == ModeAppend {
		l.spec.Kind = existing.Kind
	}
	// Staging is an UNLOGGED table rather than a TEMP one: parallel workers
	// cannot read temporary tables, and the build below runs in parallel.
	// It lives and dies with this transaction.
	l.stageTable = fmt.Sprintf("_stage_%d", l.res.ImportID)
	if _, err := tx.Exec(ctx, "CREATE UNLOGGED TABLE "+l.stageIdent()+" (rec bigint, src_id text, props jsonb, wkb bytea)"); err != nil {
		return err
	}
	if err := l.stage(ctx, tx); err != nil {
		return err
	}
	if l.res.Read == 0 || l.res.Read == l.res.Rejected {
		return &ImportError{Layer: l.spec.Layer, Reason: fmt.Sprintf("no usable features in %s (%d read, %d rejected)%s", l.spec.Source.Name, l.res.Read, l.res.Rejected, firstErrors(l.res.Errors))}
	}
	cols := l.columns()
	geomType := l.geometryType()
	if exists && l.spec.Mode == ModeAppend {
		if err := l.appendInto(ctx, tx, existing, cols); err != nil {
			return err
		}
	} else {
		if err := l.replace(ctx, tx, existing, exists, cols, geomType); err != nil {
			return err
		}
	}
	if l.spec.FailOnReject && l.res.Rejected > 0 {
		return &ImportError{Layer: l.spec.Layer, Reason: fmt.Sprintf("%d of %d records rejected and --fail-on-reject is set%s", l.res.Rejected, l.res.Read, firstErrors(l.res.Errors))}
	}
	if _, err := tx.Exec(ctx, "DROP TABLE "+l.stageIdent()); err != nil {
		return err
	}
	payload, _ := json.Marshal(map[string]any{"layer": l.spec.Layer, "version": l.res.Version})
	if _, err := tx.Exec(ctx, "SELECT pg_notify($1, $2)", NotifyChannel, string(payload)); err != nil {
		return err
	}
	return nil
}

func firstErrors(errs []RecordError) string {
	if len(errs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(": ")
	for i, e := range errs {
		if i == 3 {
			fmt.Fprintf(&b, "; …")
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

func (l *loader) reject(rec int64, reason string) {
	l.res.Rejected++
	if len(l.res.Errors) < MaxReportedErrors {
		l.res.Errors = append(l.res.Errors, RecordError{Record: rec, Reason: reason})
	}
}

func (l *loader) stageIdent() string { return pgx.Identifier{"sit_data", l.stageTable}.Sanitize() }

// stage streams the reader into the staging table with COPY (binary protocol).
func (l *loader) stage(ctx context.Context, tx pgx.Tx) error {
	l.trackers = map[string]*typeTracker{}
	l.declared = map[string]FieldType{}
	l.canon = map[string]FieldType{}
	l.geomSeen = map[string]bool{}
	l.ids = idTracker{all: true, allInt: true}
	for _, f := range l.spec.Fields {
		if f.Type != "" {
			l.declared[f.Name] = f.Type
		}
	}
	for _, f := range CanonicalFields(l.spec.Kind) {
		l.canon[f.Name] = f.Type
	}
	src := &copySource{l: l}
	n, err := tx.Conn().CopyFrom(ctx, pgx.Identifier{"sit_data", l.stageTable}, []string{"rec", "src_id", "props", "wkb"}, src)
	if src.err != nil {
		return src.err
	}
	if err != nil {
		return fmt.Errorf("copy into staging: %w", err)
	}
	l.log.Debug("staged", "rows", n, "elapsed", time.Since(l.started))
	if _, err := tx.Exec(ctx, "ANALYZE "+l.stageIdent()); err != nil {
		return fmt.Errorf("analyze staging: %w", err)
	}
	if l.spec.Progress != nil {
		l.spec.Progress(l.res.Read)
	}
	return nil
}

// copySource adapts the feature stream to pgx's CopyFromSource.
type copySource struct {
	l   *loader
	row []any
	err error
}

func (c *copySource) Next() bool {
	l := c.l
	for {
		if err := l.ctx.Err(); err != nil {
			c.err = err
			return false
		}
		f, err := l.readNext()
		if errors.Is(err, io.EOF) {
			return false
		}
		var re *RecordError
		if errors.As(err, &re) {
			l.res.Read++
			l.reject(re.Record, re.Reason)
			continue
		}
		if err != nil {
			c.err = err
			return false
		}
		l.res.Read++
		if l.spec.Progress != nil && l.res.Read%1000 == 0 {
			l.spec.Progress(l.res.Read)
		}
		row, reason := l.prepare(f)
		if reason != "" {
			l.reject(f.Record, reason)
			continue
		}
		c.row = row
		return true
	}
}

func (c *copySource) Values() ([]any, error) { return c.row, nil }
func (c *copySource) Err() error             { return c.err }

func (l *loader) readNext() (Feature, error) {
	return readFeature(l)
}

// readFeature is split out so that a panic in a reader cannot take the
// transaction down with it silently: it becomes an error.
func readFeature(l *loader) (f Feature, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("reader crashed on the record after %d: %v", l.res.Read, p)
		}
	}()
	return l.r.Next()
}

// prepare validates one feature and turns it into a staging row.
func (l *loader) prepare(f Feature) ([]any, string) {
	var wkbBytes []byte
	if l.spec.GeometryJoin == nil {
		if f.Geometry == nil {
			return nil, "no geometry"
		}
		if empty(f.Geometry) {
			return nil, "empty geometry"
		}
		b, err := wkb.Marshal(f.Geometry)
		if err != nil {
			return nil, "geometry cannot be encoded: " + err.Error()
		}
		wkbBytes = b
		l.geomSeen[f.Geometry.GeoJSONType()] = true
	}
	props := make(map[string]any, len(f.Props)+1)
	for k, v := range f.Props {
		if ft, ok := l.canon[k]; ok {
			cv, ok := checkValue(ft, v)
			if !ok {
				return nil, fmt.Sprintf("field %s: %v is not a valid %s", k, v, ft)
			}
			props[k] = stageValue(cv)
			continue
		}
		if ft, ok := l.declared[k]; ok {
			cv, ok := checkValue(ft, v)
			if !ok {
				return nil, fmt.Sprintf("field %s: %v is not a valid %s", k, v, ft)
			}
			v = cv
		}
		t := l.trackers[k]
		if t == nil {
			t = newTracker(k, len(l.trackers), l.declared[k])
			l.trackers[k] = t
		}
		t.observe(v)
		props[k] = stageValue(v)
	}
	if l.spec.Kind == KindBroadband {
		if props["snapshot"] == nil {
			if l.spec.Snapshot.IsZero() {
				return nil, "no snapshot date: the record has none and no --snapshot was given"
			}
			props["snapshot"] = l.spec.Snapshot.Format("2006-01-02")
		}
	}
	pj, err := json.Marshal(props)
	if err != nil {
		return nil, "attributes cannot be stored: " + err.Error()
	}
	var id any
	if f.ID != "" {
		id = f.ID
		if l.ids.allInt && !intRe.MatchString(f.ID) {
			l.ids.allInt = false
		}
	} else {
		l.ids.all = false
	}
	l.ids.seen++
	return []any{f.Record, id, pj, wkbBytes}, ""
}

func empty(g orb.Geometry) bool {
	switch x := g.(type) {
	case orb.MultiPoint:
		return len(x) == 0
	case orb.LineString:
		return len(x) == 0
	case orb.MultiLineString:
		return len(x) == 0
	case orb.Polygon:
		return len(x) == 0 || len(x[0]) == 0
	case orb.MultiPolygon:
		return len(x) == 0
	case orb.Collection:
		return len(x) == 0
	}
	return false
}

// columns decides the attribute columns: canonical first, then the
// source's attributes in order of first appearance.
func (l *loader) columns() []column {
	var cols []column
	used := map[string]bool{}
	for _, f := range CanonicalFields(l.spec.Kind) {
		cols = append(cols, column{Name: f.Name, Source: f.Name, Type: f.Type, Canon: true})
		used[f.Name] = true
	}
	ts := make([]*typeTracker, 0, len(l.trackers))
	for _, t := range l.trackers {
		ts = append(ts, t)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].order < ts[j].order })
	for _, t := range ts {
		name := Launder(t.source, 63)
		if isReserved(name) {
			name = Launder(name+"_src", 63)
		}
		base := name
		for i := 2; used[name]; i++ {
			name = Launder(fmt.Sprintf("%s_%d", base, i), 63)
		}
		used[name] = true
		ft, itDate := t.decide()
		cols = append(cols, column{Name: name, Source: t.source, Type: ft, itDate: itDate})
	}
	return cols
}

// geometryType chooses the table's geometry type from what was seen:
// polygons and lines are stored as their Multi types (repairs may split them).
func (l *loader) geometryType() string {
	if l.spec.GeometryJoin != nil {
		return "MultiPolygon"
	}
	var points, lines, polys, other bool
	for t := range l.geomSeen {
		switch t {
		case "Point", "MultiPoint":
			points = true
		case "LineString", "MultiLineString":
			lines = true
		case "Polygon", "MultiPolygon":
			polys = true
		default:
			other = true
		}
	}
	switch {
	case other || (points && lines) || (points && polys) || (lines && polys):
		return "Geometry"
	case polys:
		return "MultiPolygon"
	case lines:
		return "MultiLineString"
	case points && l.geomSeen["MultiPoint"]:
		return "MultiPoint"
	case points:
		return "Point"
	}
	return "Geometry"
}

// castExpr reads a staged value as the column's type.
func castExpr(c column) string {
	key := quoteLiteral(c.Source)
	raw := "s.props->>" + key
	trimmed := "NULLIF(btrim(" + raw + "), '')"
	switch c.Type {
	case TypeInteger:
		return trimmed + "::bigint"
	case TypeDouble:
		return "sit.to_double(" + raw + ")"
	case TypeBoolean:
		return trimmed + "::boolean"
	case TypeDate:
		if c.itDate {
			return "to_date(" + trimmed + ", 'DD/MM/YYYY')"
		}
		return trimmed + "::date"
	case TypeTimestamp:
		return trimmed + "::timestamptz"
	case TypeJSON:
		return "s.props->" + key
	default:
		return raw
	}
}

// quoteLiteral quotes a string as an SQL literal. Property keys come from
// files, so they are never spliced in unquoted; values go as $n parameters.
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, "\x00", ""), "'", "''") + "'"
}

// geometryExpr builds the staged geometry, repaired and in EPSG:4326, as a
// LATERAL subquery; OFFSET 0 keeps PostgreSQL from inlining it (and so from
// computing the repair twice).
func (l *loader) geometryExprs(geomType string) (lateral string, args []any) {
	if j := l.spec.GeometryJoin; j != nil {
		ident := pgx.Identifier{"sit_data", j.Layer}.Sanitize()
		col := pgx.Identifier{j.Column}.Sanitize()
		return `CROSS JOIN LATERAL (SELECT (SELECT ST_Multi(ST_CollectionExtract(b.geom, 3)) FROM ` + ident + ` b
			WHERE ltrim(b.` + col + `::text, '0') = ltrim(s.props->>` + quoteLiteral(j.Property) + `, '0') LIMIT 1) AS g, true AS valid OFFSET 0) g`, nil
	}
	var g0 string
	if l.spec.SourceProj != "" {
		g0 = "ST_GeomFromWKB(s.wkb)"
	} else {
		g0 = "ST_GeomFromWKB(s.wkb, $1::int)"
		args = append(args, l.spec.SRID)
	}
	fixed := "CASE WHEN v.valid THEN a.g0 ELSE ST_MakeValid(a.g0) END"
	switch geomType {
	case "MultiPolygon":
		fixed = "ST_Multi(ST_CollectionExtract(" + fixed + ", 3))"
	case "MultiLineString":
		fixed = "ST_Multi(ST_CollectionExtract(" + fixed + ", 2))"
	case "MultiPoint":
		fixed = "ST_Multi(ST_CollectionExtract(" + fixed + ", 1))"
	case "Point":
		fixed = "a.g0"
	}
	var transformed string
	if l.spec.SourceProj != "" {
		transformed = "ST_Transform(" + fixed + ", $1::text, 4326)"
		args = append(args, l.spec.SourceProj)
	} else {
		transformed = "ST_Transform(" + fixed + ", 4326)"
	}
	return `CROSS JOIN LATERAL (SELECT ` + g0 + ` AS g0 OFFSET 0) a
		CROSS JOIN LATERAL (SELECT ST_IsValid(a.g0) AS valid OFFSET 0) v
		CROSS JOIN LATERAL (SELECT ` + transformed + ` AS g, v.valid AS valid OFFSET 0) g`, args
}

// derivedExpr computes the derived canonical columns in SQL.
func derivedExpr(kind Kind, c column, cols []column) (string, bool) {
	switch {
	case kind == KindCadastral && c.Name == "area_m2":
		return "ST_Area(g.g::geography)", true
	case kind == KindBroadband && c.Name == "speed_band":
		return "sit.speed_band(sit.to_double(s.props->>'max_down_mbps'))", true
	case kind == KindBroadband && c.Name == "area_class":
		return "coalesce(sit.area_class_label(s.props->>'area_class'), sit.area_class(sit.to_double(s.props->>'max_down_mbps')))", true
	}
	return "", false
}

func selectList(kind Kind, cols []column) []string {
	var exprs []string
	for _, c := range cols {
		if e, ok := derivedExpr(kind, c, cols); ok {
			exprs = append(exprs, e)
			continue
		}
		exprs = append(exprs, castExpr(c))
	}
	return exprs
}

func colNames(cols []column) []string {
	var names []string
	for _, c := range cols {
		names = append(names, pgx.Identifier{c.Name}.Sanitize())
	}
	return names
}

// replace builds a new table and swaps it for the live one.
func (l *loader) replace(ctx context.Context, tx pgx.Tx, existing Layer, exists bool, cols []column, geomType string) error {
	fidType, fidExpr, err := l.chooseFID(ctx, tx)
	if err != nil {
		return err
	}
	live := l.spec.Layer
	tmp := fmt.Sprintf("%s__new%d", live, l.res.ImportID)
	if len(tmp) > 63 {
		tmp = fmt.Sprintf("_new%d", l.res.ImportID)
	}
	tmpIdent := pgx.Identifier{"sit_data", tmp}.Sanitize()
	// CREATE TABLE AS may run its SELECT with parallel workers (INSERT ...
	// SELECT may not): geometry repair and transformation are the costly part.
	if _, err := tx.Exec(ctx, "SET LOCAL max_parallel_workers_per_gather = 4; SET LOCAL parallel_setup_cost = 100; SET LOCAL min_parallel_table_scan_size = '1MB'"); err != nil {
		return err
	}
	exprs := selectList(l.spec.Kind, cols)
	sel := []string{"(" + fidExpr + ")::" + fidType.SQL() + " AS fid"}
	for i, c := range cols {
		sel = append(sel, "("+exprs[i]+")::"+c.Type.SQL()+" AS "+pgx.Identifier{c.Name}.Sanitize())
	}
	sel = append(sel,
		fmt.Sprintf("g.g::geometry(%s, 4326) AS geom", geomType),
		fmt.Sprintf("ST_Transform(g.g, 3857)::geometry(%s, 3857) AS geom_3857", geomType),
		"s.rec AS _rec", "NOT g.valid AS _repaired")
	lateral, args := l.geometryExprs(geomType)
	build := "CREATE TABLE " + tmpIdent + " AS SELECT " + strings.Join(sel, ", ") +
		" FROM " + l.stageIdent() + " s " + lateral + " ORDER BY s.rec"
	if _, err := tx.Exec(ctx, build, args...); err != nil {
		return fmt.Errorf("load features: %w", err)
	}
	l.log.Debug("features built", "elapsed", time.Since(l.started))
	if _, err := tx.Exec(ctx, "ALTER TABLE "+tmpIdent+" ALTER COLUMN fid SET NOT NULL"); err != nil {
		return err
	}
	if fidType == TypeInteger {
		if _, err := tx.Exec(ctx, "ALTER TABLE "+tmpIdent+" ALTER COLUMN fid ADD GENERATED BY DEFAULT AS IDENTITY"); err != nil {
			return fmt.Errorf("fid identity: %w", err)
		}
	}
	if err := l.dropUnusable(ctx, tx, tmpIdent); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "ALTER TABLE "+tmpIdent+" DROP COLUMN _rec, DROP COLUMN _repaired"); err != nil {
		return err
	}
	if fidType == TypeInteger {
		if _, err := tx.Exec(ctx, "SELECT setval(pg_get_serial_sequence($1, 'fid'), coalesce((SELECT max(fid) FROM "+tmpIdent+"), 0) + 1, false)", "sit_data."+pgx.Identifier{tmp}.Sanitize()); err != nil {
			return fmt.Errorf("fid sequence: %w", err)
		}
	}
	if exists {
		if _, err := tx.Exec(ctx, "DROP TABLE IF EXISTS "+existing.Ident().Sanitize()); err != nil {
			return fmt.Errorf("drop previous version: %w", err)
		}
	} else if _, err := tx.Exec(ctx, "DROP TABLE IF EXISTS "+pgx.Identifier{"sit_data", live}.Sanitize()); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "ALTER TABLE "+tmpIdent+" RENAME TO "+pgx.Identifier{live}.Sanitize()); err != nil {
		return fmt.Errorf("swap: %w", err)
	}
	liveIdent := pgx.Identifier{"sit_data", live}.Sanitize()
	if err := l.indexes(ctx, tx, live, cols); err != nil {
		return err
	}
	l.log.Debug("indexed", "elapsed", time.Since(l.started))
	if fidType == TypeInteger {
		// The identity sequence keeps the temporary name: rename it too.
		if _, err := tx.Exec(ctx, "ALTER SEQUENCE IF EXISTS "+pgx.Identifier{"sit_data", tmp + "_fid_seq"}.Sanitize()+" RENAME TO "+pgx.Identifier{live + "_fid_seq"}.Sanitize()); err != nil {
			return fmt.Errorf("rename sequence: %w", err)
		}
	}
	if err := l.grant(ctx, tx, liveIdent); err != nil {
		return err
	}
	return l.updateCatalog(ctx, tx, existing, exists, cols, geomType, fidType)
}

// chooseFID uses the source's ids when every record has one and they are
// unique (stable across re-imports), else the record number.
func (l *loader) chooseFID(ctx context.Context, tx pgx.Tx) (FieldType, string, error) {
	if l.ids.all && l.ids.seen > 0 {
		var unique bool
		if err := tx.QueryRow(ctx, "SELECT count(*) = count(DISTINCT src_id) FROM "+l.stageIdent()).Scan(&unique); err != nil {
			return "", "", err
		}
		if unique {
			if l.ids.allInt {
				return TypeInteger, "s.src_id::bigint", nil
			}
			return TypeText, "s.src_id", nil
		}
		l.log.Info("source ids are not unique; using record numbers as feature ids")
	}
	return TypeInteger, "s.rec", nil
}

// dropUnusable removes features whose geometry is missing or collapsed by
// the repair, reporting them, and counts the repairs.
func (l *loader) dropUnusable(ctx context.Context, tx pgx.Tx, table string) error {
	rows, err := tx.Query(ctx, "DELETE FROM "+table+" WHERE geom IS NULL OR ST_IsEmpty(geom) RETURNING _rec")
	if err != nil {
		return fmt.Errorf("check geometries: %w", err)
	}
	recs, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("check geometries: %w", err)
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i] < recs[j] })
	reason := "geometry empty or collapsed when made valid"
	if j := l.spec.GeometryJoin; j != nil {
		reason = fmt.Sprintf("no feature of layer %s has %s equal to the record's %s", j.Layer, j.Column, j.Property)
	}
	for _, r := range recs {
		l.reject(r, reason)
	}
	if err := tx.QueryRow(ctx, "SELECT count(*) FILTER (WHERE _repaired), count(*) FROM "+table).Scan(&l.res.Repaired, &l.res.Loaded); err != nil {
		return err
	}
	return nil
}

func (l *loader) indexes(ctx context.Context, tx pgx.Tx, table string, cols []column) error {
	ident := pgx.Identifier{"sit_data", table}.Sanitize()
	stmts := []string{
		"ALTER TABLE " + ident + " ADD CONSTRAINT " + pgx.Identifier{table + "_pkey"}.Sanitize() + " PRIMARY KEY (fid)",
		"CREATE INDEX " + pgx.Identifier{table + "_geom_idx"}.Sanitize() + " ON " + ident + " USING gist (geom)",
		"CREATE INDEX " + pgx.Identifier{table + "_geom_3857_idx"}.Sanitize() + " ON " + ident + " USING gist (geom_3857)",
	}
	// Lookups the domain queries make.
	switch l.spec.Kind {
	case KindCadastral:
		stmts = append(stmts,
			"CREATE INDEX "+pgx.Identifier{table + "_ref_idx"}.Sanitize()+" ON "+ident+" (foglio, particella)",
			"CREATE INDEX "+pgx.Identifier{table + "_ncr_idx"}.Sanitize()+" ON "+ident+" (ref)")
	case KindBroadband:
		stmts = append(stmts, "CREATE INDEX "+pgx.Identifier{table + "_snapshot_idx"}.Sanitize()+" ON "+ident+" (snapshot)")
	}
	stmts = append(stmts, "ANALYZE "+ident)
	for _, s := range stmts {
		if _, err := tx.Exec(ctx, s); err != nil {
			return fmt.Errorf("index: %w", err)
		}
	}
	return nil
}

func (l *loader) grant(ctx context.Context, tx pgx.Tx, ident string) error {
	var reader bool
	if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sit_reader')").Scan(&reader); err != nil {
		return err
	}
	if !reader {
		return nil
	}
	_, err := tx.Exec(ctx, "GRANT SELECT ON "+ident+" TO sit_reader")
	return err
}

// appendInto adds the staged features to the live table. New attributes
// become new columns; broadband snapshots carried by the import replace
// the same snapshots already stored, so that re-importing a file is harmless.
func (l *loader) appendInto(ctx context.Context, tx pgx.Tx, existing Layer, cols []column) error {
	ident := existing.Ident().Sanitize()
	current := map[string]FieldType{}
	for _, p := range existing.Properties {
		current[p.Name] = p.Type
	}
	for i, c := range cols {
		ft, ok := current[c.Name]
		if !ok {
			if _, err := tx.Exec(ctx, "ALTER TABLE "+ident+" ADD COLUMN "+pgx.Identifier{c.Name}.Sanitize()+" "+c.Type.SQL()); err != nil {
				return fmt.Errorf("add column %s: %w", c.Name, err)
			}
			continue
		}
		if ft != c.Type {
			// Keep the stored type when the new values fit it, else widen to text.
			if widen(ft, c.Type) == ft {
				cols[i].Type = ft
				continue
			}
			if _, err := tx.Exec(ctx, "ALTER TABLE "+ident+" ALTER COLUMN "+pgx.Identifier{c.Name}.Sanitize()+" TYPE text"); err != nil {
				return fmt.Errorf("widen column %s: %w", c.Name, err)
			}
			cols[i].Type = TypeText
		}
	}
	if existing.Kind == KindBroadband {
		if _, err := tx.Exec(ctx, "DELETE FROM "+ident+" WHERE snapshot IN (SELECT DISTINCT (s.props->>'snapshot')::date FROM "+l.stageIdent()+" s)"); err != nil {
			return fmt.Errorf("replace snapshot: %w", err)
		}
	}
	geomType := existing.GeometryType
	lateral, args := l.geometryExprs(geomType)
	fidCol := ""
	fidExpr := ""
	if existing.FIDType == TypeText {
		fidCol, fidExpr = "fid, ", fmt.Sprintf("coalesce(s.src_id, 'i%d.' || s.rec), ", l.res.ImportID)
	}
	var before int64
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM "+ident).Scan(&before); err != nil {
		return err
	}
	var invalidType bool
	if geomType != "Geometry" {
		// A geometry of another type cannot enter a typed column: count it.
		for t := range l.geomSeen {
			if !compatible(geomType, t) {
				invalidType = true
			}
		}
	}
	if invalidType {
		return &ImportError{Layer: l.spec.Layer, Reason: fmt.Sprintf("cannot append geometries of types %v to a %s layer", keys(l.geomSeen), geomType)}
	}
	insert := "INSERT INTO " + ident + " (" + fidCol + strings.Join(append(colNames(cols), "geom", "geom_3857"), ", ") + ")" +
		" SELECT " + fidExpr + strings.Join(append(selectList(existing.Kind, cols), "g.g", "ST_Transform(g.g, 3857)"), ", ") +
		" FROM " + l.stageIdent() + " s " + lateral + " WHERE g.g IS NOT NULL AND NOT ST_IsEmpty(g.g) ORDER BY s.rec"
	tag, err := tx.Exec(ctx, insert, args...)
	if err != nil {
		return fmt.Errorf("append features: %w", err)
	}
	l.res.Loaded = tag.RowsAffected()
	var staged int64
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM "+l.stageIdent()).Scan(&staged); err != nil {
		return err
	}
	if missing := staged - l.res.Loaded; missing > 0 {
		l.res.Rejected += missing
		l.res.Errors = append(l.res.Errors, RecordError{Reason: fmt.Sprintf("%d records without a usable geometry were not appended", missing)})
	}
	if _, err := tx.Exec(ctx, "ANALYZE "+ident); err != nil {
		return err
	}
	// Merge the property list: existing columns, then the new ones.
	merged := append([]column(nil), cols...)
	return l.updateCatalog(ctx, tx, existing, true, mergeColumns(existing.Properties, merged), geomType, existing.FIDType)
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func compatible(table, geom string) bool {
	switch table {
	case "MultiPolygon":
		return geom == "Polygon" || geom == "MultiPolygon"
	case "MultiLineString":
		return geom == "LineString" || geom == "MultiLineString"
	case "MultiPoint":
		return geom == "Point" || geom == "MultiPoint"
	case "Point":
		return geom == "Point"
	}
	return true
}

// widen returns the type that holds values of both types.
func widen(a, b FieldType) FieldType {
	if a == b {
		return a
	}
	if (a == TypeDouble && b == TypeInteger) || (a == TypeInteger && b == TypeDouble) {
		return TypeDouble
	}
	if a == TypeTimestamp && b == TypeDate {
		return TypeTimestamp
	}
	if a == TypeText {
		return TypeText
	}
	return TypeText
}

func mergeColumns(existing []Property, cols []column) []column {
	seen := map[string]bool{}
	var out []column
	byName := map[string]column{}
	for _, c := range cols {
		byName[c.Name] = c
	}
	for _, p := range existing {
		c, ok := byName[p.Name]
		if !ok {
			c = column{Name: p.Name, Source: p.Title, Type: p.Type, Canon: p.Canonical}
			if c.Source == "" {
				c.Source = p.Name
			}
		}
		out = append(out, c)
		seen[p.Name] = true
	}
	for _, c := range cols {
		if !seen[c.Name] {
			out = append(out, c)
		}
	}
	return out
}

// defaultZooms are the zoom ranges at which a kind's features are worth
// drawing; the tile server and the style start from these.
func defaultZooms(k Kind) (int, int) {
	switch k {
	case KindCadastral:
		return 14, 22
	case KindZoning, KindConstraint:
		return 10, 22
	case KindBroadband:
		return 12, 22
	case KindAddress:
		return 15, 22
	}
	return 0, 22
}

func (l *loader) updateCatalog(ctx context.Context, tx pgx.Tx, existing Layer, exists bool, cols []column, geomType string, fidType FieldType) error {
	ident := pgx.Identifier{"sit_data", l.spec.Layer}.Sanitize()
	var props []Property
	for _, c := range cols {
		p := Property{Name: c.Name, Type: c.Type, Queryable: c.Type != TypeJSON, Canonical: c.Canon}
		if c.Source != c.Name {
			p.Title = c.Source
		}
		props = append(props, p)
	}
	sortProperties(props)
	propsJSON, err := json.Marshal(props)
	if err != nil {
		return err
	}
	var count int64
	var minx, miny, maxx, maxy *float64
	if err := tx.QueryRow(ctx, "SELECT n, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) AS e, count(*) AS n FROM "+ident+") x").Scan(&count, &minx, &miny, &maxx, &maxy); err != nil {
		return fmt.Errorf("extent: %w", err)
	}
	var extent []float64
	if minx != nil {
		extent = []float64{*minx, *miny, *maxx, *maxy}
	}
	temporal := ""
	var tExtent []time.Time
	if l.spec.Kind == KindBroadband {
		temporal = "snapshot"
		var lo, hi *time.Time
		if err := tx.QueryRow(ctx, "SELECT min(snapshot)::timestamptz, max(snapshot)::timestamptz FROM "+ident).Scan(&lo, &hi); err != nil {
			return fmt.Errorf("temporal extent: %w", err)
		}
		if lo != nil {
			tExtent = []time.Time{*lo, *hi}
		}
	}
	title, desc, attribution := l.spec.Title, l.spec.Description, l.spec.Attribution
	if exists {
		if title == "" {
			title = existing.Title
		}
		if desc == "" {
			desc = existing.Description
		}
		if attribution == "" {
			attribution = existing.Attribution
		}
	}
	if title == "" {
		title = l.spec.Layer
	}
	minZ, maxZ := defaultZooms(l.spec.Kind)
	if exists && existing.Kind == l.spec.Kind {
		minZ, maxZ = existing.MinZoom, existing.MaxZoom
	}
	roles := l.spec.Roles
	if roles == nil && exists {
		roles = existing.Roles
	}
	if roles == nil {
		roles = []string{}
	}
	srid := l.spec.SRID
	err = tx.QueryRow(ctx, `INSERT INTO sit.layers AS l (name, title, description, attribution, kind, table_name, geometry_type,
			source_srid, fid_type, version, feature_count, extent, properties, temporal_property, temporal_extent,
			min_zoom, max_zoom, roles, synthetic, updated_at)
		VALUES ($1, $2, $3, $4, $5, $1, $6, $7, $8, 1, $9, $10, $11, NULLIF($12, ''), $13, $14, $15, $16, $17, now())
		ON CONFLICT (name) DO UPDATE SET title = EXCLUDED.title, description = EXCLUDED.description,
			attribution = EXCLUDED.attribution, kind = EXCLUDED.kind, geometry_type = EXCLUDED.geometry_type,
			source_srid = EXCLUDED.source_srid, fid_type = EXCLUDED.fid_type, version = l.version + 1,
			feature_count = EXCLUDED.feature_count, extent = EXCLUDED.extent, properties = EXCLUDED.properties,
			temporal_property = EXCLUDED.temporal_property, temporal_extent = EXCLUDED.temporal_extent,
			min_zoom = EXCLUDED.min_zoom, max_zoom = EXCLUDED.max_zoom, roles = EXCLUDED.roles,
			synthetic = EXCLUDED.synthetic, updated_at = now()
		RETURNING version`,
		l.spec.Layer, title, desc, attribution, string(l.spec.Kind), geomType, srid, string(fidType), count, extent,
		propsJSON, temporal, tExtent, minZ, maxZ, roles, l.spec.Synthetic).Scan(&l.res.Version)
	if err != nil {
		return fmt.Errorf("update catalog: %w", err)
	}
	l.res.GeometryType = geomType
	return nil
}
