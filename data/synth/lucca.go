package synth

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Landmarks of Lucca used to shape the synthetic layers. Positions are
// approximate (read off public maps and Wikipedia coordinates) and only need
// to put things in the right part of the territory: the data are synthetic.

// The walls (Mura urbane, 4.2 km long, 1544–1648) enclose a rounded
// rectangle about 1.55 km east–west by 1.0 km north–south; Porta Elisa, the
// east gate, is near 10.5148E and Porta Sant'Anna, the west one, near 10.496E.
var (
	wallsCentreLonLat = orb.Point{10.5052, 43.8432}
)

const (
	wallsSemiX = 770.0 // metres, east–west semi-axis
	wallsSemiY = 490.0 // metres, north–south semi-axis
	wallsPower = 3.0   // superellipse exponent: 2 is an ellipse, larger is squarer
)

// serchioLonLat is an approximate course of the Serchio through the comune:
// from Piaggione south to Ponte a Moriano, south-west to Ponte San Quirico
// about 1.2 km north of the walls, then west past Ponte San Pietro and
// Nozzano to the Ripafratta narrows.
func serchioLonLat() orb.LineString {
	return orb.LineString{
		{10.5360, 43.9660}, {10.5330, 43.9480}, {10.5300, 43.9350}, {10.5265, 43.9230},
		{10.5317, 43.9125}, {10.5270, 43.8990}, {10.5180, 43.8850}, {10.5080, 43.8720},
		{10.4990, 43.8610}, {10.4870, 43.8560}, {10.4720, 43.8530}, {10.4590, 43.8480},
		{10.4430, 43.8410}, {10.4270, 43.8330}, {10.4120, 43.8250}, {10.3960, 43.8170},
	}
}

// place is a named frazione or quartiere at its approximate real position.
type place struct {
	name   string
	lonLat orb.Point
	radius float64 // metres of the built-up area, for urbanness
	weight float64 // peak urbanness
}

// lucca's places; the first is the historic centre inside the walls. The order
// is the order of the statistical areas' codes.
func luccaPlaces() []place {
	return []place{
		{"Centro storico", wallsCentreLonLat, 2100, 1.0},
		{"Sant'Anna", orb.Point{10.4840, 43.8450}, 900, 0.75},
		{"San Concordio", orb.Point{10.4990, 43.8320}, 900, 0.75},
		{"San Vito", orb.Point{10.5290, 43.8480}, 800, 0.7},
		{"Arancio", orb.Point{10.5190, 43.8350}, 800, 0.7},
		{"Sant'Alessio", orb.Point{10.4720, 43.8660}, 650, 0.55},
		{"Monte San Quirico", orb.Point{10.4930, 43.8580}, 650, 0.55},
		{"San Pietro a Vico", orb.Point{10.5130, 43.8650}, 650, 0.55},
		{"Picciorana", orb.Point{10.5320, 43.8610}, 600, 0.5},
		{"Mutigliano", orb.Point{10.4780, 43.8840}, 500, 0.45},
		{"Ponte a Moriano", orb.Point{10.5317, 43.9125}, 700, 0.6},
		{"San Macario", orb.Point{10.4480, 43.8380}, 550, 0.45},
		{"Nozzano", orb.Point{10.4180, 43.8290}, 550, 0.45},
		{"Santa Maria del Giudice", orb.Point{10.4680, 43.7930}, 450, 0.4},
		{"Balbano", orb.Point{10.3880, 43.8490}, 400, 0.35},
	}
}

// industrialPatch is a productive area of the synthetic plan.
type industrialPatch struct {
	code   string // D1 or D2
	lonLat orb.Point
	radius float64
}

func luccaIndustry() []industrialPatch {
	return []industrialPatch{
		{"D1", orb.Point{10.4880, 43.8190}, 650}, // Pontetetto – Mugnano
		{"D1", orb.Point{10.5420, 43.8330}, 450}, // south-east, towards Capannori
		{"D2", orb.Point{10.5400, 43.8470}, 380}, // commercial strip on the east road
		{"D1", orb.Point{10.5350, 43.9030}, 320}, // paper mills by Ponte a Moriano
	}
}

// landscape holds the landmarks in local metres and answers the questions
// the layers ask: how urban, how hilly, how far from the river.
type landscape struct {
	walls   orb.Point // centre
	serchio orb.LineString
	places  []place // positions converted to local metres
	patches []industrialPatch
}

func newLandscape(f frame) *landscape {
	l := &landscape{walls: f.toLocal(wallsCentreLonLat)}
	for _, p := range serchioLonLat() {
		l.serchio = append(l.serchio, f.toLocal(p))
	}
	for _, p := range luccaPlaces() {
		p.lonLat = f.toLocal(p.lonLat)
		l.places = append(l.places, p)
	}
	for _, d := range luccaIndustry() {
		d.lonLat = f.toLocal(d.lonLat)
		l.patches = append(l.patches, d)
	}
	return l
}

