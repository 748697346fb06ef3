package layers

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/project"
)

// For a source in EPSG:4326 the loader computes in Go, while the features
// stream in, the two things that cost PostgreSQL most per row in the build:
// the Web Mercator copy of the geometry and, for parcels, the spheroid
// area. Both are closed-form for a valid geometry; the build falls back to
// ST_Transform and ST_Area(geography) for the records PostGIS repairs and
// for the ones left NULL here (near the poles, very large polygons).

// WGS 84, the ellipsoid of EPSG:4326 and of Web Mercator's sphere radius.
const (
	wgs84A = 6378137.0
	wgs84F = 1 / 298.257223563
)

// projectsInGo tells whether the loader computes geom_3857 (and the area)
// itself: the source is plain EPSG:4326 and the geometry its own.
func (l *loader) projectsInGo() bool {
	return l.spec.GeometryJoin == nil && l.spec.SourceProj == "" && l.spec.SRID == 4326
}

// webMercatorWKB is g in EPSG:3857 as WKB, computed as PROJ's webmerc does
// (x = a·λ, y = a·asinh(tan φ)); nil when a latitude lies beyond Web
// Mercator's square (the build then asks PostGIS).
func webMercatorWKB(g orb.Geometry) []byte {
	if b := g.Bound(); math.Abs(b.Min[1]) > 85.06 || math.Abs(b.Max[1]) > 85.06 {
		return nil
	}
	m := project.Geometry(orb.Clone(g), webMercator)
	b, err := wkb.Marshal(m)
	if err != nil {
		return nil
	}
	return b
}

// webMercator projects one point from degrees to EPSG:3857 metres.
func webMercator(p orb.Point) orb.Point {
	return orb.Point{wgs84A * (p[0] * (math.Pi / 180)), wgs84A * math.Asinh(math.Tan(p[1]*(math.Pi/180)))}
}

// authalic holds the constants of the WGS 84 authalic sphere: the
// ellipsoid maps onto it preserving area (latitude φ to authalic β).
type authalic struct {
	e, e2, qp, rq float64
}

func newAuthalic() authalic {
	e2 := wgs84F * (2 - wgs84F)
	a := authalic{e: math.Sqrt(e2), e2: e2}
	a.qp = a.q(1)
	a.rq = wgs84A * math.Sqrt(a.qp/2)
	return a
}

// q is Snyder's q(φ) (Map Projections, eq. 3-12) of sin φ.
func (a authalic) q(sinPhi float64) float64 {
	es := a.e * sinPhi
	return (1 - a.e2) * (sinPhi/(1-es*es) - math.Log((1-es)/(1+es))/(2*a.e))
}

// beta is the authalic latitude of φ (degrees in, radians out).
func (a authalic) beta(phiDeg float64) float64 {
	r := a.q(math.Sin(phiDeg*math.Pi/180)) / a.qp
	return math.Asin(math.Max(-1, math.Min(1, r)))
}

// spheroidArea is the area in m² on the WGS 84 ellipsoid of a polygonal
// geometry in longitude/latitude, as ST_Area(geography) computes it: each
// ring is projected with the Lambert azimuthal equal-area projection of the
// authalic sphere centred on the geometry, whose planar area is the
// ellipsoid's; edges are then straight lines instead of geodesics, which
// for a geometry under a hundredth of a degree across (about a kilometre)
// changes the area by less than a hundred-millionth. ok is false for
// anything else (the build asks PostGIS).
func spheroidArea(g orb.Geometry) (area float64, ok bool) {
	var polys []orb.Polygon
	switch x := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{x}
	case orb.MultiPolygon:
		polys = x
	default:
		return 0, false
	}
	b := g.Bound()
	if b.Max[0]-b.Min[0] > 0.01 || b.Max[1]-b.Min[1] > 0.01 || math.Abs(b.Max[1]) > 89 || math.Abs(b.Min[1]) > 89 {
		return 0, false
	}
	au := newAuthalic()
	c := b.Center()
	lam0, beta0 := c[0]*math.Pi/180, au.beta(c[1])
	sb0, cb0 := math.Sincos(beta0)
	proj := func(p orb.Point) (float64, float64) {
		sb, cb := math.Sincos(au.beta(p[1]))
		sl, cl := math.Sincos(p[0]*math.Pi/180 - lam0)
		k := math.Sqrt(2 / (1 + sb0*sb + cb0*cb*cl))
		return au.rq * k * cb * sl, au.rq * k * (cb0*sb - sb0*cb*cl)
	}
	for _, p := range polys {
		for i, r := range p {
			a := math.Abs(ringArea(r, proj))
			if i > 0 {
				a = -a
			}
			area += a
		}
	}
	return area, true
}

