package tiles

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// TestFitCells: the fit reproduces an affine map exactly, measures the
// deviation of a curved one where the grid shows it, and never accepts
// points PROJ could not transform.
func TestFitCells(t *testing.T) {
	box := [4]float64{1_600_000, 4_850_000, 1_610_000, 4_860_000}
	cases := []struct {
		name string
		k    int
		f    func(x, y float64) (float64, float64)
		// want is the largest deviation in metres at the grid points.
		want float64
	}{
		{"affine", 1, func(x, y float64) (float64, float64) { return 1.38*x + 0.02*y + 5, -0.02*x + 1.38*y - 7 }, 0},
		// x' = x + c·u² over a cell of half-side s: the least-squares line
		// through u = -s, 0, s leaves 2/3·c·s² at the centre.
		{"quadratic, one cell", 1, func(x, y float64) (float64, float64) { u := x - 1_605_000; return x + 1e-6*u*u, y }, 2.0 / 3 * 1e-6 * 5000 * 5000},
		{"quadratic, 2×2 cells", 2, func(x, y float64) (float64, float64) {
			u := x - 1_605_000
			return x + 1e-6*u*u, y
		}, 2.0 / 3 * 1e-6 * 2500 * 2500},
		{"not a number", 1, func(x, y float64) (float64, float64) { return math.NaN(), y }, math.Inf(1)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			grid := cellGrid(c.k, 0)
			merc := make(orb.MultiPoint, len(grid))
			for i, p := range grid {
				merc[i][0], merc[i][1] = c.f(box[0]+(box[2]-box[0])*p[0], box[1]+(box[3]-box[1])*p[1])
			}
			cells := fitCells(box, grid, merc, 1)
			if len(cells) != c.k*c.k {
				t.Fatalf("%d cells", len(cells))
			}
			for _, cell := range cells {
				if math.IsInf(c.want, 1) != math.IsInf(cell.err, 1) || (!math.IsInf(c.want, 1) && math.Abs(cell.err-c.want) > 1e-6*max(1, c.want)) {
					t.Errorf("error %g, want %g", cell.err, c.want)
				}
				if c.want == 0 {
					if x, y := cell.apply(orb.Point{1_601_234, 4_857_000}); math.Abs(x-(1.38*1_601_234+0.02*4_857_000+5)) > 1e-6 || math.Abs(y-(-0.02*1_601_234+1.38*4_857_000-7)) > 1e-6 {
						t.Errorf("affine map reproduced as %v, %v", x, y)
					}
				}
			}
		})
	}
	// Grown cells overlap and cover the tile's box with a margin.
	g := cellGrid(2, cellGrowth)
	if g[0] != (orb.Point{-0.125, -0.125}) || g[len(g)-1] != (orb.Point{1.125, 1.125}) {
		t.Errorf("grown grid from %v to %v", g[0], g[len(g)-1])
	}
}
