package synth

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// cellGrid is a jittered quadrilateral grid: neighbouring cells share their
// vertices, so any set of cells tiles without gaps or overlaps, and the union
// of a set of cells can be computed exactly from the grid topology. Vertex
// (i,j) has 0 ≤ i ≤ nx, 0 ≤ j ≤ ny, j growing northwards; cell (i,j) has
// vertex (i,j) as its south-west corner.
type cellGrid struct {
	nx, ny int
	x0, y0 float64
	size   float64
	verts  []orb.Point
}

// newCellGrid covers b with cells of the given size, starting offset metres
// south-west of b.Min. Interior vertices move by up to jitter×size on each
// axis; below 0.25 every cell stays a convex quadrilateral with the
// orientation of the regular grid, so the jittered grid has the same topology.
func newCellGrid(b orb.Bound, size, jitter, offset float64, rng *rand.Rand) *cellGrid {
	g := &cellGrid{x0: b.Min[0] - offset, y0: b.Min[1] - offset, size: size}
	g.nx = int(math.Ceil((b.Max[0]-g.x0)/size)) + 1
	g.ny = int(math.Ceil((b.Max[1]-g.y0)/size)) + 1
	g.verts = make([]orb.Point, (g.nx+1)*(g.ny+1))
	for j := 0; j <= g.ny; j++ {
		for i := 0; i <= g.nx; i++ {
			dx := (rng.Float64()*2 - 1) * jitter * size
			dy := (rng.Float64()*2 - 1) * jitter * size
			if i == 0 || j == 0 || i == g.nx || j == g.ny {
				dx, dy = 0, 0 // keep the frame straight
			}
			g.verts[g.vid(i, j)] = orb.Point{g.x0 + float64(i)*size + dx, g.y0 + float64(j)*size + dy}
		}
	}
	return g
}

func (g *cellGrid) cells() int              { return g.nx * g.ny }
func (g *cellGrid) vid(i, j int) int        { return j*(g.nx+1) + i }
func (g *cellGrid) cellIJ(c int) (i, j int) { return c % g.nx, c / g.nx }

// centre is the nominal (unjittered) centre of cell c.
func (g *cellGrid) centre(c int) orb.Point {
	i, j := g.cellIJ(c)
	return orb.Point{g.x0 + (float64(i)+0.5)*g.size, g.y0 + (float64(j)+0.5)*g.size}
}

// quad is cell c as a closed counter-clockwise ring.
func (g *cellGrid) quad(c int) orb.Ring {
	i, j := g.cellIJ(c)
	return orb.Ring{g.verts[g.vid(i, j)], g.verts[g.vid(i+1, j)], g.verts[g.vid(i+1, j+1)], g.verts[g.vid(i, j+1)], g.verts[g.vid(i, j)]}
}

// cellsTouching calls fn for every cell whose (jittered) extent may intersect
// the rectangle b; jitter is the grid's jitter fraction.
func (g *cellGrid) cellsTouching(b orb.Bound, jitter float64, fn func(c int)) {
	m := jitter * g.size
	i0 := max(int(math.Floor((b.Min[0]-m-g.x0)/g.size)), 0)
	i1 := min(int(math.Floor((b.Max[0]+m-g.x0)/g.size)), g.nx-1)
	j0 := max(int(math.Floor((b.Min[1]-m-g.y0)/g.size)), 0)
	j1 := min(int(math.Floor((b.Max[1]+m-g.y0)/g.size)), g.ny-1)
	for j := j0; j <= j1; j++ {
		for i := i0; i <= i1; i++ {
			fn(j*g.nx + i)
		}
	}
}

// components labels the 4-connected components of cells sharing a code;
// codes[c] < 0 leaves the cell out. Components are numbered 0.. in the order
// of their first cell, so the labelling is deterministic.
func (g *cellGrid) components(codes []int32) (label []int32, n int) {
	label = make([]int32, len(codes))
	for i := range label {
		label[i] = -1
	}
	var queue []int
	for start, code := range codes {
		if code < 0 || label[start] >= 0 {
			continue
		}
		label[start] = int32(n)
		queue = append(queue[:0], start)
		for len(queue) > 0 {
			c := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			i, j := g.cellIJ(c)
			for _, nb := range [4][2]int{{i - 1, j}, {i + 1, j}, {i, j - 1}, {i, j + 1}} {
				if nb[0] < 0 || nb[1] < 0 || nb[0] >= g.nx || nb[1] >= g.ny {
					continue
				}
				d := nb[1]*g.nx + nb[0]
				if codes[d] == code && label[d] < 0 {
					label[d] = int32(n)
					queue = append(queue, d)
				}
			}
		}
		n++
	}
	return label, n
}

