package synth

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// gridFrom builds an unjittered (or jittered) grid from a picture: '#' cells
// are in the set, row 0 of the picture is the northern row.
func gridFrom(t *testing.T, pic []string, jitter float64) (*cellGrid, []int, func(int) bool) {
	t.Helper()
	ny, nx := len(pic), len(pic[0])
	// newCellGrid adds a row and a column of margin; the picture sits at (1,1).
	g := newCellGrid(orb.Bound{Max: orb.Point{float64(nx + 1), float64(ny + 1)}}, 1, jitter, 1, rand.New(rand.NewPCG(1, 1)))
	in := make([]bool, g.cells())
	var cells []int
	for row, line := range pic {
		for i, ch := range line {
			if ch == '#' {
				c := (ny-row)*g.nx + i + 1
				in[c] = true
				cells = append(cells, c)
			}
		}
	}
	return g, cells, func(c int) bool { return in[c] }
}

func TestOutline(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name          string
		pic           []string
		shells, holes int
	}{
		{"one cell", []string{"#"}, 1, 0},
		{"bar", []string{"####"}, 1, 0},
		{"ring with a hole", []string{"###", "#.#", "###"}, 1, 1},
		{"two holes", []string{"#####", "#.#.#", "#####"}, 1, 2},
		{"diagonal pinch", []string{"#.", ".#"}, 2, 0},
		{"hole touching the outside at a corner", []string{"####", "#..#", "#.##", "##.."}, 1, 1},
		{"U closed at a corner", []string{"###.", "#..#", "####"}, 1, 1},
		{"island in a hole", []string{"#####", "#...#", "#.#.#", "#...#", "#####"}, 2, 1},
		{"staircase", []string{"#..", "##.", "###"}, 1, 0},
	} {
		for _, jitter := range []float64{0, 0.24} {
			t.Run(c.name, func(t *testing.T) {
				g, cells, in := gridFrom(t, c.pic, jitter)
				mp, err := g.outline(cells, in)
				if err != nil {
					t.Fatal(err)
				}
				shells, holes := len(mp), 0
				var area, want float64
				for _, poly := range mp {
					holes += len(poly) - 1
					if err := checkPolygon(poly); err != nil {
						t.Errorf("%v: %v", poly, err)
					}
					area += planar.Area(poly)
				}
				for _, cell := range cells {
					want += planar.Area(g.quad(cell))
				}
				if shells != c.shells || holes != c.holes {
					t.Errorf("%d shells and %d holes, want %d and %d", shells, holes, c.shells, c.holes)
				}
				if math.Abs(area-want) > 1e-9 {
					t.Errorf("area %g, cells %g", area, want)
				}
				// Every cell centre is inside, every other centre outside.
				for cell := range g.cells() {
					got := planar.MultiPolygonContains(mp, g.centre(cell))
					if jitter == 0 && got != in(cell) {
						t.Errorf("cell %d: inside %v, member %v", cell, got, in(cell))
					}
				}
			})
		}
	}
}

func TestOutlineRandomSets(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(9, 9))
	for k := range 200 {
		var pic []string
		for range 9 {
			var b strings.Builder
			for range 11 {
				if rng.IntN(100) < 55 {
					b.WriteByte('#')
				} else {
					b.WriteByte('.')
				}
			}
			pic = append(pic, b.String())
		}
		g, cells, in := gridFrom(t, pic, 0.24)
		if len(cells) == 0 {
			continue
		}
		mp, err := g.outline(cells, in)
		if err != nil {
			t.Fatal(err)
		}
		var area, want float64
		for _, poly := range mp {
			if err := checkPolygon(poly); err != nil {
				t.Fatalf("set %d %q: %v", k, pic, err)
			}
			area += planar.Area(poly)
		}
		for _, cell := range cells {
			want += planar.Area(g.quad(cell))
		}
		if math.Abs(area-want) > 1e-9*want {
			t.Fatalf("set %d %q: area %g, cells %g", k, pic, area, want)
		}
	}
}

func TestComponents(t *testing.T) {
	t.Parallel()
	g, _, _ := gridFrom(t, []string{"..."}, 0)
	codes := make([]int32, g.cells())
	for i := range codes {
		codes[i] = -1
	}
	// Two cells of code 1 touching only at a corner are two components;
	// a code-2 bar is one.
	codes[0], codes[g.nx+1] = 1, 1
	codes[2], codes[3] = 2, 2
	label, n := g.components(codes)
	if n != 3 || label[0] == label[g.nx+1] || label[2] != label[3] || label[1] != -1 {
		t.Errorf("labels %v, %d components", label, n)
	}
}

