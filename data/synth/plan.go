package synth

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/paulmach/orb"
)

// Layout of the parcels (the rule that makes the count exact):
//
//   - The territory is covered by a grid of rectangular blocks separated by
//     road corridors. Block widths and heights vary by ±25 % per column and
//     row around a pitch s; the corridors are left empty, so a point on a
//     road centreline lies in no parcel.
//   - Each block is cut into kx × ky cells whose inner vertices are
//     jittered and shared, so the cells of a block tile it exactly. Blocks
//     in town are cut into up to 7 × 4 cells, rural ones into 2–4 strips.
//   - A cell is kept when its nominal (unjittered) centre lies inside the
//     comune boundary.
//   - The pitch s is searched so that the kept cells C are a little more than
//     the requested N (normally at most +2.5 %); then C−N pairs of horizontally
//     adjacent kept cells are merged into one parcel, spread evenly over the
//     territory. The result is exactly N parcels.
//   - Blocks are grouped into fogli by a 1.25 km sheet grid (a block belongs
//     to the sheet holding its centre, so foglio edges follow roads; a sheet
//     with under a third of the median parcels joins its row neighbour);
//     fogli are numbered 1.. row by row from the north-west,
//     and particelle 1.. within each foglio in block and cell order.

const (
	sheetSize   = 1250.0 // metres: a foglio covers about 1.25 km × 1.25 km
	cellJitter  = 0.2    // fraction of a cell side that inner parcel vertices move
	maxCellsX   = 7      // most cells across a block (civico slots rely on it)
	zoneCell    = 150.0  // metres: zoning grid
	zoneJitter  = 0.24
	coarseCell  = 300.0      // metres: grid of the landscape constraint
	maxParcels  = 30_000_000 // Tuscany holds about 25 million at Lucca's density
	minParcels  = 100
	defaultSize = 50_000
)

// Salts separate the random streams derived from the one seed.
const (
	saltBlock uint64 = 0x9e3779b97f4a7c15 + iota
	saltCol
	saltRow
	saltZoneGrid
	saltZoneCode
	saltCoarseGrid
	saltRoads
	saltStreets
	saltStreetOffset
)

// Plan is the deterministic layout of one configuration: everything needed to
// write the layers, or to rebuild any single parcel, without keeping the
// parcels in memory. It is read-only once built, so safe for concurrent use.
type Plan struct {
	cfg  Config
	code string // Belfiore code of the comune (E715 for Lucca)
	fr   frame
	reg  *region
	land *landscape // Lucca's landmarks; nil for the other comuni of a territory
	terr terrain    // urbanness and hills, which shape the blocks

	idBase int64 // parcels of the comuni written before this one

	s, road  float64   // block pitch and road width, metres
	colX     []float64 // block column edges, west to east
	rowY     []float64 // block row edges, north to south
	cells    int64     // kept cells before merging
	merges   int64     // pairs merged to reach exactly cfg.Parcels
	sheetsX  int
	sheetsY  int
	sheetCol []int // first block column of each sheet column (len sheetsX+1)
	sheetRow []int // first block row of each sheet row (len sheetsY+1)
	fogli    []foglio

	zones     *cellGrid
	territory []bool // zone cells that hold the territory (see markTerritory)

	streetLen    int // block columns per street segment
	civicoStride int
}

// foglio is one cadastral sheet: a run of adjacent cells of the sheet grid
// in one row (usually one; a small sheet at the edge of the territory joins
// its neighbour, as edge fogli of a real cadastre are drawn larger).
type foglio struct {
	number       int
	sy           int   // row of the sheet grid
	sx0, sx1     int   // first and last column of the sheet grid
	parcels      int   // particelle in this foglio
	firstID      int64 // feature id of particella 1
	cellsBefore  int64 // kept cells in earlier fogli (merge distribution state)
	mergesBefore int64
}

