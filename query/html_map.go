package query

import (
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/internal/l10n"
)

// svgMap is an inline SVG rendering of features with a scale bar: no
// script, no tiles, no CDN; enough to see where the features are and to
// click one. Where the browser runs scripts, the page's map script draws
// the same features over the base map in its place (BBox frames it).
type svgMap struct {
	W, H   int
	Lines  bool
	Shapes []svgShape
	// The scale bar: from (ScaleX, ScaleY), ScaleW pixels long, labelled.
	ScaleX, ScaleY, ScaleW string
	ScaleLabel             string
	// BBox is the features' bound in lon/lat: west,south,east,north.
	BBox string
	// Features is the GeoJSON of the features drawn, for the map script.
	Features string
}

type svgShape struct {
	Href   string
	Label  string
	Paths  []string
	Points [][2]string
}

// mercator projects lon/lat to spherical Mercator, in degrees of
// longitude at the equator (the units of x stay degrees of longitude).
func mercator(p orb.Point) orb.Point {
	lat := math.Max(-85, math.Min(85, p[1]))
	return orb.Point{p[0], 180 / math.Pi * math.Log(math.Tan(math.Pi/4+lat*math.Pi/360))}
}

type mapFeature struct {
	href, label string
	geom        orb.Geometry
}

// mapBound is the lon/lat bound of the features, and whether any is a line.
func mapBound(feats []mapFeature) (bound orb.Bound, lines, ok bool) {
	for _, f := range feats {
		if f.geom == nil {
			continue
		}
		switch f.geom.(type) {
		case orb.LineString, orb.MultiLineString:
			lines = true
		}
		b := f.geom.Bound()
		if !ok {
			bound, ok = b, true
		} else {
			bound = bound.Union(b)
		}
	}
	return bound, lines, ok
}

// svgProjection maps lon/lat to the picture's pixels.
type svgProjection struct {
	min   orb.Point // Mercator
	scale float64   // pixels per Mercator unit
	h     float64
}

func (p svgProjection) px(pt orb.Point) (string, string) {
	m := mercator(pt)
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
	return num(10 + (m[0]-p.min[0])*p.scale), num(p.h - 10 - (m[1]-p.min[1])*p.scale)
}

// path is an SVG path through the points.
func (p svgProjection) path(pts []orb.Point, closed bool) string {
	var b strings.Builder
	for i, pt := range pts {
		x, y := p.px(pt)
		if i == 0 {
			b.WriteString("M")
		} else {
			b.WriteString("L")
		}
		b.WriteString(x + " " + y)
	}
	if closed {
		b.WriteString("Z")
	}
	return b.String()
}

// add draws a geometry into the shape.
func (p svgProjection) add(sh *svgShape, g orb.Geometry) {
	switch x := g.(type) {
	case orb.Point:
		cx, cy := p.px(x)
		sh.Points = append(sh.Points, [2]string{cx, cy})
	case orb.MultiPoint:
		for _, pt := range x {
			p.add(sh, pt)
		}
	case orb.LineString:
		sh.Paths = append(sh.Paths, p.path(x, false))
	case orb.MultiLineString:
		for _, l := range x {
			p.add(sh, l)
		}
	case orb.Polygon:
		var d strings.Builder
		for _, r := range x {
			d.WriteString(p.path(r, true))
		}
		sh.Paths = append(sh.Paths, d.String())
	case orb.MultiPolygon:
		for _, pg := range x {
			p.add(sh, pg)
		}
	case orb.Collection:
		for _, c := range x {
			p.add(sh, c)
		}
	}
}

// metresPerDegree is the length of a degree of longitude at the equator
// on the sphere of Web Mercator.
const metresPerDegree = 6378137 * math.Pi / 180

func buildMap(lang l10n.Lang, feats []mapFeature) *svgMap {
	ll, lines, ok := mapBound(feats)
	if !ok {
		return nil
	}
	bound := orb.Bound{Min: mercator(ll.Min), Max: mercator(ll.Max)}
	const width, maxH = 720.0, 420.0
	dx, dy := bound.Max[0]-bound.Min[0], bound.Max[1]-bound.Min[1]
	if dx == 0 && dy == 0 {
		// A point: show about 100 m around it.
		dx = 100 / metresPerDegree / math.Cos(ll.Min[1]*math.Pi/180)
		dy = dx
		bound.Min = orb.Point{bound.Min[0] - dx/2, bound.Min[1] - dy/2}
	}
	scale := math.Min((width-20)/math.Max(dx, 1e-12), (maxH-20)/math.Max(dy, 1e-12))
	h := math.Max(120, math.Min(maxH, dy*scale+20))
	proj := svgProjection{min: bound.Min, scale: scale, h: h}
	m := &svgMap{W: int(width), H: int(h), Lines: lines, BBox: bboxParam(ll)}
	for _, f := range feats {
		if f.geom == nil {
			continue
		}
		sh := svgShape{Href: f.href, Label: f.label}
		proj.add(&sh, f.geom)
		m.Shapes = append(m.Shapes, sh)
	}
	// Mercator stretches lengths by 1/cos(latitude): a pixel at the
	// centre of the map is this many metres on the ground.
	lat := (ll.Min[1] + ll.Max[1]) / 2
	perPixel := metresPerDegree * math.Cos(lat*math.Pi/180) / scale
	length := l10n.RoundLength(width / 5 * perPixel)
	px := func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
	m.ScaleX, m.ScaleY, m.ScaleW = px(12), px(h-10), px(length/perPixel)
	m.ScaleLabel = lang.Length(length)
	return m
}

func bboxParam(b orb.Bound) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 7, 64) }
	return f(b.Min[0]) + "," + f(b.Min[1]) + "," + f(b.Max[0]) + "," + f(b.Max[1])
}
