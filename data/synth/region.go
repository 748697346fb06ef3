package synth

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// The generator works in a local metric frame: an equirectangular projection
// around the centre of the comune. Over Lucca's 20 km the scale error is a few
// parts per thousand, far below anything a synthetic map needs, and it keeps
// every computation a cheap multiply.
const (
	frameLon0   = 10.50
	frameLat0   = 43.84
	earthRadius = 6371008.8 // mean radius (IUGG), metres
)

// frame converts between lon/lat (CRS84) and local metres around an origin.
type frame struct {
	lon0, lat0 float64 // origin
	mx, my     float64 // metres per degree of longitude, latitude
}

// newFrame is Lucca's frame: the one the demo layers have always used.
func newFrame() frame { return frameAt(frameLon0, frameLat0) }

// frameAt is the frame around (lon0, lat0); each comune of a territory
// has its own, so that the projection error stays that of one comune.
func frameAt(lon0, lat0 float64) frame {
	my := earthRadius * math.Pi / 180
	return frame{lon0: lon0, lat0: lat0, mx: my * math.Cos(lat0*math.Pi/180), my: my}
}

func (f frame) toLocal(p orb.Point) orb.Point {
	return orb.Point{(p[0] - f.lon0) * f.mx, (p[1] - f.lat0) * f.my}
}

func (f frame) toLonLat(p orb.Point) orb.Point {
	return orb.Point{f.lon0 + p[0]/f.mx, f.lat0 + p[1]/f.my}
}

// region is the comune boundary in local metres with a scanline index: the
// parcel grid asks "where does the boundary cross this row?" once per row of
// cells and then tests each cell centre against the sorted crossings, which is
// far cheaper than one point-in-polygon test per cell.
type region struct {
	poly    orb.MultiPolygon // local metres
	bound   orb.Bound
	edges   [][2]orb.Point
	buckets [][]int32 // edge indexes by horizontal band
	y0, dy  float64
}

const regionBuckets = 512

func newRegion(mp orb.MultiPolygon) *region {
	r := &region{poly: mp, bound: mp.Bound()}
	for _, p := range mp {
		for _, ring := range p {
			for i := 0; i+1 < len(ring); i++ {
				if ring[i] != ring[i+1] {
					r.edges = append(r.edges, [2]orb.Point{ring[i], ring[i+1]})
				}
			}
			if n := len(ring); n > 1 && ring[0] != ring[n-1] {
				r.edges = append(r.edges, [2]orb.Point{ring[n-1], ring[0]})
			}
		}
	}
	r.y0 = r.bound.Min[1]
	r.dy = (r.bound.Max[1] - r.bound.Min[1]) / regionBuckets
	if r.dy <= 0 {
		r.dy = 1
	}
	r.buckets = make([][]int32, regionBuckets)
	for i, e := range r.edges {
		lo := r.bucket(min(e[0][1], e[1][1]))
		hi := r.bucket(max(e[0][1], e[1][1]))
		for b := lo; b <= hi; b++ {
			r.buckets[b] = append(r.buckets[b], int32(i))
		}
	}
	return r
}

func (r *region) bucket(y float64) int {
	b := int((y - r.y0) / r.dy)
	return min(max(b, 0), regionBuckets-1)
}

// crossings appends to buf the sorted x where the boundary crosses the
// horizontal line at y (half-open rule, so a vertex on the line counts once).
func (r *region) crossings(y float64, buf []float64) []float64 {
	buf = buf[:0]
	if y < r.bound.Min[1] || y > r.bound.Max[1] {
		return buf
	}
	for _, i := range r.buckets[r.bucket(y)] {
		a, b := r.edges[i][0], r.edges[i][1]
		if (a[1] > y) != (b[1] > y) {
			buf = append(buf, a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]))
		}
	}
	slices.Sort(buf)
	return buf
}

// insideAt reports whether x lies inside given the sorted crossings of its row
// (even-odd rule, which also handles holes and multipolygons).
func insideAt(cross []float64, x float64) bool {
	n := 0
	for _, c := range cross {
		if c >= x {
			break
		}
		n++
	}
	return n%2 == 1
}

// contains is the point-in-polygon test for arbitrary points.
func (r *region) contains(p orb.Point) bool {
	var buf [16]float64
	return insideAt(r.crossings(p[1], buf[:0]), p[0])
}
