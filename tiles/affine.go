package tiles

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// A published table outside Web Mercator, without a stored Web Mercator
// copy, would need ST_Transform of every row of a tile: PROJ's pipeline
// costs 2-3 µs a parcel from EPSG:4326 and 13-15 µs from Gauss-Boaga
// (EPSG:3003, a datum shift), more than the rest of the tile's work.
// Over one tile a map between two smooth projections is very nearly
// affine, so the tile statement maps a row with ST_Affine instead, with
// coefficients fitted for that tile from points PostGIS transforms
// exactly, and only where the fit is measured to be within affineBound.
// The rows are still chosen by the table's own GiST index (tileFilter).
//
// The fit: a regular 3×3 grid of points over a box in the source SRID
// (corners, edge midpoints, centre), transformed to EPSG:3857 by PostGIS
// in one call (fitSQL); the least-squares affine map through those nine
// pairs; its error, the largest distance between the map and the exact
// point at the nine, in tile units. A row is mapped by a fit only when its
// bounding box lies inside that fit's box; otherwise (a feature larger than
// the box, or no fit within the bound) it is transformed exactly.
//
// The deviation of a smooth map from its best affine approximation grows
// with the square of the box's side, so it halves with each zoom level:
// for parcels at Lucca's latitude a single fit over the tile is within
// 0.25 units from z13 (EPSG:4326) and z15 (EPSG:3003, 6707), and a tile
// split into k×k cells (k up to maxCells) divides it by k² (z11-z14).
// Below that (z10 and coarser for the projected CRSs) the tile is exact.
// Where a tile-sized fit holds, one query fits the 16 tiles of a block
// (blockFits), so that a screen of tiles costs a few queries.

// affineBound is the largest error, in tile units (1/4096 of the tile's
// side), a fit may have: ST_AsMVTGeom snaps every vertex to the unit
// grid, so with the exact vertex at most 0.5 from its snapped position, a
// vertex mapped within 0.25 snaps to the same point or to its neighbour,
// one unit away (1/8 of a pixel on a 512-pixel tile), and to the same point
// unless the exact position lies within 0.25 of a rounding boundary. The
// simplification below the detail zoom already moves vertices by up to
// half a unit.
const affineBound = 0.25

// maxCells is the largest k of a k×k split of a tile into cells with a
// fit each; cellParams are the statement parameters of one cell (its box
// and the six coefficients of ST_Affine).
const (
	maxCells   = 4
	cellParams = 7
)

// wideMargin: the first fit covers the tile grown by half its side on
// every side (2×2 tiles), so that at high zooms, where one fit holds over
// that much, every feature smaller than half a tile is mapped by it.
// cellGrowth: a cell's fit covers the cell grown by a quarter of its side
// on every side (the fits overlap), so that a feature straddling a cell's
// edge by less than that is still mapped by an affine fit.
const (
	wideMargin = 0.5
	cellGrowth = 0.25
)

// affineCell is one fitted map: rows whose bounding box lies inside box
// (in the source SRID: xmin, ymin, xmax, ymax) are mapped by
// X = a x + b y + c, Y = d x + e y + f (coef = a, b, c, d, e, f).
type affineCell struct {
	box  [4]float64
	coef [6]float64
	err  float64 // the largest deviation at the fit's points, tile units
}

// affineFit is what a tile statement needs to map one SRID's rows: the
// cells within the bound (none: every row is transformed exactly).
type affineFit struct {
	cells []affineCell
}

// fitSQL brings a box around the tile into the source SRID and a grid of
// points given in that box's unit square into EPSG:3857: $1-$3 the tile,
// $4 the SRID, $5 the grid (WKB multipoint, coordinates relative to the
// box), $6 the margin around the tile. It returns the box and the
// transformed grid, in the grid's order. The box is that of the images of
// the tile's corners and edge midpoints (the edges' images bulge by far
// less than a fit's error; a row just outside is transformed exactly),
// brought through EPSG:4326 as the tile filter's box is: the same PROJ
// transformations, which a database session sets up once.
const fitSQL = `SELECT ST_XMin(d.b), ST_YMin(d.b), ST_XMax(d.b), ST_YMax(d.b),
 ST_AsBinary(ST_Transform(ST_SetSRID(ST_Affine(ST_GeomFromWKB($5::bytea), ST_XMax(d.b) - ST_XMin(d.b), 0, 0, ST_YMax(d.b) - ST_YMin(d.b), ST_XMin(d.b), ST_YMin(d.b)), $4::integer), 3857))
FROM (SELECT ST_Transform(ST_Transform(ST_Segmentize(e, (ST_XMax(e) - ST_XMin(e)) / 2), 4326), $4::integer)::box2d AS b
 FROM ST_TileEnvelope($1::integer, $2::integer, $3::integer, margin => $6::float8) e) d`

