package synth

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// terrain is what shapes the blocks of a comune: how urban and how hilly a
// point (local metres) is, both in [0,1].
type terrain interface {
	urban(p orb.Point) float64
	hills(p orb.Point) float64
}

// luccaTerrain is Lucca's landscape: the walls, the frazioni, the hills
// north and south of the plain.
type luccaTerrain struct {
	l  *landscape
	fr frame
}

func (t luccaTerrain) urban(p orb.Point) float64 { return t.l.urban(p) }
func (t luccaTerrain) hills(p orb.Point) float64 { return t.l.hills(p, t.fr) }

// genericTerrain shapes a comune whose landmarks the generator does not
// know: a town around the middle of its territory, a few frazioni at
// places drawn from its code, and hills from smooth noise. It only has to
// give each comune a believable mix of small urban parcels and large rural
// ones; the count of parcels is set by the territory's density.
type genericTerrain struct {
	places []place    // local metres
	offset [2]float64 // noise offset (noise units), so that comuni do not share hills
}

func newGenericTerrain(reg *region, code string) genericTerrain {
	h := codeHash(code)
	t := genericTerrain{offset: [2]float64{float64(h % 9973), float64(h / 9973 % 9973)}}
	area := planar.Area(reg.poly)
	t.places = append(t.places, place{name: "centro", lonLat: interiorPoint(reg), radius: min(max(0.1*math.Sqrt(area), 600), 2200), weight: 0.9})
	b := reg.bound
	for k, tries := 0, uint64(0); k < 2+int(area/40e6) && tries < 200; tries++ {
		x := b.Min[0] + unit(mix(h, 2*tries))*(b.Max[0]-b.Min[0])
		y := b.Min[1] + unit(mix(h, 2*tries+1))*(b.Max[1]-b.Min[1])
		if pt := (orb.Point{x, y}); reg.contains(pt) {
			t.places = append(t.places, place{name: "frazione", lonLat: pt, radius: 450 + 250*unit(mix(h, 1000+tries)), weight: 0.45 + 0.15*unit(mix(h, 2000+tries))})
			k++
		}
	}
	return t
}

func (t genericTerrain) urban(p orb.Point) float64 {
	u := 0.0
	for _, c := range t.places {
		dx, dy := p[0]-c.lonLat[0], p[1]-c.lonLat[1]
		if d2 := (dx*dx + dy*dy) / (c.radius * c.radius); d2 < 16 {
			u = max(u, c.weight*math.Exp(-d2))
		}
	}
	return u
}

func (t genericTerrain) hills(p orb.Point) float64 {
	n := valueNoise(p[0]/4500+t.offset[0], p[1]/4500+t.offset[1])
	return smoothstep((n - 0.45) / 0.3)
}

// interiorPoint is a point inside the region near the middle of its
// largest polygon: the middle of the widest inside stretch of the row
// through that polygon's centroid (a centroid alone may fall outside a
// concave comune).
func interiorPoint(reg *region) orb.Point {
	var big orb.Polygon
	for _, p := range reg.poly {
		if big == nil || planar.Area(p) > planar.Area(big) {
			big = p
		}
	}
	c, _ := planar.CentroidArea(big)
	if reg.contains(c) {
		return c
	}
	cross := reg.crossings(c[1], nil)
	best, bestW := c, -1.0
	for i := 0; i+1 < len(cross); i += 2 {
		if w := cross[i+1] - cross[i]; w > bestW {
			best, bestW = orb.Point{(cross[i] + cross[i+1]) / 2, c[1]}, w
		}
	}
	return best
}

// codeHash turns a Belfiore code into a seed.
func codeHash(code string) uint64 {
	var h uint64 = 0xcbf29ce484222325
	for i := 0; i < len(code); i++ {
		h = (h ^ uint64(code[i])) * 0x100000001b3
	}
	return mix(h, 0x5eed)
}