// ringArea is the shoelace area of a ring through proj.
func ringArea(r orb.Ring, proj func(orb.Point) (float64, float64)) float64 {
	if len(r) < 3 {
		return 0
	}
	var s float64
	x0, y0 := proj(r[len(r)-1])
	for _, p := range r {
		x1, y1 := proj(p)
		s += x0*y1 - x1*y0
		x0, y0 = x1, y1
	}
	return s / 2
}

// geomSelect is how the build reads the staged geometries: the select
// expressions of geom, geom_3857, the area (when not derivedExpr's) and the
// repaired flag, the FROM clause (the staging table is s) and its args.
type geomSelect struct {
	geom, g3857, area, repaired string
	from                        string
	args                        []any
	// fast: the projections came from Go (projectsInGo); clean: and no
	// staged geometry was invalid.
	fast, clean bool
}

// geometrySelect prepares the build's geometry expressions. With the
// projections made in Go, one parallel pass first lists the records
// PostGIS finds invalid (usually none); the build then only parses the
// staged WKB of the others, and repairs, transforms and measures in SQL
// just those and the ones Go left NULL. Otherwise every record goes
// through repair and ST_Transform (geometryExprs).
func (l *loader) geometrySelect(ctx context.Context, tx pgx.Tx, geomType string) (geomSelect, error) {
	if !l.projectsInGo() {
		lateral, args := l.geometryExprs(geomType)
		return geomSelect{geom: "g.g", g3857: "ST_Transform(g.g, 3857)", repaired: "NOT g.valid",
			from: l.stageIdent() + " s " + lateral, args: args}, nil
	}
	g0 := "ST_GeomFromWKB(s.wkb, 4326)"
	bad := dataIdent(l.stageTable + "_bad")
	tag, err := tx.Exec(ctx, "CREATE UNLOGGED TABLE "+bad+" AS SELECT s.rec FROM "+l.stageIdent()+" s WHERE NOT ST_IsValid("+g0+")")
	if err != nil {
		return geomSelect{}, fmt.Errorf("check geometries: %w", err)
	}
	l.log.Debug("validity checked", "invalid", tag.RowsAffected(), "elapsed", time.Since(l.started))
	sel := geomSelect{fast: true, clean: tag.RowsAffected() == 0, from: l.stageIdent() + " s"}
	valid := "true" // PostgreSQL folds the CASEs below away
	if !sel.clean {
		valid = "b.rec IS NULL"
		sel.from += " LEFT JOIN " + bad + " b ON b.rec = s.rec"
	}
	fixed := fixedGeometry(geomType, valid, g0)
	m := "ST_GeomFromWKB(s.w3857, 3857)"
	if strings.HasPrefix(geomType, "Multi") {
		m = "ST_Multi(" + m + ")"
	}
	sel.geom = fixed
	sel.g3857 = "CASE WHEN " + valid + " AND s.w3857 IS NOT NULL THEN " + m + " ELSE ST_Transform(" + fixed + ", 3857) END"
	sel.area = "CASE WHEN " + valid + " AND s.area IS NOT NULL THEN s.area ELSE ST_Area((" + fixed + ")::geography) END"
	sel.repaired = "NOT (" + valid + ")"
	return sel, nil
}

// projections are a staged geometry's Web Mercator WKB and, for parcels,
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
