package layers

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/crs"
)

// Staged is what an import knows once every record is in the staging
// table, before anything is built: the caller's ImportSpec.Check sees it
// and may refuse the import (the previous version then stays), so that
// policies (which replacements need consent, where the data should be)
// live with the caller, not in the loader.
type Staged struct {
	Layer string
	Kind  Kind
	Mode  Mode
	// Existing is the layer as it is, nil when the import creates it;
	// LastSource the file name of its last successful import.
	Existing   *Layer
	LastSource string
	// GeometryType is the type the layer's table will have (for an append,
	// the existing one); Types the geometry types staged, most frequent first.
	GeometryType string
	Types        []TypeCount
	Read         int64
	Rejected     int64
	// Bounds of the staged geometries in the source CRS; nil when there are
	// none (a geometry join).
	Bounds *crs.Box
	// LonLat transforms a box from the source CRS to EPSG:4326 (its corners
	// only: a hint, not an exact extent).
	LonLat func(crs.Box) (crs.Box, error)
}

// checkRange refuses an import whose coordinates are mostly beyond
// longitude/latitude in a geographic CRS: a projected file read as degrees.
// A few such records among good ones are only rejected records.
func (l *loader) checkRange() error {
	if g := l.geom; g.outOfRange > 0 && 2*g.outOfRange > l.res.Read {
		return l.fail("%s", l.projectedMessage())
	}
	return nil
}

// checkStaged lets the caller's Check decide on the staged import.
func (l *loader) checkStaged(ctx context.Context, tx pgx.Tx, existing *Layer) error {
	if l.spec.Check == nil {
		return nil
	}
	st := Staged{Layer: l.spec.Layer, Kind: l.spec.Kind, Mode: l.spec.Mode, Existing: existing,
		GeometryType: l.geometryType(), Types: l.geom.seen(), Read: l.res.Read, Rejected: l.res.Rejected,
		LonLat: func(b crs.Box) (crs.Box, error) { return l.lonLat(ctx, tx, b) }}
	if existing != nil {
		if l.spec.Mode == ModeAppend {
			st.GeometryType = existing.GeometryType
		}
		if err := tx.QueryRow(ctx, `SELECT coalesce((SELECT source_name FROM sit.imports WHERE layer = $1 AND status = 'succeeded'
			ORDER BY id DESC LIMIT 1), '')`, l.spec.Layer).Scan(&st.LastSource); err != nil {
			return fmt.Errorf("last import of %s: %w", l.spec.Layer, err)
		}
	}
	if l.geom.any {
		b := l.geom.bounds
		st.Bounds = &crs.Box{W: b.Min[0], S: b.Min[1], E: b.Max[0], N: b.Max[1]}
	}
	if err := l.spec.Check(st); err != nil {
		var ie *ImportError
		if errors.As(err, &ie) {
			return err
		}
		return &ImportError{Layer: l.spec.Layer, Reason: err.Error(), Err: err}
	}
	return nil
}

// projectedMessage explains coordinates in metres read as degrees.
func (l *loader) projectedMessage() string {
	b := l.geom.outBounds
	box := crs.Box{W: b.Min[0], S: b.Min[1], E: b.Max[0], N: b.Max[1]}
	msg := fmt.Sprintf("the coordinates are not longitude/latitude: %d of %d records have coordinates in %s, in metres rather than degrees, but they were read as %s. "+
		"The file does not say its coordinate reference system (or says the wrong one): give it with --srid",
		l.geom.outOfRange, l.res.Read, box.Plain(), l.sourceCRS())
	if s := crs.Suggestion(box); s != "" {
		msg += "; from their range they may be in " + s
	}
	return msg
}

// sourceCRS names the CRS the coordinates were read in.
func (l *loader) sourceCRS() string {
	if l.spec.SourceProj != "" {
		return fmt.Sprintf("%q", l.spec.SourceProj)
	}
	return fmt.Sprintf("EPSG:%d", l.spec.SRID)
}

// lonLat transforms the corners of a box to EPSG:4326 in a savepoint, so
// that coordinates PROJ refuses do not abort the import's transaction.
func (l *loader) lonLat(ctx context.Context, tx pgx.Tx, b crs.Box) (crs.Box, error) {
	env := "ST_MakeEnvelope($1, $2, $3, $4, $5::int)"
	args := []any{b.W, b.S, b.E, b.N, l.spec.SRID}
	target := "4326"
	if l.spec.SourceProj != "" {
		env = "ST_MakeEnvelope($1, $2, $3, $4)"
		args = []any{b.W, b.S, b.E, b.N, l.spec.SourceProj}
		target = "$5::text, 4326"
	}
	var out crs.Box
	err := pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error {
		return sp.QueryRow(ctx, "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Transform("+env+", "+target+")::box2d AS e) t",
			args...).Scan(&out.W, &out.S, &out.E, &out.N)
	})
	return out, err
}