// outline computes the union of the given cells (all cells c with in(c)
// true; cells lists them) as polygons in local metres: outer rings
// counter-clockwise, holes clockwise (RFC 7946 §3.1.6).
//
// The boundary of a union of grid cells is the set of cell edges not shared
// by two member cells. Each such edge is directed with the member cell on its
// left, so that every vertex has as many boundary edges in as out; walking
// them yields closed walks, which are split into simple rings wherever a
// vertex repeats (two cells of the set, or of its complement, touching only
// at a corner). At a grid vertex the incoming and outgoing edges alternate
// around it, so rings split there touch without crossing: the result is
// valid in the OGC sense (a hole may touch its shell at one point).
func (g *cellGrid) outline(cells []int, in func(c int) bool) (orb.MultiPolygon, error) {
	b := g.boundary(cells, in)
	rings, err := b.rings()
	if err != nil {
		return nil, err
	}
	shells, err := b.shells(rings)
	if err != nil || len(shells) == 0 {
		return nil, err
	}
	toRing := func(r []int32) orb.Ring {
		ring := make(orb.Ring, 0, len(r)+1)
		for _, v := range r {
			ring = append(ring, g.verts[v])
		}
		return append(ring, ring[0])
	}
	mp := make(orb.MultiPolygon, 0, len(shells))
	for _, s := range shells {
		p := orb.Polygon{toRing(s.ring)}
		for _, h := range s.holes {
			p = append(p, toRing(h))
		}
		mp = append(mp, p)
	}
	return mp, nil
}

// boundaryEdge is a directed cell edge of an outline, its member cell on
// the left.
type boundaryEdge struct {
	from, to int32
	used     bool
}

// cellBoundary is the set of directed edges around a union of cells.
type cellBoundary struct {
	g     *cellGrid
	edges []boundaryEdge
	out   map[int32][]int32 // vertex → outgoing edge indexes
}

// boundary collects the edges of the cells that no other member shares.
func (g *cellGrid) boundary(cells []int, in func(c int) bool) *cellBoundary {
	b := &cellBoundary{g: g, out: make(map[int32][]int32, len(cells))}
	member := func(i, j int) bool {
		return i >= 0 && j >= 0 && i < g.nx && j < g.ny && in(j*g.nx+i)
	}
	add := func(a, c int) {
		b.out[int32(a)] = append(b.out[int32(a)], int32(len(b.edges)))
		b.edges = append(b.edges, boundaryEdge{from: int32(a), to: int32(c)})
	}
	for _, c := range cells {
		i, j := g.cellIJ(c)
		if !member(i, j-1) {
			add(g.vid(i, j), g.vid(i+1, j))
		}
		if !member(i+1, j) {
			add(g.vid(i+1, j), g.vid(i+1, j+1))
		}
		if !member(i, j+1) {
			add(g.vid(i+1, j+1), g.vid(i, j+1))
		}
		if !member(i-1, j) {
			add(g.vid(i, j+1), g.vid(i, j))
		}
	}
	return b
}

// vij is a vertex's grid coordinates.
func (b *cellBoundary) vij(v int32) (int, int) { return int(v) % (b.g.nx + 1), int(v) / (b.g.nx + 1) }

// dir is an edge's direction, a unit step on the grid.
func (b *cellBoundary) dir(e boundaryEdge) (int, int) {
	ai, aj := b.vij(e.from)
	bi, bj := b.vij(e.to)
	return bi - ai, bj - aj
}