// block is one block of cells; the buffers are reused from block to block.
type block struct {
	r, c           int
	kx, ky         int
	x0, x1, yT, yB float64 // block rectangle less the half road on each side
	u, h           float64 // urbanness and hilliness at the centre
	kept           uint64  // bit j*kx+i: cell kept
	nKept          int
	capacity       int    // disjoint mergeable pairs (i even, i+1) both kept
	mergeAt        uint64 // bit j*kx+i: cell merged with its east neighbour
	verts          []orb.Point
	cross          []float64
}

// NewPlan validates cfg and computes the layout of cfg.Parcels parcels
// inside cfg.Boundary (Lucca), whatever their number: the territory of
// several comuni is Generate's business (see Config).
func NewPlan(ctx context.Context, cfg Config) (*Plan, error) {
	cfg, boundary, err := cfg.normalise()
	if err != nil {
		return nil, err
	}
	fr := newFrame()
	land := newLandscape(fr)
	return newPlan(ctx, cfg, luccaCode, fr, toLocal(boundary, fr), land, luccaTerrain{land, fr})
}

// toLocal converts a lon/lat multipolygon to the local metres of fr.
func toLocal(mp orb.MultiPolygon, fr frame) orb.MultiPolygon {
	var local orb.MultiPolygon
	for _, poly := range mp {
		var lp orb.Polygon
		for _, ring := range poly {
			lr := make(orb.Ring, len(ring))
			for i, pt := range ring {
				lr[i] = fr.toLocal(pt)
			}
			lp = append(lp, lr)
		}
		local = append(local, lp)
	}
	return local
}

// newPlan lays out cfg.Parcels parcels inside local (metres of fr) for
// the comune of Belfiore code; land is nil except for Lucca.
func newPlan(ctx context.Context, cfg Config, code string, fr frame, local orb.MultiPolygon, land *landscape, terr terrain) (*Plan, error) {
	p := &Plan{cfg: cfg, code: code, fr: fr, land: land, terr: terr}
	p.reg = newRegion(local)
	if err := p.search(ctx); err != nil {
		return nil, err
	}
	if err := p.number(ctx); err != nil {
		return nil, err
	}
	p.streetLen = max(2, int(math.Round(700/p.s)))
	p.civicoStride = (2*maxCellsX*p.streetLen + 99) / 100 * 100
	return p, nil
}

// Parcels is the number of parcels the plan holds (the configured N).
func (p *Plan) Parcels() int { return p.cfg.Parcels }

// Fogli is the number of cadastral sheets.
func (p *Plan) Fogli() int { return len(p.fogli) }

// FoglioParcels returns the number of parcels of foglio n (1-based), 0 if
// there is no such foglio.
func (p *Plan) FoglioParcels(n int) int {
	if n < 1 || n > len(p.fogli) {
		return 0
	}
	return p.fogli[n-1].parcels
}

