package synth

import (
	_ "embed"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// streetsTxt lists real street names of Lucca; see the header of the file
// for its source (Infratel Italia – Mappatura 2025, via nemorfol/infratel-2028).
//
//go:embed streets.txt
var streetsTxt string

// centreStreetsTxt lists real streets and squares inside Lucca's walls;
// see the header of the file.
//
//go:embed centre_streets.txt
var centreStreetsTxt string

// nameLines reads a names file: one per line, blank lines and # comments
// skipped.
func nameLines(txt string) []string {
	var names []string
	for line := range strings.Lines(txt) {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			names = append(names, line)
		}
	}
	return names
}

func streetNames() []string { return nameLines(streetsTxt) }

// Addresses lie on the roads around the blocks. Each east–west road is cut
// into street segments of streetLen block columns (cut points shifted per
// road); each segment takes a name from the list, reusing names once every
// name is taken. House numbers follow the Italian rule, odd on one side and
// even on the other, increasing eastwards; a reused name continues at a
// higher hundred, so that every address string is unique. A parcel facing a
// road through other parcels, and the 2nd and 3rd address of a parcel, get a
// letter suffix ("12/A"), as Lucca's own numbering does.
//
// In Lucca, the segments whose middle lies inside the walls take the names
// of the historic centre (centre_streets.txt) in order, north-west first,
// each name numbered from 1 on its first segment.
type addressing struct {
	p           *Plan
	names       []string
	segsPerRoad int
	centre      map[int]centreStreet // by segment
}

// centreStreet is the name of a segment inside the walls and the first
// number of its run (a name used again continues at a higher hundred).
type centreStreet struct {
	name string
	base int
}

func (p *Plan) newAddressing() *addressing {
	names := streetNames()
	rng := rand.New(rand.NewPCG(p.cfg.Seed, saltStreets))
	rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	a := &addressing{p: p, names: names, segsPerRoad: (len(p.colX)-1)/p.streetLen + 2}
	a.centre = a.centreStreets(nameLines(centreStreetsTxt))
	return a
}

// segOffset shifts the cut points of a road's segments.
func (a *addressing) segOffset(road int) int {
	return int(mix(a.p.cfg.Seed^saltStreetOffset, uint64(road)) % uint64(a.p.streetLen))
}

// segSpan is where segment s of an east–west road runs: from the west edge
// of block column c0 to the west edge of column c1 (c0 >= c1: the segment
// lies off the grid). The segment holds the columns c with
// (c+segOffset)/streetLen == s.
func (a *addressing) segSpan(road, s int) (c0, c1 int) {
	L, off := a.p.streetLen, a.segOffset(road)
	return max(0, s*L-off), min(len(a.p.colX)-1, (s+1)*L-off)
}

// segment is the street name of segment seg (road*segsPerRoad + s) and the
// first house number of its run.
func (a *addressing) segment(seg int) (street string, base int) {
	if c, ok := a.centre[seg]; ok {
		return c.name, c.base
	}
	return a.names[seg%len(a.names)], (seg / len(a.names)) * a.p.civicoStride
}

// centreStreets names the segments inside Lucca's walls (none elsewhere).
func (a *addressing) centreStreets(names []string) map[int]centreStreet {
	p := a.p
	if p.land == nil || len(names) == 0 {
		return nil
	}
	out := map[int]centreStreet{}
	k := 0
	for road := 0; road < len(p.rowY); road++ {
		for s := range a.segsPerRoad {
			c0, c1 := a.segSpan(road, s)
			if c0 >= c1 || !p.land.insideWalls(orb.Point{(p.colX[c0] + p.colX[c1]) / 2, p.rowY[road]}) {
				continue
			}
			out[road*a.segsPerRoad+s] = centreStreet{name: names[k%len(names)], base: (k / len(names)) * p.civicoStride}
			k++
		}
	}
	return out
}

// address returns street and house number of the k-th address (0..2) of the
// parcel whose first cell is (i,j) in block b.
func (a *addressing) address(b *block, i, j, k int) (street, civico string) {
	p := a.p
	road, depth, odd := b.r+1, b.ky-1-j, false // south road: the block is north of it
	if j < b.ky/2 {
		road, depth, odd = b.r, j, true // north road
	}
	L := p.streetLen
	pos := b.c + a.segOffset(road)
	seg := road*a.segsPerRoad + pos/L
	slot := (pos%L)*maxCellsX + i
	street, base := a.segment(seg)
	n := base + 2*slot + 2
	if odd {
		n--
	}
	civico = strconv.Itoa(n)
	if x := depth*3 + k; x > 0 {
		civico += "/" + string(rune('A'+x-1))
	}
	return street, civico
}