// cellGrid is the 3×3 points of each of the k×k cells' fit boxes, in the
// unit square of the box around the tile, cell by cell.
func cellGrid(k int, growth float64) orb.MultiPoint {
	out := make(orb.MultiPoint, 0, k*k*9)
	for cj := 0; cj < k; cj++ {
		for ci := 0; ci < k; ci++ {
			for j := 0; j < 3; j++ {
				for i := 0; i < 3; i++ {
					out = append(out, orb.Point{
						(float64(ci) - growth + float64(i)*(0.5+growth)) / float64(k),
						(float64(cj) - growth + float64(j)*(0.5+growth)) / float64(k)})
				}
			}
		}
	}
	return out
}

// fitCells fits each cell's nine points: grid in the unit square of box
// (xmin, ymin, xmax, ymax, in the source SRID), merc their exact images in
// EPSG:3857, unit a tile unit in metres. On a symmetric 3×3 grid centred
// on the cell the least-squares normal equations decouple (the sums of
// u, v and u·v vanish), so each coefficient is one quotient.
func fitCells(box [4]float64, grid, merc orb.MultiPoint, unit float64) []affineCell {
	w, h := box[2]-box[0], box[3]-box[1]
	out := make([]affineCell, 0, len(grid)/9)
	for c := 0; c+9 <= len(grid) && c+9 <= len(merc); c += 9 {
		var src [9]orb.Point
		for i := range src {
			src[i] = orb.Point{box[0] + w*grid[c+i][0], box[1] + h*grid[c+i][1]}
		}
		cx, cy := src[4][0], src[4][1]
		var mx, my, suu, svv, sux, svx, suy, svy float64
		for i, p := range src {
			u, v, q := p[0]-cx, p[1]-cy, merc[c+i]
			mx, my = mx+q[0], my+q[1]
			suu, svv = suu+u*u, svv+v*v
			sux, svx, suy, svy = sux+u*q[0], svx+v*q[0], suy+u*q[1], svy+v*q[1]
		}
		mx, my = mx/9, my/9
		a, b, d, e := sux/suu, svx/svv, suy/suu, svy/svv
		cell := affineCell{box: [4]float64{src[0][0], src[0][1], src[8][0], src[8][1]},
			coef: [6]float64{a, b, mx - a*cx - b*cy, d, e, my - d*cx - e*cy}}
		for i, p := range src {
			x, y := cell.apply(p)
			dev := math.Hypot(x-merc[c+i][0], y-merc[c+i][1]) / unit
			if math.IsNaN(dev) || math.IsInf(dev, 0) {
				dev = math.Inf(1)
			}
			cell.err = max(cell.err, dev)
		}
		out = append(out, cell)
	}
	return out
}

func (c affineCell) apply(p orb.Point) (float64, float64) {
	return c.coef[0]*p[0] + c.coef[1]*p[1] + c.coef[2], c.coef[3]*p[0] + c.coef[4]*p[1] + c.coef[5]
}

// fitQuery fits k×k cells over the tile grown by margin, each cell's box
// grown by growth (a fraction of the cell's side).
func (s *Service) fitQuery(ctx context.Context, srid int, t TileID, margin float64, k int, growth float64) ([]affineCell, error) {
	grid := cellGrid(k, growth)
	g, err := wkb.Marshal(grid)
	if err != nil {
		return nil, err
	}
	var box [4]float64
	var raw []byte
	if err := s.db.QueryRow(ctx, fitSQL, t.Z, t.X, t.Y, srid, g, margin).Scan(&box[0], &box[1], &box[2], &box[3], &raw); err != nil {
		return nil, fmt.Errorf("affine fit of EPSG:%d at %s: %w", srid, t, err)
	}
	geom, err := wkb.Unmarshal(raw)
	merc, ok := geom.(orb.MultiPoint)
	if err != nil || !ok || len(merc) != len(grid) {
		return nil, fmt.Errorf("affine fit of EPSG:%d at %s: %d points back for %d (%v)", srid, t, len(merc), len(grid), err)
	}
	return fitCells(box, grid, merc, t.Span()/Extent), nil
}