// mix is SplitMix64's finaliser over two words: a stateless hash for values
// that must not depend on the order in which things are generated.
func mix(a, b uint64) uint64 {
	z := a ^ (b+0x9e3779b97f4a7c15)*0xbf58476d1ce4e5b9
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func unit(h uint64) float64 { return float64(h>>11) / (1 << 53) }

// edges returns block edges for pitch s: columns from the west edge of the
// boundary eastwards, rows from the north edge southwards, each ±25 %.
func (p *Plan) edges(s float64) (colX, rowY []float64) {
	b := p.reg.bound
	colX = append(colX, b.Min[0])
	for k := uint64(0); colX[len(colX)-1] < b.Max[0]; k++ {
		colX = append(colX, colX[len(colX)-1]+s*(0.75+0.5*unit(mix(p.cfg.Seed^saltCol, k))))
	}
	rowY = append(rowY, b.Max[1])
	for k := uint64(0); rowY[len(rowY)-1] > b.Min[1]; k++ {
		rowY = append(rowY, rowY[len(rowY)-1]-s*(0.75+0.5*unit(mix(p.cfg.Seed^saltRow, k))))
	}
	return colX, rowY
}

func roadWidth(s float64) float64 { return min(max(0.08*s, 3), 14) }

// seedBlock starts the random stream of block (r,c): seeded by the block's
// position only, so that any block can be rebuilt alone.
func (p *Plan) seedBlock(src *rand.PCG, r, c int) {
	src.Seed(p.cfg.Seed^saltBlock, uint64(r)<<32|uint64(c))
}

// shape decides how a block is cut: finer in town, coarser in the hills.
func shape(rng *rand.Rand, u, h float64) (kx, ky int) {
	switch {
	case u >= 0.75:
		return 5 + rng.IntN(3), 3 + rng.IntN(2)
	case u >= 0.5:
		return 4 + rng.IntN(2), 2 + rng.IntN(2)
	case u >= 0.3:
		return 3 + rng.IntN(2), 2
	case h >= 0.5: // hill land is finely split among owners too
		return 2 + rng.IntN(2), 1 + rng.IntN(2)
	default:
		return 2 + rng.IntN(3), 1
	}
}

// layoutBlock fills b's shape and kept cells (no geometry) for pitch s with
// edges colX/rowY. It returns false when the block cannot touch the territory.
func (p *Plan) layoutBlock(b *block, rng *rand.Rand, src *rand.PCG, colX, rowY []float64, road float64, r, c int) bool {
	bx0, bx1, byT, byB := colX[c], colX[c+1], rowY[r], rowY[r+1]
	rb := p.reg.bound
	b.r, b.c, b.nKept, b.kept, b.capacity, b.mergeAt = r, c, 0, 0, 0, 0
	if bx1 < rb.Min[0] || bx0 > rb.Max[0] || byB > rb.Max[1] || byT < rb.Min[1] {
		return false
	}
	p.seedBlock(src, r, c)
	centre := orb.Point{(bx0 + bx1) / 2, (byT + byB) / 2}
	b.u = p.terr.urban(centre)
	b.h = p.terr.hills(centre)
	b.kx, b.ky = shape(rng, b.u, b.h)
	hw := road / 2
	b.x0, b.x1, b.yT, b.yB = bx0+hw, bx1-hw, byT-hw, byB+hw
	cw := (b.x1 - b.x0) / float64(b.kx)
	ch := (b.yT - b.yB) / float64(b.ky)
	for j := range b.ky {
		b.cross = p.reg.crossings(b.yT-(float64(j)+0.5)*ch, b.cross)
		if len(b.cross) == 0 {
			continue
		}
		for i := range b.kx {
			if insideAt(b.cross, b.x0+(float64(i)+0.5)*cw) {
				b.kept |= 1 << (j*b.kx + i)
				b.nKept++
			}
		}
	}
	for j := range b.ky {
		for i := 0; i+1 < b.kx; i += 2 {
			if m := uint64(3) << (j*b.kx + i); b.kept&m == m {
				b.capacity++
			}
		}
	}
	return true
}

// count returns the kept cells for pitch s.
func (p *Plan) count(s float64) int64 {
	colX, rowY := p.edges(s)
	road := roadWidth(s)
	src := rand.NewPCG(0, 0)
	rng := rand.New(src)
	var b block
	var n int64
	for r := 0; r+1 < len(rowY); r++ {
		for c := 0; c+1 < len(colX); c++ {
			if p.layoutBlock(&b, rng, src, colX, rowY, road, r, c) {
				n += int64(b.nKept)
			}
		}
	}
	return n
}

// search finds a pitch whose kept cells lie in [N, N+tol]. The count falls
// roughly as 1/s², so a few proportional steps land in the window; bisection
// between the last bracket finishes the rare remaining cases.
func (p *Plan) search(ctx context.Context) error {
	n := int64(p.cfg.Parcels)
	tol := max(int64(16), n/40)
	aim := float64(n + tol/2)
	area := (p.reg.bound.Max[0] - p.reg.bound.Min[0]) * (p.reg.bound.Max[1] - p.reg.bound.Min[1]) * 0.5
	s := math.Sqrt(area / (aim / 4))
	lo, hi := 0.0, 0.0 // lo: count ≥ N (small s), hi: count < N
	var best float64
	bestC := int64(-1)
	try := func(s float64) int64 {
		c := p.count(s)
		if c >= n && (bestC < 0 || c < bestC) {
			best, bestC = s, c
		}
		if c >= n && (lo == 0 || s > lo) {
			lo = s
		}
		if c < n && (hi == 0 || s < hi) {
			hi = s
		}
		return c
	}
	for range 12 {
		if err := ctx.Err(); err != nil {
			return err
		}
		c := try(s)
		if c >= n && c <= n+tol {
			break
		}
		if c == 0 {
			s /= 2
			continue
		}
		s *= math.Sqrt(float64(c) / aim)
	}
	for k := 0; k < 60 && (bestC < 0 || bestC > n+tol) && lo > 0 && hi > 0; k++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		try((lo + hi) / 2)
	}
	if bestC < 0 {
		return fmt.Errorf("synth: cannot lay out %d parcels inside the boundary (is it too small?)", n)
	}
	p.s, p.cells, p.merges = best, bestC, bestC-n
	p.road = roadWidth(best)
	p.colX, p.rowY = p.edges(best)
	return nil
}

