package synth

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/valyala/fastjson"
)

// boundary reads the committed ISTAT boundary of Lucca.
func boundary(t testing.TB) orb.MultiPolygon {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "lucca_046017_boundary.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	mp, err := ParseBoundary(data)
	if err != nil {
		t.Fatal(err)
	}
	return mp
}

// generated runs the generator into a fresh directory.
func generated(t testing.TB, n int, seed uint64) (string, *Plan, Manifest) {
	t.Helper()
	p, err := NewPlan(context.Background(), Config{Parcels: n, Seed: seed, Boundary: boundary(t)})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	m, err := p.Generate(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	return dir, p, m
}

// feature is one decoded line of an output file.
type feature struct {
	id    int64
	geom  orb.Geometry
	props map[string]any
}

func (f feature) str(key string) string {
	s, _ := f.props[key].(string)
	return s
}

func (f feature) num(key string) float64 {
	v, _ := f.props[key].(float64)
	return v
}

// readSeq reads a GeoJSONSeq file, checking that every line is valid JSON,
// one Feature with an integer id and a GeoJSON geometry (decodeFeature).
func readSeq(t testing.TB, path string) []feature {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 64<<20)
	var p fastjson.Parser
	var out []feature
	for line := 1; sc.Scan(); line++ {
		f, err := decodeFeature(&p, sc.Bytes())
		if err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		out = append(out, f)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// polygons returns the polygons of a Polygon or MultiPolygon.
func polygons(g orb.Geometry) []orb.Polygon {
	switch g := g.(type) {
	case orb.Polygon:
		return []orb.Polygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

// index is a uniform grid over feature bounds for candidate look-ups.
type index struct {
	cell  float64
	cells map[[2]int][]int
	feats []feature
	bound []orb.Bound
}

func newIndex(feats []feature, cell float64) *index {
	ix := &index{cell: cell, cells: map[[2]int][]int{}, feats: feats}
	for k, f := range feats {
		b := f.geom.Bound()
		ix.bound = append(ix.bound, b)
		for i := int(math.Floor(b.Min[0] / cell)); i <= int(math.Floor(b.Max[0]/cell)); i++ {
			for j := int(math.Floor(b.Min[1] / cell)); j <= int(math.Floor(b.Max[1]/cell)); j++ {
				ix.cells[[2]int{i, j}] = append(ix.cells[[2]int{i, j}], k)
			}
		}
	}
	return ix
}

// near returns the features whose bounds intersect b, each once.
func (ix *index) near(b orb.Bound) []int {
	seen := map[int]bool{}
	var out []int
	for i := int(math.Floor(b.Min[0] / ix.cell)); i <= int(math.Floor(b.Max[0]/ix.cell)); i++ {
		for j := int(math.Floor(b.Min[1] / ix.cell)); j <= int(math.Floor(b.Max[1]/ix.cell)); j++ {
			for _, k := range ix.cells[[2]int{i, j}] {
				if !seen[k] && ix.bound[k].Intersects(b) {
					seen[k] = true
					out = append(out, k)
				}
			}
		}
	}
	return out
}

// containing returns the features containing pt (boundary included).
func (ix *index) containing(pt orb.Point) []int {
	var out []int
	for _, k := range ix.near(orb.Bound{Min: pt, Max: pt}) {
		for _, poly := range polygons(ix.feats[k].geom) {
			if planar.PolygonContains(poly, pt) {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// strictlyInside reports whether pt is inside poly and not on its boundary.
func strictlyInside(poly orb.Polygon, pt orb.Point) bool {
	if !planar.PolygonContains(poly, pt) {
		return false
	}
	for _, r := range poly {
		for i := 0; i+1 < len(r); i++ {
			if onSegment(r[i], r[i+1], pt) {
				return false
			}
		}
	}
	return true
}

func onSegment(a, b, p orb.Point) bool {
	if orient(a, b, p) != 0 {
		return false
	}
	return min(a[0], b[0]) <= p[0] && p[0] <= max(a[0], b[0]) && min(a[1], b[1]) <= p[1] && p[1] <= max(a[1], b[1])
}

// orient is the sign of the cross product (b-a)×(c-a).
func orient(a, b, c orb.Point) int {
	v := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// segmentsIntersect reports whether closed segments ab and cd share a point.
func segmentsIntersect(a, b, c, d orb.Point) bool {
	o1, o2, o3, o4 := orient(a, b, c), orient(a, b, d), orient(c, d, a), orient(c, d, b)
	if o1 != o2 && o3 != o4 {
		return true
	}
	return (o1 == 0 && onSegment(a, b, c)) || (o2 == 0 && onSegment(a, b, d)) ||
		(o3 == 0 && onSegment(c, d, a)) || (o4 == 0 && onSegment(c, d, b))
}

// segmentsCross reports a proper crossing: the segments share a point that is
// not an endpoint of both, or overlap along a stretch.
func segmentsCross(a, b, c, d orb.Point) bool {
	if !segmentsIntersect(a, b, c, d) {
		return false
	}
	shared := a == c || a == d || b == c || b == d
	if !shared {
		return true
	}
	// Sharing an endpoint is fine unless the segments are collinear and overlap.
	return orient(a, b, c) == 0 && orient(a, b, d) == 0 && (onSegment(a, b, c) && c != a && c != b || onSegment(a, b, d) && d != a && d != b || onSegment(c, d, a) && a != c && a != d || onSegment(c, d, b) && b != c && b != d)
}

// checkPolygon is the validity check of the tests: closed rings of at least
// four positions, no repeated consecutive positions, the shell
// counter-clockwise and holes clockwise (RFC 7946), no ring touching itself,
// rings crossing each other nowhere, holes inside the shell.
func checkPolygon(poly orb.Polygon) error {
	if len(poly) == 0 {
		return fmt.Errorf("polygon without rings")
	}
	for k, r := range poly {
		if len(r) < 4 {
			return fmt.Errorf("ring %d: %d positions", k, len(r))
		}
		if r[0] != r[len(r)-1] {
			return fmt.Errorf("ring %d: not closed", k)
		}
		for i := 0; i+1 < len(r); i++ {
			if r[i] == r[i+1] {
				return fmt.Errorf("ring %d: repeated position %v at %d", k, r[i], i)
			}
		}
		want := orb.CCW
		if k > 0 {
			want = orb.CW
		}
		if r.Orientation() != want {
			return fmt.Errorf("ring %d: orientation %v, want %v", k, r.Orientation(), want)
		}
		n := len(r) - 1
		for i := 0; i < n; i++ {
			for j := i + 2; j < n; j++ {
				if i == 0 && j == n-1 {
					continue // the closing segment meets the first one
				}
				if segmentsIntersect(r[i], r[i+1], r[j], r[j+1]) {
					return fmt.Errorf("ring %d: segments %d and %d intersect near %v", k, i, j, r[i])
				}
			}
		}
	}
	for a := 0; a < len(poly); a++ {
		for b := a + 1; b < len(poly); b++ {
			ra, rb := poly[a], poly[b]
			if !ra.Bound().Intersects(rb.Bound()) {
				continue
			}
			for i := 0; i+1 < len(ra); i++ {
				for j := 0; j+1 < len(rb); j++ {
					if segmentsCross(ra[i], ra[i+1], rb[j], rb[j+1]) {
						return fmt.Errorf("rings %d and %d cross near %v", a, b, ra[i])
					}
				}
			}
		}
	}
	for k, h := range poly[1:] {
		for _, pt := range h {
			if !planar.RingContains(poly[0], pt) {
				return fmt.Errorf("hole %d: %v outside the shell", k+1, pt)
			}
		}
	}
	return nil
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