// affineFor returns the fits of srid's map to EPSG:3857 around tile t:
// kept ones, or fitTile's.
func (s *Service) affineFor(ctx context.Context, srid int, t TileID) affineFit {
	if s.affineBound <= 0 {
		return affineFit{}
	}
	key := fitKey{srid, t}
	if f, ok := s.fits.Load(key); ok {
		return f.(affineFit)
	}
	f, ok := s.fitTile(ctx, srid, t)
	if ok {
		s.keepFit(key, f)
	}
	return f
}

// keepFit keeps fits, which do not depend on the data, for the tile's
// next renderings (after an edit, another layer set) and, for a block,
// its other tiles.
func (s *Service) keepFit(key fitKey, f affineFit) {
	if s.fitCount.Add(1) > maxFits {
		s.fits.Clear()
		s.fitCount.Store(1)
	}
	s.fits.Store(key, f)
}

// blockFits are the fits of the 4×4 tiles of t's ancestor two zooms up,
// one cell per tile (grown by cellGrowth), from one query for all 16,
// kept. Used where a tile-sized fit holds (z15-z16 and
// finer): a map's screen of tiles then costs a few queries, not one a tile.
func (s *Service) blockFits(ctx context.Context, srid int, t TileID) (affineFit, bool) {
	block := TileID{Z: t.Z - 2, X: t.X >> 2, Y: t.Y >> 2}
	key := fitKey{-srid, block}
	var all affineFit
	if f, ok := s.fits.Load(key); ok {
		all = f.(affineFit)
	} else {
		cells, err := s.fitQuery(ctx, srid, block, 0, maxCells, cellGrowth)
		if err == nil && len(cells) != maxCells*maxCells {
			err = fmt.Errorf("affine fit of EPSG:%d at %s: %d cells", srid, block, len(cells))
		}
		if err != nil {
			s.log.Debug("tiles: no affine fit", "err", err)
			return affineFit{}, false
		}
		// Errors in t's tile units: the block's fits measured them in the
		// block's, 4 times larger.
		for i := range cells {
			cells[i].err *= maxCells
		}
		all = affineFit{cells: cells}
		s.keepFit(key, all)
	}
	// Only t's own cell (the cells run west to east, then south to north;
	// tiles north to south): it holds the tile and a quarter of a tile
	// around, so a row outside it is larger than that; binding no more
	// saves parsing 15 boxes per statement.
	own := all.cells[t.X&3+maxCells*(maxCells-1-t.Y&3)]
	if own.err > s.affineBound {
		return affineFit{}, true
	}
	return affineFit{cells: []affineCell{own}}, true
}

// fitKey names a tile's fits for an SRID.
type fitKey struct {
	srid int
	tile TileID
}

// maxFits bounds the fits kept: at most 1.4 MiB (16 cells of 88 bytes
// each), 90 KiB when the fits are single (z15 and finer).
const maxFits = 1024

// fitTile fits the map from srid to EPSG:3857 around tile t. First one
// fit over 2×2 tiles (enough from z15-z17 on); when it misses the bound,
// the fewest cells whose error, predicted from it (it grows with the
// square of the side), is within 0.8 of the bound, each then measured
// and kept only if within the bound. The first fit is skipped when the
// last one of the SRID, scaled to this zoom (the error halves with each
// zoom), predicts that it would miss: one query instead of two. A query
// that fails (a tile far outside the CRS's area) leaves every row to the
// exact transform (ok false: not kept, the next rendering tries again).
func (s *Service) fitTile(ctx context.Context, srid int, t TileID) (affineFit, bool) {
	scale := math.Ldexp(1, t.Z) // the wide fit's error × 2^z is about constant
	wideErr, known := 0.0, false
	if v, ok := s.affineScale.Load(srid); ok {
		wideErr, known = v.(float64)/scale, true
	}
	if r := blockRatio(); known && t.Z >= 2 && wideErr*r*r <= 0.8*s.affineBound {
		return s.blockFits(ctx, srid, t)
	}
	// A prediction only saves the first query when it names cells that
	// would do; it never decides that no fit would.
	if !known || wideErr <= 0.8*s.affineBound || s.cellsFor(wideErr) == 0 {
		wide, err := s.fitQuery(ctx, srid, t, wideMargin, 1, 0)
		if err != nil || len(wide) != 1 {
			s.log.Debug("tiles: no affine fit", "err", err)
			return affineFit{}, false
		}
		wideErr = wide[0].err
		s.learnScale(srid, wideErr*scale)
		if wideErr <= s.affineBound {
			return affineFit{cells: wide}, true
		}
	}
	k := s.cellsFor(wideErr)
	if k == 0 {
		return affineFit{}, true
	}
	cells, err := s.fitQuery(ctx, srid, t, bufferMargin, k, cellGrowth)
	if err != nil {
		s.log.Debug("tiles: no affine fit", "err", err)
		return affineFit{}, false
	}
	var f affineFit
	worst := 0.0
	for _, c := range cells {
		worst = max(worst, c.err)
		if c.err <= s.affineBound {
			f.cells = append(f.cells, c)
		}
	}
	r := cellRatio(k)
	s.learnScale(srid, worst/(r*r)*scale)
	return f, true
}