// number groups the blocks into fogli, spreads the merges and marks the
// zoning cells that hold the territory.
func (p *Plan) number(ctx context.Context) error {
	// Sheets are assigned by block centre, so their block ranges follow
	// from the (monotone) centres.
	p.sheetCol = sheetRanges(p.colX, func(x float64) int { return int((x - p.colX[0]) / sheetSize) })
	p.sheetRow = sheetRanges(p.rowY, func(y float64) int { return int((p.rowY[0] - y) / sheetSize) })
	p.sheetsX, p.sheetsY = len(p.sheetCol)-1, len(p.sheetRow)-1

	src := rand.NewPCG(0, 0)
	rng := rand.New(src)
	var b block

	// Kept cells per sheet, then runs of sheets per foglio: a sheet with
	// less than a third of the median joins its west neighbour (or, first
	// in its run, takes its east neighbour in).
	cells := make([]int64, p.sheetsX*p.sheetsY)
	for sy := range p.sheetsY {
		if err := ctx.Err(); err != nil {
			return err
		}
		for sx := range p.sheetsX {
			for r := p.sheetRow[sy]; r < p.sheetRow[sy+1]; r++ {
				for c := p.sheetCol[sx]; c < p.sheetCol[sx+1]; c++ {
					if p.layoutBlock(&b, rng, src, p.colX, p.rowY, p.road, r, c) {
						cells[sy*p.sheetsX+sx] += int64(b.nKept)
					}
				}
			}
		}
	}
	p.groupSheets(cells)

	if p.land != nil { // the zoning grid: Lucca's layers only
		zb := p.reg.bound.Pad(2.5*p.s + 2*zoneCell)
		p.zones = newCellGrid(zb, zoneCell, zoneJitter, 37.0, rand.New(rand.NewPCG(p.cfg.Seed, saltZoneGrid)))
		p.territory = make([]bool, p.zones.cells())
		for c := range p.territory {
			p.territory[c] = p.reg.contains(p.zones.centre(c))
		}
	}

	// Merges, ids and territory, in output order.
	var cum, done, id int64
	for k := range p.fogli {
		if err := ctx.Err(); err != nil {
			return err
		}
		f := &p.fogli[k]
		f.cellsBefore, f.mergesBefore, f.firstID = cum, done, id+1
		for r := p.sheetRow[f.sy]; r < p.sheetRow[f.sy+1]; r++ {
			for c := p.sheetCol[f.sx0]; c < p.sheetCol[f.sx1+1]; c++ {
				if !p.layoutBlock(&b, rng, src, p.colX, p.rowY, p.road, r, c) || b.nKept == 0 {
					continue
				}
				m := p.mergesFor(&b, cum, done)
				cum += int64(b.nKept)
				done += int64(m)
				f.parcels += b.nKept - m
				// Every zone cell that may overlap a kept cell is territory,
				// so the zoning covers every point of every parcel.
				if p.zones != nil {
					p.markTerritory(&b)
				}
			}
		}
		id += int64(f.parcels)
	}
	if done != p.merges || id != int64(p.cfg.Parcels) {
		return fmt.Errorf("synth: cannot reach exactly %d parcels (merged %d of %d pairs); try another seed or size", p.cfg.Parcels, done, p.merges)
	}
	return nil
}