// addressCount is how many addresses a parcel gets: 1–3 in town, about one
// rural parcel in ten.
func addressCount(rng *rand.Rand, u float64) int {
	if u < 0.3 {
		if rng.IntN(10) == 0 {
			return 1
		}
		return 0
	}
	switch x := rng.IntN(20); {
	case x < 12:
		return 1
	case x < 17:
		return 2
	default:
		return 3
	}
}

// pointInQuad returns a point inside cell (i,j) of the block: a bilinear
// blend of its corners with weights kept away from the edges (a convex
// quadrilateral contains every such blend).
func pointInQuad(b *block, rng *rand.Rand, i, j int) orb.Point {
	w := b.kx + 1
	A, B, C, D := b.verts[j*w+i], b.verts[j*w+i+1], b.verts[(j+1)*w+i+1], b.verts[(j+1)*w+i]
	s := 0.15 + 0.7*rng.Float64()
	t := 0.15 + 0.7*rng.Float64()
	return orb.Point{
		(1-s)*(1-t)*A[0] + s*(1-t)*B[0] + s*t*C[0] + (1-s)*t*D[0],
		(1-s)*(1-t)*A[1] + s*(1-t)*B[1] + s*t*C[1] + (1-s)*t*D[1],
	}
}

// Broadband offers, ordered so that a higher index is never slower: an
// address only moves to a higher offer between snapshots.
type offer struct {
	technology string
	down, up   float64
	operators  []string
	upgrades   []int // offers it may move to
}

func offers() []offer {
	return []offer{
		{"none", 0, 0, []string{""}, []int{3, 2}},
		{"ADSL", 7, 1, []string{"TIM"}, []int{2, 5}},
		{"ADSL", 20, 1, []string{"TIM", "WindTre"}, []int{5, 3}},
		{"FWA", 30, 3, []string{"Eolo", "Linkem"}, []int{4, 7}},
		{"FWA", 100, 10, []string{"Eolo", "TIM", "Vodafone"}, []int{7}},
		{"FTTC", 100, 20, []string{"FiberCop", "TIM"}, []int{6, 7}},
		{"FTTC", 200, 20, []string{"FiberCop", "TIM", "Fastweb"}, []int{7}},
		{"FTTH", 1000, 300, []string{"Open Fiber", "FiberCop"}, []int{8}},
		{"FTTH", 2500, 1000, []string{"Open Fiber"}, nil},
	}
}

// service is the broadband of one address at both snapshots.
type service struct {
	before, after int // offer indexes, after ≥ before
	opBefore      string
	opAfter       string
	households    int
}

func drawService(rng *rand.Rand, offs []offer, u, h float64) service {
	// Offer shares per mille by setting (each row sums to 1000), the
	// percentage of addresses that improve by the second snapshot, and the
	// most households behind one address.
	share, upgrade, homes := [9]int{60, 60, 100, 120, 140, 140, 160, 200, 20}, 8, 2 // rural plain
	switch {
	case u >= 0.75: // historic centre
		share, upgrade, homes = [9]int{0, 0, 20, 0, 30, 100, 250, 500, 100}, 10, 8
	case u >= 0.3: // town
		share, upgrade, homes = [9]int{10, 10, 30, 20, 60, 150, 270, 400, 50}, 10, 5
	case h >= 0.5: // hills
		share, upgrade, homes = [9]int{180, 100, 120, 220, 160, 70, 50, 100, 0}, 6, 1
	}
	x := rng.IntN(1000)
	s := service{}
	for k, v := range share {
		if x < v {
			s.before = k
			break
		}
		x -= v
	}
	o := offs[s.before]
	s.opBefore = o.operators[rng.IntN(len(o.operators))]
	s.after, s.opAfter = s.before, s.opBefore
	if len(o.upgrades) > 0 && rng.IntN(100) < upgrade {
		s.after = o.upgrades[rng.IntN(len(o.upgrades))]
		if offs[s.after].technology != o.technology {
			n := offs[s.after].operators
			s.opAfter = n[rng.IntN(len(n))]
		}
	}
	s.households = 1 + rng.IntN(homes)
	return s
}
