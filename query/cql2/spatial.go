package cql2

import (
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

var spatialFuncs = map[string]string{
	"s_intersects": "ST_Intersects", "s_equals": "ST_Equals", "s_disjoint": "ST_Disjoint",
	"s_touches": "ST_Touches", "s_within": "ST_Within", "s_overlaps": "ST_Overlaps",
	"s_crosses": "ST_Crosses", "s_contains": "ST_Contains",
}

func (t *translator) spatial(o Op) (expr, error) {
	es, err := t.operands(o, 2)
	if err != nil {
		return expr{}, err
	}
	var parts [2]string
	for i, e := range es {
		if e.t != TypeGeometry {
			return expr{}, fail("%s needs geometries, argument %d is %s", strings.ToUpper(o.Name), i+1, typeOrLit(e))
		}
		if parts[i], err = t.emit(e, TypeGeometry); err != nil {
			return expr{}, prefix(strings.ToUpper(o.Name), err)
		}
	}
	return expr{sql: spatialFuncs[o.Name] + "(" + parts[0] + ", " + parts[1] + ")", t: TypeBoolean}, nil
}

// geometry emits a WKT/GeoJSON or BBOX literal as a parameter in the
// storage CRS, after checking its coordinates against the limits of the
// filter CRS (Options.Limits).
func (t *translator) geometry(n Node) (string, error) {
	d, known := domainOf(t.o)
	var g orb.Geometry
	switch x := n.(type) {
	case BBox:
		var err error
		if g, err = d.box(x, known); err != nil {
			return "", err
		}
	case Geometry:
		if known {
			if err := d.check(x.G); err != nil {
				return "", err
			}
		}
		g = x.G
		if t.o.SwapXY {
			g = swapXY(g)
		}
	}
	b, err := wkb.Marshal(g)
	if err != nil {
		return "", fail("geometry literal: %v", err)
	}
	sql := "ST_GeomFromWKB(" + t.a.Add(b) + "::bytea, " + strconv.Itoa(t.o.LiteralSRID) + ")"
	if t.o.LiteralSRID != t.o.StorageSRID {
		sql = "ST_Transform(" + sql + ", " + strconv.Itoa(t.o.StorageSRID) + ")"
	}
	if polygonal(g) {
		// An invalid polygon (a bow tie, overlapping parts of a collection)
		// makes GEOS throw; its valid, dissolved form covers the same points,
		// which is what the spatial predicates compare. The sub-select runs
		// once per statement, also under a generic plan.
		sql = "(SELECT ST_UnaryUnion(ST_MakeValid(" + sql + ")))"
	}
	return sql, nil
}

// polygonal reports a literal with areas, which may be invalid as written.
func polygonal(g orb.Geometry) bool {
	switch x := g.(type) {
	case orb.Polygon, orb.MultiPolygon:
		return true
	case orb.Collection:
		for _, c := range x {
			if polygonal(c) {
				return true
			}
		}
	}
	return false
}

func swapXY(g orb.Geometry) orb.Geometry {
	sw := func(ps []orb.Point) []orb.Point {
		out := make([]orb.Point, len(ps))
		for i, p := range ps {
			out[i] = orb.Point{p[1], p[0]}
		}
		return out
	}
	switch x := g.(type) {
	case orb.Point:
		return orb.Point{x[1], x[0]}
	case orb.MultiPoint:
		return orb.MultiPoint(sw(x))
	case orb.LineString:
		return orb.LineString(sw(x))
	case orb.MultiLineString:
		out := make(orb.MultiLineString, len(x))
		for i, l := range x {
			out[i] = orb.LineString(sw(l))
		}
		return out
	case orb.Polygon:
		out := make(orb.Polygon, len(x))
		for i, r := range x {
			out[i] = orb.Ring(sw(r))
		}
		return out
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(x))
		for i, p := range x {
			out[i] = swapXY(p).(orb.Polygon)
		}
		return out
	case orb.Collection:
		out := make(orb.Collection, len(x))
		for i, c := range x {
			out[i] = swapXY(c)
		}
		return out
	}
	return g
}