// groupSheets makes the fogli from the kept cells per sheet: runs of
// sheets in a row, a sheet with less than a third of the median joining its
// west neighbour (or, first in its run, taking its east neighbour in).
func (p *Plan) groupSheets(cells []int64) {
	var nonEmpty []int64
	for _, n := range cells {
		if n > 0 {
			nonEmpty = append(nonEmpty, n)
		}
	}
	slices.Sort(nonEmpty)
	small := nonEmpty[len(nonEmpty)/2] / 3
	var runCells int64
	for sy := range p.sheetsY {
		for sx := range p.sheetsX {
			n := cells[sy*p.sheetsX+sx]
			if n == 0 {
				continue
			}
			if k := len(p.fogli) - 1; k >= 0 && p.fogli[k].sy == sy && p.fogli[k].sx1 == sx-1 && (n < small || runCells < small) {
				p.fogli[k].sx1 = sx
				runCells += n
				continue
			}
			p.fogli = append(p.fogli, foglio{number: len(p.fogli) + 1, sy: sy, sx0: sx, sx1: sx})
			runCells = n
		}
	}
}

// markTerritory marks the zone cells that may overlap a kept cell of b: a
// cell's vertices stay within cellJitter of its nominal rectangle.
func (p *Plan) markTerritory(b *block) {
	cw := (b.x1 - b.x0) / float64(b.kx)
	ch := (b.yT - b.yB) / float64(b.ky)
	mark := func(c int) { p.territory[c] = true }
	for j := range b.ky {
		for i := range b.kx {
			if b.kept&(1<<(j*b.kx+i)) == 0 {
				continue
			}
			x0, y1 := b.x0+float64(i)*cw, b.yT-float64(j)*ch
			cb := orb.Bound{Min: orb.Point{x0 - cellJitter*cw, y1 - ch - cellJitter*ch}, Max: orb.Point{x0 + cw + cellJitter*cw, y1 + cellJitter*ch}}
			p.zones.cellsTouching(cb, zoneJitter, mark)
		}
	}
}

// mergesFor is how many pairs of block b to merge, given the kept cells and
// merges before it: the running target is ⌈M·cells/C⌉, capped by what the
// block can merge (any shortfall carries over to the next blocks).
func (p *Plan) mergesFor(b *block, cellsBefore, mergesBefore int64) int {
	if p.merges == 0 {
		return 0
	}
	cum := cellsBefore + int64(b.nKept)
	target := (p.merges*cum + p.cells - 1) / p.cells
	return int(min(int64(b.capacity), max(target-mergesBefore, 0)))
}

// sheetRanges maps block edges to the first block of each sheet (plus the
// end), given the sheet index of a block centre.
func sheetRanges(edges []float64, sheetOf func(float64) int) []int {
	var starts []int
	for k := 0; k+1 < len(edges); k++ {
		s := sheetOf((edges[k] + edges[k+1]) / 2)
		for len(starts) <= s {
			starts = append(starts, k)
		}
	}
	return append(starts, len(edges)-1)
}

