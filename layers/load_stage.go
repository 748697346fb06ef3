package layers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// stageIdent is the quoted staging table of this import.
func (l *loader) stageIdent() string { return dataIdent(l.stageTable) }

// stage streams the reader into the staging table with COPY (binary protocol).
func (l *loader) stage(ctx context.Context, tx pgx.Tx) error {
	l.trackers = map[string]*typeTracker{}
	l.declared = map[string]FieldType{}
	l.canon = map[string]FieldType{}
	l.geom = geomStats{types: map[string]*TypeCount{}}
	l.ids = idTracker{all: true, allInt: true, increasing: true}
	for _, f := range l.spec.Fields {
		if f.Type != "" {
			l.declared[f.Name] = f.Type
		}
	}
	for _, f := range CanonicalFields(l.spec.Kind) {
		l.canon[f.Name] = f.Type
	}
	src := &copySource{l: l}
	n, err := tx.Conn().CopyFrom(ctx, pgx.Identifier{dataSchema, l.stageTable}, []string{"rec", "src_id", "props", "wkb", "w3857", "area"}, src)
	if src.err != nil {
		return src.err
	}
	if err != nil {
		return fmt.Errorf("copy into staging: %w", err)
	}
	l.staged = n
	l.log.Debug("staged", "rows", n, "elapsed", time.Since(l.started))
	// The build of a source in EPSG:4326 reads the staging table once, in
	// order: the planner needs no statistics for it (it sizes its parallel
	// scan on the table's pages).
	if !l.projectsInGo() {
		if _, err := tx.Exec(ctx, "ANALYZE "+l.stageIdent()); err != nil {
			return fmt.Errorf("analyze staging: %w", err)
		}
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
	wkbBytes, reason := l.prepareGeometry(f)
	if reason != "" {
		return nil, reason
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
	id := l.ids.observe(f.ID)
	var w3857, area any
	if wkbBytes != nil {
		l.geom.add(f.Record, f.Geometry)
		w3857, area = l.projections(f.Geometry)
	}
	return []any{f.Record, id, pj, wkbBytes, w3857, area}, ""
}

// observe follows one record's id; it returns the id to stage (nil: none).
func (t *idTracker) observe(id string) any {
	t.seen++
	if id == "" {
		t.all = false
		return nil
	}
	if t.allInt && !intRe.MatchString(id) {
		t.allInt = false
	}
	if t.allInt && t.increasing {
		n, err := strconv.ParseInt(id, 10, 64)
		t.increasing = err == nil && (t.seen == 1 || n > t.last)
		t.last = n
	}
	return id
}

// projections are the staged geometry's Web Mercator WKB and, for parcels,
// spheroid area when the loader computes them (projectsInGo); nil leaves
// them to PostGIS.
func (l *loader) projections(g orb.Geometry) (w3857, area any) {
	if !l.projectsInGo() {
		return nil, nil
	}
	if b := webMercatorWKB(g); b != nil {
		w3857 = b
	}
	if l.spec.Kind == KindCadastral {
		if a, ok := spheroidArea(g); ok {
			area = a
		}
	}
	return w3857, area
}

// prepareGeometry checks a record's geometry and encodes it as WKB (nil
// when the geometry comes from a join).
func (l *loader) prepareGeometry(f Feature) ([]byte, string) {
	if l.spec.GeometryJoin != nil {
		return nil, ""
	}
	if f.Geometry == nil {
		return nil, "no geometry"
	}
	if empty(f.Geometry) {
		return nil, "empty geometry"
	}
	if reason, outOfRange := l.check.problem(f.Geometry); reason != "" {
		if outOfRange {
			l.geom.addOutOfRange(f.Geometry)
		}
		return nil, reason
	}
	b, err := wkb.Marshal(f.Geometry)
	if err != nil {
		return nil, "geometry cannot be encoded: " + err.Error()
	}
	return b, ""
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
	for t := range l.geom.types {
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
	case points && l.geom.has("MultiPoint"):
		return "MultiPoint"
	case points:
		return "Point"
	}
	return "Geometry"
}
