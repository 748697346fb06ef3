package importers

import (
	"math"

	"github.com/paulmach/orb"
)

// Finite rejects NaN and infinite coordinates, which PostGIS would
// refuse with an error that aborts the whole import.
func Finite(g orb.Geometry) bool {
	ok := true
	var visit func(orb.Geometry)
	visitPts := func(pts []orb.Point) {
		for _, p := range pts {
			if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
				ok = false
				return
			}
		}
	}
	visit = func(g orb.Geometry) {
		switch x := g.(type) {
		case orb.Point:
			visitPts([]orb.Point{x})
		case orb.MultiPoint:
			visitPts(x)
		case orb.LineString:
			visitPts(x)
		case orb.MultiLineString:
			for _, l := range x {
				visitPts(l)
			}
		case orb.Polygon:
			for _, r := range x {
				visitPts(r)
			}
		case orb.MultiPolygon:
			for _, p := range x {
				for _, r := range p {
					visitPts(r)
				}
			}
		case orb.Collection:
			for _, e := range x {
				visit(e)
			}
		}
	}
	visit(g)
	return ok
}

// IsFinite tells a number from NaN and the infinities.
func IsFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