// rings walks every edge once and splits the closed walks into simple
// rings.
func (b *cellBoundary) rings() ([][]int32, error) {
	var rings [][]int32
	var walk []int32
	for start := range b.edges {
		if b.edges[start].used {
			continue
		}
		walk = walk[:0]
		e := start
		for {
			b.edges[e].used = true
			walk = append(walk, b.edges[e].from)
			next := b.next(e)
			if next < 0 {
				if b.edges[e].to != b.edges[start].from {
					return nil, fmt.Errorf("synth: internal error: open boundary walk at vertex %d", b.edges[e].to)
				}
				break
			}
			e = next
		}
		rings = append(rings, splitWalk(walk)...)
	}
	return rings, nil
}

// next is the unused edge leaving e's end: the left turn, else straight
// on, else the right turn (-1 when none is left).
func (b *cellBoundary) next(e int) int {
	dx, dy := b.dir(b.edges[e])
	for _, want := range [3][2]int{{-dy, dx}, {dx, dy}, {dy, -dx}} {
		for _, cand := range b.out[b.edges[e].to] {
			if b.edges[cand].used {
				continue
			}
			if cx, cy := b.dir(b.edges[cand]); cx == want[0] && cy == want[1] {
				return int(cand)
			}
		}
	}
	return -1
}

// outlineShell is an outer ring with the holes it holds.
type outlineShell struct {
	ring  []int32
	grid  orb.Ring
	area  float64
	holes [][]int32
}

// gridRing is a ring in grid units (exact: integer coordinates), closed.
func (b *cellBoundary) gridRing(r []int32) orb.Ring {
	gr := make(orb.Ring, 0, len(r)+1)
	for _, v := range r {
		i, j := b.vij(v)
		gr = append(gr, orb.Point{float64(i), float64(j)})
	}
	return append(gr, gr[0])
}

// shells classifies the rings by orientation and gives each hole to the
// smallest shell that contains it.
func (b *cellBoundary) shells(rings [][]int32) ([]outlineShell, error) {
	var shells []outlineShell
	var holes [][]int32
	for _, r := range rings {
		gr := b.gridRing(r)
		a := planar.Area(gr) // unsigned
		if gr.Orientation() == orb.CCW {
			shells = append(shells, outlineShell{ring: r, grid: gr, area: a})
		} else {
			holes = append(holes, r)
		}
	}
	if len(shells) == 0 {
		return nil, nil
	}
	for _, h := range holes {
		best := 0
		if len(shells) > 1 {
			best = b.shellOf(shells, h)
			if best < 0 {
				return nil, fmt.Errorf("synth: internal error: hole with no shell")
			}
		}
		shells[best].holes = append(shells[best].holes, h)
	}
	return shells, nil
}

// shellOf is the index of the smallest shell containing hole h (-1: none).
func (b *cellBoundary) shellOf(shells []outlineShell, h []int32) int {
	// A point strictly inside the hole: the centre of the cell on the
	// right of the hole's first edge, which is outside the set.
	e := boundaryEdge{from: h[0], to: h[1%len(h)]}
	ai, aj := b.vij(e.from)
	dx, dy := b.dir(e)
	ci, cj := ai, aj
	switch {
	case dx == 1:
		cj = aj - 1
	case dy == 1:
	case dx == -1:
		ci = ai - 1
	default:
		ci, cj = ai-1, aj-1
	}
	pt := orb.Point{float64(ci) + 0.5, float64(cj) + 0.5}
	best := -1
	for k, s := range shells {
		if planar.RingContains(s.grid, pt) && (best < 0 || s.area < shells[best].area) {
			best = k
		}
	}
	return best
}

// splitWalk cuts a closed walk (first vertex not repeated at the end) into
// simple cycles at every repeated vertex.
func splitWalk(walk []int32) [][]int32 {
	var out [][]int32
	pos := make(map[int32]int, len(walk))
	var stack []int32
	for _, v := range walk {
		if k, ok := pos[v]; ok {
			out = append(out, append([]int32(nil), stack[k:]...))
			for _, w := range stack[k+1:] {
				delete(pos, w)
			}
			stack = stack[:k+1]
			continue
		}
		pos[v] = len(stack)
		stack = append(stack, v)
	}
	if len(stack) > 0 {
		out = append(out, stack)
	}
	return out
}
