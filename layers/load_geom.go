package layers

import (
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// The loader checks every geometry before PostGIS sees it: a geometry that
// ST_GeomFromWKB or ST_Transform would refuse ("Polygon must have at least
// four points in each ring", "transform: Invalid coordinate") would fail the
// whole statement, and with it the import, without saying which record was
// at fault. Here it becomes a rejected record with its number and reason.

// geomCheck is what the loader knows about the source coordinates.
type geomCheck struct {
	// geographic is true when the source CRS is in degrees (longitude,
	// latitude): coordinates must then lie in [-180, 180] × [-90, 90].
	geographic bool
}

// problem says why PostGIS could not build g; "" when it can. outOfRange
// reports a coordinate beyond longitude/latitude in a geographic CRS (the
// sign of a projected file read as degrees).
func (c geomCheck) problem(g orb.Geometry) (reason string, outOfRange bool) {
	switch x := g.(type) {
	case orb.Point:
		return c.point(x)
	case orb.MultiPoint:
		return c.points(x, "point")
	case orb.LineString:
		return c.line(x)
	case orb.MultiLineString:
		for i, ls := range x {
			if r, out := c.line(ls); r != "" {
				return fmt.Sprintf("line %d: %s", i+1, r), out
			}
		}
	case orb.Polygon:
		return c.polygon(x)
	case orb.MultiPolygon:
		for i, p := range x {
			if r, out := c.polygon(p); r != "" {
				return fmt.Sprintf("polygon %d: %s", i+1, r), out
			}
		}
	case orb.Collection:
		for i, m := range x {
			if r, out := c.problem(m); r != "" {
				return fmt.Sprintf("member %d: %s", i+1, r), out
			}
		}
	case orb.Ring:
		return c.polygon(orb.Polygon{x})
	case orb.Bound:
		return c.points([]orb.Point{x.Min, x.Max}, "corner")
	}
	return "", false
}

func (c geomCheck) point(p orb.Point) (string, bool) {
	if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
		return fmt.Sprintf("coordinate (%v %v) is not a number", p[0], p[1]), false
	}
	// A rounding slack: Natural Earth's Russia reaches 180.00000000000006.
	if c.geographic && (math.Abs(p[0]) > 180+1e-9 || math.Abs(p[1]) > 90+1e-9) {
		return fmt.Sprintf("coordinate (%v %v) is not a longitude/latitude", p[0], p[1]), true
	}
	return "", false
}

func (c geomCheck) points(ps []orb.Point, what string) (string, bool) {
	for i, p := range ps {
		if r, out := c.point(p); r != "" {
			return fmt.Sprintf("%s %d: %s", what, i+1, r), out
		}
	}
	return "", false
}

func (c geomCheck) line(ls orb.LineString) (string, bool) {
	if len(ls) < 2 {
		return fmt.Sprintf("a line of %d point(s): a line needs at least 2", len(ls)), false
	}
	return c.points(ls, "point")
}

func (c geomCheck) polygon(p orb.Polygon) (string, bool) {
	for i, r := range p {
		what := "outer ring"
		if i > 0 {
			what = fmt.Sprintf("hole %d", i)
		}
		if reason, out := c.points(r, "point"); reason != "" {
			return what + ": " + reason, out
		}
		if len(r) < 4 {
			return fmt.Sprintf("%s has %d points: a ring needs at least 4 (3 corners and the first repeated)", what, len(r)), false
		}
		if r[0] != r[len(r)-1] {
			return fmt.Sprintf("%s is not closed: it starts at (%v %v) and ends at (%v %v)", what, r[0][0], r[0][1], r[len(r)-1][0], r[len(r)-1][1]), false
		}
	}
	return "", false
}

// TypeCount is how many staged records have one geometry type, and the
// number of the first of them.
type TypeCount struct {
	Type  string
	Count int64
	First int64
}

// geomStats follows the geometries that reach the staging table.
type geomStats struct {
	types  map[string]*TypeCount
	bounds orb.Bound
	any    bool
	// outOfRange counts the records rejected for coordinates beyond
	// longitude/latitude; outBounds is their extent.
	outOfRange int64
	outBounds  orb.Bound
}

func (s *geomStats) add(rec int64, g orb.Geometry) {
	t := g.GeoJSONType()
	tc := s.types[t]
	if tc == nil {
		tc = &TypeCount{Type: t, First: rec}
		s.types[t] = tc
	}
	tc.Count++
	b := g.Bound()
	if !s.any {
		s.bounds, s.any = b, true
		return
	}
	s.bounds = s.bounds.Union(b)
}

func (s *geomStats) addOutOfRange(g orb.Geometry) {
	b := g.Bound()
	if s.outOfRange == 0 {
		s.outBounds = b
	} else {
		s.outBounds = s.outBounds.Union(b)
	}
	s.outOfRange++
}

// seen lists the geometry types staged, most frequent first.
func (s *geomStats) seen() []TypeCount {
	out := make([]TypeCount, 0, len(s.types))
	for _, tc := range s.types {
		out = append(out, *tc)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Type < out[j].Type
	})
	return out
}

// has tells whether a geometry type was staged.
func (s *geomStats) has(t string) bool { return s.types[t] != nil }
