package layers

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// stageIdent is the quoted staging table of this import.
func (l *loader) stageIdent() string { return dataIdent(l.stageTable) }

// startStream resets what the stream of records tells the loader.
func (l *loader) startStream() {
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
	l.canonList = CanonicalFields(l.spec.Kind)
	for _, f := range l.canonList {
		l.canon[f.Name] = f.Type
	}
}

// stage streams the rest of the pipe into the staging table with COPY
// (binary protocol), held first when the direct load stopped on it.
func (l *loader) stage(ctx context.Context, tx pgx.Tx, pipe *stagePipe, held *prepared) error {
	src := &copySource{l: l, pipe: pipe, held: held}
	n, err := tx.Conn().CopyFrom(ctx, pgx.Identifier{dataSchema, l.stageTable}, []string{"rec", "src_id", "props", "wkb", "w3857", "area"}, src)
	if src.err != nil {
		return src.err
	}
	if err != nil {
		return fmt.Errorf("copy into staging: %w", err)
	}
	l.staged += n
	l.log.Debug("staged", "rows", l.staged, "elapsed", time.Since(l.started))
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

// copySource adapts the feature stream to pgx's CopyFromSource. The
// records arrive prepared by a stagePipe (validated and encoded on all
// cores, in their order); what depends on the records before them (type
// inference, ids, counts, rejections) happens here, one record at a time.
type copySource struct {
	l    *loader
	pipe *stagePipe
	held *prepared // a record already counted, staged first
	row  []any
	err  error
}

func (c *copySource) Next() bool {
	l := c.l
	it, ok := prepared{}, false
	if c.held != nil {
		it, ok, c.held = *c.held, true, nil
	} else {
		it, ok, c.err = l.nextRecord(c.pipe)
	}
	if !ok {
		return false
	}
	if it.row == nil {
		// Prepared for the direct load before it stopped.
		it = l.prepare(it.f, false)
	}
	l.follow(it)
	c.row = it.row
	return true
}

func (c *copySource) Values() ([]any, error) { return c.row, nil }
func (c *copySource) Err() error             { return c.err }

// nextRecord is the next record to load from the pipe, counting the ones
// read and rejected on the way; false at the end or on an error.
func (l *loader) nextRecord(pipe *stagePipe) (prepared, bool, error) {
	for {
		if err := l.ctx.Err(); err != nil {
			return prepared{}, false, err
		}
		it, ok := pipe.next()
		if !ok {
			return prepared{}, false, nil
		}
		var re *RecordError
		switch {
		case errors.As(it.err, &re):
			l.res.Read++
			l.reject(re.Record, re.Reason)
			continue
		case it.err != nil:
			return prepared{}, false, it.err
		}
		l.res.Read++
		if l.spec.Progress != nil && l.res.Read%1000 == 0 {
			l.spec.Progress(l.res.Read)
		}
		if it.reason != "" {
			if it.outOfRange {
				l.geom.addOutOfRange(it.f.Geometry)
			}
			l.reject(it.f.Record, it.reason)
			continue
		}
		return it, true, nil
	}
}

// readFeature is split out so that a panic in a reader cannot take the
// transaction down with it silently: it becomes an error. read is the
// number of records read before.
func readFeature(r FeatureReader, read int64) (f Feature, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("reader crashed on the record after %d: %v", read, p)
		}
	}()
	return r.Next()
}

// observation is an attribute value the type inference must see.
type observation struct {
	key string
	v   any
}

// prepared is one record made ready for the staging table by prepare:
// its row, or the reason it is rejected. A record prepared for the direct
// load has its drow instead, or brk, why it cannot go there (and its row).
type prepared struct {
	f          Feature
	err        error // from the reader
	row        []any
	reason     string
	outOfRange bool
	staged     bool // the row carries the geometry (not a join's)
	obs        []observation
	direct     *directValues
	brk        string
}