// buildGeometry jitters the block's vertices and chooses its merged pairs.
// It must follow layoutBlock on the same stream.
func (p *Plan) buildGeometry(b *block, rng *rand.Rand, merges int) {
	nv := (b.kx + 1) * (b.ky + 1)
	if cap(b.verts) < nv {
		b.verts = make([]orb.Point, nv)
	}
	b.verts = b.verts[:nv]
	cw := (b.x1 - b.x0) / float64(b.kx)
	ch := (b.yT - b.yB) / float64(b.ky)
	for j := 0; j <= b.ky; j++ {
		for i := 0; i <= b.kx; i++ {
			dx := (rng.Float64()*2 - 1) * cellJitter * cw
			dy := (rng.Float64()*2 - 1) * cellJitter * ch
			edgeX := i == 0 || i == b.kx
			edgeY := j == 0 || j == b.ky
			if edgeX {
				dx = 0 // vertices on the west/east side slide along it only
			}
			if edgeY {
				dy = 0
			}
			if edgeX && edgeY {
				dx, dy = 0, 0
			}
			x := b.x0 + float64(i)*cw + dx
			y := b.yT - float64(j)*ch + dy
			if i == b.kx {
				x = b.x1 // exact, so the corridor keeps its width
			}
			if j == b.ky {
				y = b.yB
			}
			b.verts[j*(b.kx+1)+i] = orb.Point{x, y}
		}
	}
	// Choose `merges` of the mergeable pairs uniformly (selection sampling).
	b.mergeAt = 0
	left := b.capacity
	for j := 0; j < b.ky && merges > 0; j++ {
		for i := 0; i+1 < b.kx && merges > 0; i += 2 {
			bit := j*b.kx + i
			if m := uint64(3) << bit; b.kept&m != m {
				continue
			}
			if rng.IntN(left) < merges {
				b.mergeAt |= 1 << bit
				merges--
			}
			left--
		}
	}
}

// parcelRing returns parcel (i,j) of the block — merged with (i+1,j) when
// merged — as a closed counter-clockwise ring in local metres.
func (b *block) parcelRing(dst orb.Ring, i, j int, merged bool) orb.Ring {
	w := b.kx + 1
	v := func(i, j int) orb.Point { return b.verts[j*w+i] }
	// Row j runs north to south, so going down the west side, along the
	// south side and up the east side is counter-clockwise.
	dst = append(dst[:0], v(i, j), v(i, j+1), v(i+1, j+1))
	if merged {
		dst = append(dst, v(i+2, j+1), v(i+2, j))
	}
	dst = append(dst, v(i+1, j), v(i, j))
	return dst
}

// interior returns a point strictly inside cell (i,j): the mean of its
// corners, inside because every cell is a convex quadrilateral.
func (b *block) interior(i, j int) orb.Point {
	w := b.kx + 1
	a, c, d, e := b.verts[j*w+i], b.verts[(j+1)*w+i], b.verts[(j+1)*w+i+1], b.verts[j*w+i+1]
	return orb.Point{(a[0] + c[0] + d[0] + e[0]) / 4, (a[1] + c[1] + d[1] + e[1]) / 4}
}

// Parcel is one generated parcel, in lon/lat.
type Parcel struct {
	ID         int64
	Foglio     int
	Particella int
	Ref        string
	Polygon    orb.Polygon
	// Inside is a point strictly inside the parcel (away from its edges).
	Inside orb.Point
}

// ErrNoParcel is returned for a foglio/particella that the plan lacks.
var ErrNoParcel = errors.New("no such parcel")

// Parcel rebuilds one parcel by foglio and particella number without
// generating the others (only the blocks of its foglio).
func (p *Plan) Parcel(foglio, particella int) (Parcel, error) {
	if foglio < 1 || foglio > len(p.fogli) || particella < 1 || particella > p.fogli[foglio-1].parcels {
		return Parcel{}, fmt.Errorf("foglio %d particella %d: %w", foglio, particella, ErrNoParcel)
	}
	var found Parcel
	err := p.walkFoglio(p.fogli[foglio-1], func(b *block, _ *rand.Rand, pc parcelCell) (bool, error) {
		if pc.particella != particella {
			return true, nil
		}
		ring := b.parcelRing(nil, pc.i, pc.j, pc.merged)
		for k := range ring {
			ring[k] = p.fr.toLonLat(ring[k])
		}
		found = Parcel{ID: p.idBase + pc.id, Foglio: foglio, Particella: particella, Ref: cadastralRef(p.code, foglio, particella),
			Polygon: orb.Polygon{ring}, Inside: p.fr.toLonLat(b.interior(pc.i, pc.j))}
		return false, nil
	})
	if err != nil {
		return Parcel{}, err
	}
	return found, nil
}