// The validity check itself must catch broken polygons.
func TestCheckPolygonRejects(t *testing.T) {
	t.Parallel()
	sq := orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}
	hole := orb.Ring{{0.2, 0.2}, {0.2, 0.8}, {0.8, 0.8}, {0.8, 0.2}, {0.2, 0.2}}
	for _, c := range []struct {
		name string
		poly orb.Polygon
		want string
	}{
		{"too short", orb.Polygon{{{0, 0}, {1, 0}, {0, 0}}}, "positions"},
		{"open ring", orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0.5}}}, "not closed"},
		{"repeated point", orb.Polygon{{{0, 0}, {1, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}, "repeated"},
		{"clockwise shell", orb.Polygon{{{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}}}, "orientation"},
		{"counter-clockwise hole", orb.Polygon{sq, {{0.2, 0.2}, {0.8, 0.2}, {0.8, 0.8}, {0.2, 0.8}, {0.2, 0.2}}}, "orientation"},
		{"self-crossing", orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {2, -1}, {0, 4}, {0, 0}}}, "intersect"},
		{"ring touching itself", orb.Polygon{{{0, 0}, {2, 0}, {2, 2}, {1, 0}, {0, 2}, {0, 0}}}, "intersect"},
		{"hole outside", orb.Polygon{sq, {{2, 2}, {2, 3}, {3, 3}, {3, 2}, {2, 2}}}, "outside the shell"},
		{"hole crossing the shell", orb.Polygon{sq, {{0.5, 0.5}, {0.5, 1.5}, {1.5, 1.5}, {1.5, 0.5}, {0.5, 0.5}}}, "cross"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := checkPolygon(c.poly)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
	if err := checkPolygon(orb.Polygon{sq, hole}); err != nil {
		t.Errorf("valid polygon rejected: %v", err)
	}
}

func TestBandPolygon(t *testing.T) {
	t.Parallel()
	f := newFrame()
	l := newLandscape(f)
	for _, d := range []float64{50, 175, 480} {
		band, err := bandPolygon(l.serchio, d)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkPolygon(band); err != nil {
			t.Errorf("band %.0f m: %v", d, err)
		}
		// Roughly length × width.
		want := planar.Length(l.serchio) * 2 * d
		if a := planar.Area(band); math.Abs(a-want) > 0.1*want {
			t.Errorf("band %.0f m: area %.0f, want about %.0f", d, a, want)
		}
	}
	if _, err := bandPolygon(orb.LineString{{0, 0}, {1000, 0}, {0, 100}}, 50); err == nil {
		t.Error("a hairpin bend was accepted")
	}
	if _, err := bandPolygon(orb.LineString{{0, 0}}, 50); err == nil {
		t.Error("a one-point line was accepted")
	}
}

func TestRegionMatchesOrb(t *testing.T) {
	t.Parallel()
	f := newFrame()
	var local orb.MultiPolygon
	for _, poly := range boundary(t) {
		var lp orb.Polygon
		for _, r := range poly {
			lr := make(orb.Ring, len(r))
			for i, pt := range r {
				lr[i] = f.toLocal(pt)
			}
			lp = append(lp, lr)
		}
		local = append(local, lp)
	}
	reg := newRegion(local)
	rng := rand.New(rand.NewPCG(4, 2))
	b := reg.bound
	inside := 0
	for range 20000 {
		pt := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
		want := planar.MultiPolygonContains(local, pt)
		if got := reg.contains(pt); got != want {
			t.Fatalf("%v: region %v, orb %v", pt, got, want)
		}
		if want {
			inside++
		}
	}
	// Lucca fills about half of its bounding box.
	if inside < 7000 || inside > 13000 {
		t.Errorf("%d of 20000 points inside", inside)
	}
	// The frame round-trips.
	p := orb.Point{10.51, 43.9}
	q := f.toLonLat(f.toLocal(p))
	if math.Abs(p[0]-q[0]) > 1e-12 || math.Abs(p[1]-q[1]) > 1e-12 {
		t.Errorf("frame round trip %v → %v", p, q)
	}
	// 0.01° of latitude is about 1.11 km.
	if d := f.toLocal(orb.Point{10.5, 43.85})[1] - f.toLocal(orb.Point{10.5, 43.84})[1]; math.Abs(d-1112) > 2 {
		t.Errorf("0.01° of latitude = %.1f m", d)
	}
}

func TestAppendJSONString(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"VIA DEL FOSSO", "VIA DELL'ANGELO", `a "quoted" \ name`, "tab\tnew\nline\x01", "Città – già", "bad \xff byte"} {
		b := appendJSONString(nil, s)
		var got string
		if err := jsonUnmarshal(b, &got); err != nil {
			t.Fatalf("%q → %s: %v", s, b, err)
		}
		if want := strings.ToValidUTF8(s, "\ufffd"); got != want {
			t.Errorf("%q → %s → %q", s, b, got)
		}
	}
}

func TestAppendCoord(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		v    float64
		want string
	}{
		{10.5, "10.5000000"}, {43.84123456789, "43.8412346"}, {-0.00000004, "0.0000000"}, {-1.25, "-1.2500000"}, {0.00000005, "0.0000001"},
	} {
		if got := string(appendCoord(nil, c.v)); got != c.want {
			t.Errorf("appendCoord(%v) = %s, want %s", c.v, got, c.want)
		}
	}
}
