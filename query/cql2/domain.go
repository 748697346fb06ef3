package cql2

import (
	"strconv"

	"github.com/paulmach/orb"
)

// domain is the range of valid coordinates of the literals' CRS, in the
// axis order they are written in.
type domain struct {
	name     string
	axes     [2]string
	min, max [2]float64
	wrap     int  // the written axis that wraps at the antimeridian, -1 if none
	swap     bool // written order is north/east
}

// domainOf is the domain of the options' literals; false when they have no
// limits to check.
func domainOf(o Options) (domain, bool) {
	d := domain{name: "EPSG:" + strconv.Itoa(o.LiteralSRID), axes: [2]string{"the first coordinate", "the second coordinate"}, wrap: -1, swap: o.SwapXY}
	if o.LiteralSRID == 4326 && !o.SwapXY {
		d.name = "CRS84"
	}
	if o.Limits == [4]float64{} {
		return d, false
	}
	d.min, d.max = [2]float64{o.Limits[0], o.Limits[1]}, [2]float64{o.Limits[2], o.Limits[3]}
	d.axes = [2]string{"easting", "northing"}
	if o.Geographic {
		d.axes = [2]string{"longitude", "latitude"}
		d.wrap = 0
	}
	if o.SwapXY {
		d.min, d.max = [2]float64{d.min[1], d.min[0]}, [2]float64{d.max[1], d.max[0]}
		d.axes[0], d.axes[1] = d.axes[1], d.axes[0]
		if d.wrap == 0 {
			d.wrap = 1
		}
	}
	return d, true
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// point checks one position, as written.
func (d domain) point(p orb.Point) error {
	for i := 0; i < 2; i++ {
		if p[i] < d.min[i] || p[i] > d.max[i] {
			return fail("the coordinates (%s %s) are outside the limits of %s: %s must be between %s and %s",
				num(p[0]), num(p[1]), d.name, d.axes[i], num(d.min[i]), num(d.max[i]))
		}
	}
	return nil
}

// check checks every position of a literal.
func (d domain) check(g orb.Geometry) error {
	var err error
	visit(g, func(p orb.Point) bool {
		err = d.point(p)
		return err == nil
	})
	return err
}

// visit calls f on each position of g until f returns false.
func visit(g orb.Geometry, f func(orb.Point) bool) bool {
	switch x := g.(type) {
	case orb.Point:
		return f(x)
	case orb.MultiPoint:
		return visitPoints(x, f)
	case orb.LineString:
		return visitPoints(x, f)
	case orb.MultiLineString:
		return visitAll(x, func(l orb.LineString) bool { return visitPoints(l, f) })
	case orb.Polygon:
		return visitAll(x, func(r orb.Ring) bool { return visitPoints(r, f) })
	case orb.MultiPolygon:
		return visitAll(x, func(p orb.Polygon) bool { return visit(p, f) })
	case orb.Collection:
		return visitAll(x, func(c orb.Geometry) bool { return visit(c, f) })
	}
	return true
}

func visitAll[T any](items []T, f func(T) bool) bool {
	for _, it := range items {
		if !f(it) {
			return false
		}
	}
	return true
}

func visitPoints[T ~[]orb.Point](ps T, f func(orb.Point) bool) bool {
	return visitAll([]orb.Point(ps), f)
}

// box turns a BBOX into a polygon in storage x/y order: two polygons when,
// in a geographic CRS, the box crosses the antimeridian (its west edge,
// written first, lies east of its east edge).
func (d domain) box(b BBox, known bool) (orb.Geometry, error) {
	if known {
		for _, p := range []orb.Point{b.Min, b.Max} {
			if err := d.point(p); err != nil {
				return nil, prefix("BBOX", err)
			}
		}
	}
	crosses := false
	for i := 0; i < 2; i++ {
		if b.Min[i] <= b.Max[i] {
			continue
		}
		if i != d.wrap {
			return nil, fail("BBOX: its lower %s %s is above its upper %s %s", d.axes[i], num(b.Min[i]), d.axes[i], num(b.Max[i]))
		}
		crosses = true
	}
	lo, hi := orb.Point(b.Min), orb.Point(b.Max)
	if d.swap {
		lo, hi = orb.Point{lo[1], lo[0]}, orb.Point{hi[1], hi[0]}
	}
	if !crosses {
		return orb.Bound{Min: lo, Max: hi}.ToPolygon(), nil
	}
	east := orb.Bound{Min: lo, Max: orb.Point{180, hi[1]}}
	west := orb.Bound{Min: orb.Point{-180, lo[1]}, Max: hi}
	return orb.MultiPolygon{east.ToPolygon(), west.ToPolygon()}, nil
}