// prepare validates one feature and turns it into a staging row, or a
// row of the version's table when direct (directRow). It reads only the
// loader's settings, so that records are prepared in parallel.
func (l *loader) prepare(f Feature, direct bool) prepared {
	it := prepared{f: f}
	wkbBytes, reason, out := l.prepareGeometry(f)
	if reason != "" {
		it.reason, it.outOfRange = reason, out
		return it
	}
	props, reason := l.checkProps(f, &it)
	if reason != "" {
		it.reason = reason
		return it
	}
	var w3857, area any
	if wkbBytes != nil {
		w3857, area = l.projections(f.Geometry)
	}
	it.staged = wkbBytes != nil
	if direct {
		if it.brk = l.directRow(&it, props, wkbBytes, w3857, area); it.brk == "" {
			return it
		}
	}
	pj, err := stagedJSON(props)
	if err != nil {
		it.reason = "attributes cannot be stored: " + err.Error()
		return it
	}
	var id any
	if f.ID != "" {
		id = f.ID
	}
	it.row = []any{f.Record, id, pj, wkbBytes, w3857, area}
	return it
}

// checkProps checks a record's attributes against the canonical and
// declared types; it returns them as staged and notes in it the values
// the type inference must see.
func (l *loader) checkProps(f Feature, it *prepared) (map[string]any, string) {
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
		it.obs = append(it.obs, observation{k, v})
		props[k] = stageValue(v)
	}
	if l.spec.Kind == KindBroadband && props["snapshot"] == nil {
		if l.spec.Snapshot.IsZero() {
			return nil, "no snapshot date: the record has none and no --snapshot was given"
		}
		props["snapshot"] = l.spec.Snapshot.Format("2006-01-02")
	}
	return props, ""
}

// follow records what a staged record tells about the layer, in record
// order: attribute types (in order of first appearance), ids, geometries.
func (l *loader) follow(it prepared) {
	// Sorted within the record, as the map gave no order.
	sort.Slice(it.obs, func(i, j int) bool { return it.obs[i].key < it.obs[j].key })
	for _, o := range it.obs {
		t := l.trackers[o.key]
		if t == nil {
			t = newTracker(o.key, len(l.trackers), l.declared[o.key])
			l.trackers[o.key] = t
		}
		t.observe(o.v)
	}
	l.ids.observe(it.f.ID)
	if it.staged {
		l.geom.add(it.f.Record, it.f.Geometry)
	}
}

// observe follows one record's id ("": none).
func (t *idTracker) observe(id string) {
	t.seen++
	if id == "" {
		t.all = false
		return
	}
	if t.allInt && !intRe.MatchString(id) {
		t.allInt = false
	}
	if t.allInt && t.increasing {
		n, err := strconv.ParseInt(id, 10, 64)
		t.increasing = err == nil && (t.seen == 1 || n > t.last)
		t.last = n
	}
}

// prepareGeometry checks a record's geometry and encodes it as WKB (nil
// when the geometry comes from a join).
func (l *loader) prepareGeometry(f Feature) (b []byte, reason string, outOfRange bool) {
	if l.spec.GeometryJoin != nil {
		return nil, "", false
	}
	if f.Geometry == nil {
		return nil, "no geometry", false
	}
	if empty(f.Geometry) {
		return nil, "empty geometry", false
	}
	if reason, outOfRange := l.check.problem(f.Geometry); reason != "" {
		return nil, reason, outOfRange
	}
	b, err := wkb.Marshal(f.Geometry)
	if err != nil {
		return nil, "geometry cannot be encoded: " + err.Error(), false
	}
	return b, "", false
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
func (l *loader) columns() []column { return l.columnsFrom(l.trackers) }

// columnsFrom decides the columns from the given attributes' trackers.
func (l *loader) columnsFrom(trackers map[string]*typeTracker) []column {
	var cols []column
	used := map[string]bool{}
	for _, f := range CanonicalFields(l.spec.Kind) {
		cols = append(cols, column{Name: f.Name, Source: f.Name, Type: f.Type, Canon: true})
		used[f.Name] = true
	}
	ts := make([]*typeTracker, 0, len(trackers))
	for _, t := range trackers {
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