// blockRatio is the side of a block's cell (a tile grown by cellGrowth)
// over that of the wide fit.
func blockRatio() float64 { return (1 + 2*cellGrowth) / (1 + 2*wideMargin) }

// cellRatio is the side of a cell's fit box (k×k cells over the tile and
// its buffer, grown by cellGrowth) over that of the wide fit.
func cellRatio(k int) float64 {
	return (1 + 2*bufferMargin) * (1 + 2*cellGrowth) / float64(k) / (1 + 2*wideMargin)
}

// cellsFor is the fewest cells a side whose fits the wide fit's error
// predicts within 0.8 of the bound (the error grows with the square of
// the side); 0 when even maxCells would not do.
func (s *Service) cellsFor(wideErr float64) int {
	for k := 1; k <= maxCells; k++ {
		if r := cellRatio(k); wideErr*r*r <= 0.8*s.affineBound {
			return k
		}
	}
	return 0
}

// learnScale keeps a measured error × 2^z for the SRID's next tiles (not
// one from points PROJ could not transform).
func (s *Service) learnScale(srid int, v float64) {
	if !math.IsInf(v, 0) && !math.IsNaN(v) {
		s.affineScale.Store(srid, v)
	}
}

// args are the fit's statement parameters, maxCells² cells of cellParams
// each: a cell's box as EWKT (a geometry parameter, so that the
// containment test reads a constant) and its coefficients; NULL for the
// cells it does not have, whose WHEN then never holds.
func (f affineFit) args(srid int) []any {
	out := make([]any, 0, maxCells*maxCells*cellParams)
	for i := 0; i < maxCells*maxCells; i++ {
		if i >= len(f.cells) {
			for j := 0; j < cellParams; j++ {
				out = append(out, nil)
			}
			continue
		}
		c := f.cells[i]
		b := [4]string{num(c.box[0]), num(c.box[1]), num(c.box[2]), num(c.box[3])}
		out = append(out, "SRID="+strconv.Itoa(srid)+";POLYGON(("+b[0]+" "+b[1]+","+b[2]+" "+b[1]+","+b[2]+" "+b[3]+","+b[0]+" "+b[3]+","+b[0]+" "+b[1]+"))")
		// ST_Affine's order: a, b, d, e, xoff, yoff.
		out = append(out, c.coef[0], c.coef[1], c.coef[3], c.coef[4], c.coef[2], c.coef[5])
	}
	return out
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// affineSQL maps geom (a geometry column of the fit's SRID) to EPSG:3857
// with the fit whose parameters start at $first: the first cell whose box
// holds the row's bounding box, else ST_Transform.
func affineSQL(geom string, first int) string {
	var b strings.Builder
	b.WriteString("ST_SetSRID(CASE")
	for i := 0; i < maxCells*maxCells; i++ {
		p := first + i*cellParams
		fmt.Fprintf(&b, " WHEN %s @ $%d::geometry THEN ST_Affine(%s", geom, p, geom)
		for j := 1; j < cellParams; j++ {
			fmt.Fprintf(&b, ", $%d::float8", p+j)
		}
		b.WriteString(")")
	}
	fmt.Fprintf(&b, " ELSE ST_Transform(%s, 3857) END, 3857)", geom)
	return b.String()
}