// PointInParcel returns a lon/lat point strictly inside the parcel.
func (p *Plan) PointInParcel(foglio, particella int) (orb.Point, error) {
	pc, err := p.Parcel(foglio, particella)
	return pc.Inside, err
}

// RoadPoints returns n lon/lat points on road centrelines inside the
// boundary: no parcel contains them. They are deterministic for the plan.
func (p *Plan) RoadPoints(n int) []orb.Point {
	rng := rand.New(rand.NewPCG(p.cfg.Seed, saltRoads))
	var pts []orb.Point
	for tries := 0; len(pts) < n && tries < 1000*n+1000; tries++ {
		var pt orb.Point
		if tries%2 == 0 { // on a east–west road, between block rows r and r+1
			r := 1 + rng.IntN(len(p.rowY)-2)
			pt = orb.Point{p.colX[0] + rng.Float64()*(p.colX[len(p.colX)-1]-p.colX[0]), p.rowY[r]}
		} else { // on a north–south road
			c := 1 + rng.IntN(len(p.colX)-2)
			pt = orb.Point{p.colX[c], p.rowY[len(p.rowY)-1] + rng.Float64()*(p.rowY[0]-p.rowY[len(p.rowY)-1])}
		}
		if p.reg.contains(pt) {
			pts = append(pts, p.fr.toLonLat(pt))
		}
	}
	return pts
}

// parcelCell is one parcel as walkFoglio yields it.
type parcelCell struct {
	id         int64
	particella int
	i, j       int
	merged     bool
}

// walkFoglio rebuilds the blocks of one foglio in order and calls fn for each
// parcel; fn returns false to stop. The block passed to fn is reused.
func (p *Plan) walkFoglio(sh foglio, fn func(b *block, rng *rand.Rand, pc parcelCell) (bool, error)) error {
	src := rand.NewPCG(0, 0)
	rng := rand.New(src)
	var b block
	cum, done := sh.cellsBefore, sh.mergesBefore
	pc := parcelCell{id: sh.firstID - 1}
	for r := p.sheetRow[sh.sy]; r < p.sheetRow[sh.sy+1]; r++ {
		for c := p.sheetCol[sh.sx0]; c < p.sheetCol[sh.sx1+1]; c++ {
			if !p.layoutBlock(&b, rng, src, p.colX, p.rowY, p.road, r, c) || b.nKept == 0 {
				continue
			}
			m := p.mergesFor(&b, cum, done)
			cum += int64(b.nKept)
			done += int64(m)
			p.buildGeometry(&b, rng, m)
			for j := range b.ky {
				for i := 0; i < b.kx; i++ {
					bit := j*b.kx + i
					if b.kept&(1<<bit) == 0 {
						continue
					}
					pc.id++
					pc.particella++
					pc.i, pc.j = i, j
					pc.merged = b.mergeAt&(1<<bit) != 0
					more, err := fn(&b, rng, pc)
					if err != nil || !more {
						return err
					}
					if pc.merged {
						i++
					}
				}
			}
		}
	}
	return nil
}

// cadastralRef is the national cadastral reference of a parcel: CCCC
// (Belfiore code) + sezione or "_" + foglio on 4 digits + allegato +
// sviluppo + "." + particella, e.g. E715_003700.125.
func cadastralRef(code string, foglio, particella int) string {
	return string(strconv.AppendInt(appendSheetRef(make([]byte, 0, 24), code, foglio), int64(particella), 10))
}

// appendSheetRef appends the reference of a foglio followed by the dot
// that precedes a particella: E715_003700.
func appendSheetRef(b []byte, code string, foglio int) []byte {
	return append(appendZoningRef(b, code, foglio), '.')
}

// appendZoningRef appends the national reference of a foglio (the
// CadastralZoning of the INSPIRE download): CCCC_FFFF00, e.g. E715_003700.
func appendZoningRef(b []byte, code string, foglio int) []byte {
	b = append(b, code...)
	b = append(b, '_')
	f := strconv.Itoa(foglio)
	for k := len(f); k < 4; k++ {
		b = append(b, '0')
	}
	b = append(b, f...)
	return append(b, "00"...)
}
