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

func streetNames() []string {
	var names []string
	for line := range strings.Lines(streetsTxt) {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			names = append(names, line)
		}
	}
	return names
}

// Addresses lie on the roads around the blocks. Each east–west road is cut
// into street segments of streetLen block columns (cut points shifted per
// road); each segment takes a name from the list, reusing names once every
// name is taken. House numbers follow the Italian rule, odd on one side and
// even on the other, increasing eastwards; a reused name continues at a
// higher hundred, so that every address string is unique. A parcel facing a
// road through other parcels, and the 2nd and 3rd address of a parcel, get a
// letter suffix ("12/A"), as Lucca's own numbering does.
type addressing struct {
	p           *Plan
	names       []string
	segsPerRoad int
}

func (p *Plan) newAddressing() *addressing {
	names := streetNames()
	rng := rand.New(rand.NewPCG(p.cfg.Seed, saltStreets))
	rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	return &addressing{p: p, names: names, segsPerRoad: (len(p.colX)-1)/p.streetLen + 2}
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
	pos := b.c + int(mix(p.cfg.Seed^saltStreetOffset, uint64(road))%uint64(L))
	seg := road*a.segsPerRoad + pos/L
	slot := (pos%L)*maxCellsX + i
	n := (seg/len(a.names))*p.civicoStride + 2*slot + 2
	if odd {
		n--
	}
	civico = strconv.Itoa(n)
	if x := depth*3 + k; x > 0 {
		civico += "/" + string(rune('A'+x-1))
	}
	return a.names[seg%len(a.names)], civico
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