// wallsRadius is the superellipse "radius" of p: below 1 inside the walls,
// 1 on them, growing outwards roughly as distance / semi-axis.
func (l *landscape) wallsRadius(p orb.Point) float64 {
	dx := math.Abs(p[0]-l.walls[0]) / wallsSemiX
	dy := math.Abs(p[1]-l.walls[1]) / wallsSemiY
	return math.Cbrt(dx*dx*dx + dy*dy*dy) // wallsPower = 3, spelt out: Pow is slow
}

func (l *landscape) insideWalls(p orb.Point) bool { return l.wallsRadius(p) <= 1 }

// wallsRing is the walls' line scaled by (semi-axis + grow metres), n points,
// counter-clockwise, closed.
func (l *landscape) wallsRing(grow float64, n int) orb.Ring {
	a, b := wallsSemiX+grow, wallsSemiY+grow
	r := make(orb.Ring, 0, n+1)
	for i := range n {
		t := 2 * math.Pi * float64(i) / float64(n)
		c, s := math.Cos(t), math.Sin(t)
		x := a * math.Copysign(math.Pow(math.Abs(c), 2/wallsPower), c)
		y := b * math.Copysign(math.Pow(math.Abs(s), 2/wallsPower), s)
		r = append(r, orb.Point{l.walls[0] + x, l.walls[1] + y})
	}
	return append(r, r[0])
}

// urban is the urbanness of p in [0,1]: 1 inside the walls, fading with
// distance from the city and the frazioni.
func (l *landscape) urban(p orb.Point) float64 {
	if l.insideWalls(p) {
		return 1
	}
	u := 0.0
	for _, c := range l.places {
		if c.weight <= u {
			continue
		}
		dx, dy := p[0]-c.lonLat[0], p[1]-c.lonLat[1]
		d2 := (dx*dx + dy*dy) / (c.radius * c.radius)
		if d2 > 16 { // exp(-16): nothing left
			continue
		}
		u = max(u, c.weight*math.Exp(-d2))
	}
	return u
}

// hills is how hilly p is in [0,1]: the Colline lucchesi north of the plain,
// the Monti Pisani in the south and the Balbano hills in the west. The
// Serchio valley floor stays flat. The foothill lines wander by a few hundred
// metres (fixed value noise: the geography does not change with the seed).
func (l *landscape) hills(p orb.Point, f frame) float64 {
	ll := f.toLonLat(p)
	wobble := valueNoise(p[0]/2500, p[1]/2500) + 0.5*valueNoise(p[0]/900+17, p[1]/900) - 0.75 // about ±0.5
	h := smoothstep((ll[1] - 43.874 + 0.02*wobble) / 0.012)
	if h > 0 {
		h *= smoothstep((l.serchioDistance(p) - 250 - 400*wobble) / 700)
	}
	h = max(h, smoothstep((43.813-ll[1]+0.016*wobble)/0.01))
	if ll[1] > 43.826 {
		h = max(h, smoothstep((10.41-ll[0]+0.02*wobble)/0.012))
	}
	return h
}

// valueNoise is smooth 2-D noise in [0,1) with features about one unit
// wide: random values at integer lattice points, blended with smoothstep.
func valueNoise(x, y float64) float64 {
	x0, y0 := math.Floor(x), math.Floor(y)
	tx, ty := smoothstep(x-x0), smoothstep(y-y0)
	at := func(i, j float64) float64 {
		return unit(mix(uint64(int64(i))*0x9e3779b1, uint64(int64(j))^0x5bd1e995))
	}
	a := at(x0, y0) + (at(x0+1, y0)-at(x0, y0))*tx
	b := at(x0, y0+1) + (at(x0+1, y0+1)-at(x0, y0+1))*tx
	return a + (b-a)*ty
}

func (l *landscape) serchioDistance(p orb.Point) float64 {
	return planar.DistanceFrom(l.serchio, p)
}

// industry returns the D sub-code of the productive patch p falls in, with a
// ragged edge from noise in [0,1).
func (l *landscape) industry(p orb.Point, noise float64) string {
	for _, d := range l.patches {
		if math.Hypot(p[0]-d.lonLat[0], p[1]-d.lonLat[1]) < d.radius*(0.75+0.5*noise) {
			return d.code
		}
	}
	return ""
}

func smoothstep(t float64) float64 {
	t = min(max(t, 0), 1)
	return t * t * (3 - 2*t)
}
