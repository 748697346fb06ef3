package synth

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// zoneDef is one zone of the synthetic plan (DM 1444/1968 classes A–F with
// local sub-codes).
type zoneDef struct {
	code, class, description, normRef string
}

const (
	zoningPlan    = "Piano Operativo Comunale – dati sintetici"
	floodPlan     = "PGRA Distretto dell'Appennino Settentrionale – dati sintetici"
	landscapePlan = "PIT con valenza di Piano Paesaggistico – dati sintetici"
	heritagePlan  = "Vincoli D.Lgs. 42/2004 – dati sintetici"
)

// Zone indexes into zoneDefs.
const (
	zA = iota
	zB1
	zB2
	zC1
	zC2
	zD1
	zD2
	zE1
	zE2
	zE3
	zF1
	zF2
)

func zoneDefs() []zoneDef {
	return []zoneDef{
		zA:  {"A", "A", "Zona A – centro storico entro le Mura urbane", "Art. 12 NTA"},
		zB1: {"B1", "B", "Zona B1 – tessuto residenziale consolidato ad alta densità", "Art. 15 NTA"},
		zB2: {"B2", "B", "Zona B2 – tessuto residenziale consolidato a media densità", "Art. 16 NTA"},
		zC1: {"C1", "C", "Zona C1 – nuovi insediamenti residenziali", "Art. 18 NTA"},
		zC2: {"C2", "C", "Zona C2 – insediamenti residenziali a bassa densità", "Art. 19 NTA"},
		zD1: {"D1", "D", "Zona D1 – produttiva industriale e artigianale", "Art. 22 NTA"},
		zD2: {"D2", "D", "Zona D2 – commerciale e direzionale", "Art. 23 NTA"},
		zE1: {"E1", "E", "Zona E1 – agricola della pianura", "Art. 26 NTA"},
		zE2: {"E2", "E", "Zona E2 – agricola collinare", "Art. 27 NTA"},
		zE3: {"E3", "E", "Zona E3 – boschiva e di tutela paesaggistica", "Art. 28 NTA"},
		zF1: {"F1", "F", "Zona F1 – attrezzature pubbliche e di interesse generale", "Art. 31 NTA"},
		zF2: {"F2", "F", "Zona F2 – parchi e verde pubblico", "Art. 32 NTA"},
	}
}

// zoneCodes assigns a zone to every territory cell of the zoning grid
// (-1 elsewhere): A inside the walls, the green glacis around them F2, the
// productive patches D, then B, C by urbanness, E in the countryside (E2,
// E3 in the hills) with F scattered in town and along the Serchio.
func (p *Plan) zoneCodes() []int32 {
	g := p.zones
	rng := rand.New(rand.NewPCG(p.cfg.Seed, saltZoneCode))
	codes := make([]int32, g.cells())
	for c := range codes {
		noise, n2 := rng.Float64(), rng.Float64() // drawn for every cell: stable stream
		if !p.territory[c] {
			codes[c] = -1
			continue
		}
		pt := g.centre(c)
		l := p.land
		rho := l.wallsRadius(pt)
		var z int32
		switch {
		case rho <= 1:
			z = zA
		case rho < 1.2:
			z = zF2 // the spalti, the lawns around the walls
		case l.industry(pt, noise) == "D1":
			z = zD1
		case l.industry(pt, noise) == "D2":
			z = zD2
		default:
			// Smooth noise shapes the town's edge, a little cell noise roughens it.
			u := l.urban(pt) + 0.16*(valueNoise(pt[0]/700, pt[1]/700)-0.5) + 0.04*(noise-0.5)
			switch {
			case u >= 0.62:
				z = zB1
			case u >= 0.45:
				z = zB2
			case u >= 0.33:
				z = zC1
			case u >= 0.25:
				z = zC2
			default:
				h := l.hills(pt, p.fr)
				switch {
				case h >= 0.75:
					z = zE3
				case h >= 0.4:
					z = zE2
				case l.serchioDistance(pt) < 130 && math.Hypot(pt[0]-l.walls[0], pt[1]-l.walls[1]) < 4500:
					z = zF2 // river park near the city
				default:
					z = zE1
				}
			}
			if z <= zC2 && n2 < 0.06 {
				z = zF1
			} else if z <= zC2 && n2 < 0.08 {
				z = zF2
			}
		}
		codes[c] = z
	}
	return codes
}

// zoneFeature is a polygon with its properties, ready to write.
type zoneFeature struct {
	geom  orb.MultiPolygon // local metres
	props [][2]string
}

// zoningFeatures returns one feature per connected patch of a zone: the union
// of its adjacent cells.
func (p *Plan) zoningFeatures() ([]zoneFeature, error) {
	defs := zoneDefs()
	codes := p.zoneCodes()
	label, n := p.zones.components(codes)
	members := make([][]int, n)
	for c, l := range label {
		if l >= 0 {
			members[l] = append(members[l], c)
		}
	}
	out := make([]zoneFeature, 0, n)
	for k, cells := range members {
		mp, err := p.zones.outline(cells, func(c int) bool { return label[c] == int32(k) })
		if err != nil {
			return nil, err
		}
		d := defs[codes[cells[0]]]
		out = append(out, zoneFeature{geom: mp, props: [][2]string{
			{"zone_code", d.code}, {"zone_class", d.class}, {"description", d.description},
			{"norm_ref", d.normRef}, {"plan", zoningPlan},
		}})
	}
	return out, nil
}

// areaFeatures returns the statistical areas: the historic centre is the
// cells inside the walls, every other cell goes to the nearest frazione or
// quartiere. They tile the same territory as the zoning.
func (p *Plan) areaFeatures() ([]zoneFeature, error) {
	g := p.zones
	places := p.land.places
	codes := make([]int32, g.cells())
	members := make([][]int, len(places))
	for c := range codes {
		codes[c] = -1
		if !p.territory[c] {
			continue
		}
		pt := g.centre(c)
		best := 0
		if !p.land.insideWalls(pt) {
			bestD := math.Inf(1)
			for k := 1; k < len(places); k++ {
				if d := math.Hypot(pt[0]-places[k].lonLat[0], pt[1]-places[k].lonLat[1]); d < bestD {
					best, bestD = k, d
				}
			}
		}
		codes[c] = int32(best)
		members[best] = append(members[best], c)
	}
	var out []zoneFeature
	for k, cells := range members {
		if len(cells) == 0 {
			continue
		}
		mp, err := g.outline(cells, func(c int) bool { return codes[c] == int32(k) })
		if err != nil {
			return nil, err
		}
		out = append(out, zoneFeature{geom: mp, props: [][2]string{
			{"name", places[k].name}, {"code", fmt.Sprintf("LU%02d", k+1)},
		}})
	}
	return out, nil
}

// constraintFeatures returns the overlays: flood hazard bands along the
// Serchio (P3 inside P2), the 150 m landscape band of the river, the
// protected hills in the north and the monumental ring of the walls.
func (p *Plan) constraintFeatures() ([]zoneFeature, error) {
	l := p.land
	var out []zoneFeature
	add := func(g orb.MultiPolygon, code, class, desc, norm, plan string) {
		out = append(out, zoneFeature{geom: g, props: [][2]string{
			{"zone_code", code}, {"zone_class", class}, {"description", desc}, {"norm_ref", norm}, {"plan", plan},
		}})
	}
	p3, err := bandPolygon(l.serchio, 140)
	if err != nil {
		return nil, err
	}
	p2, err := bandPolygon(l.serchio, 480)
	if err != nil {
		return nil, err
	}
	bp, err := bandPolygon(l.serchio, 175) // 150 m from banks of a ~50 m wide river
	if err != nil {
		return nil, err
	}
	add(orb.MultiPolygon{p3}, "P3", "idraulico", "Pericolosità da alluvione elevata (P3) – fiume Serchio", "PGRA, Disciplina di Piano art. 7", floodPlan)
	add(orb.MultiPolygon{p2}, "P2", "idraulico", "Pericolosità da alluvione media (P2) – fiume Serchio", "PGRA, Disciplina di Piano art. 9", floodPlan)
	add(orb.MultiPolygon{bp}, "142c", "paesaggistico", "Fascia di 150 m dalle sponde del fiume Serchio", "D.Lgs. 42/2004 art. 142 c.1 lett. c", landscapePlan)

	// The hills: union of coarse cells in the northern hills.
	g := newCellGrid(p.reg.bound, coarseCell, 0.22, 61.0, rand.New(rand.NewPCG(p.cfg.Seed, saltCoarseGrid)))
	northOf := p.fr.toLocal(orb.Point{0, 43.868})[1]
	var cells []int
	in := make([]bool, g.cells())
	for c := range in {
		pt := g.centre(c)
		if pt[1] > northOf && p.reg.contains(pt) && l.hills(pt, p.fr) >= 0.6 {
			in[c] = true
			cells = append(cells, c)
		}
	}
	if len(cells) > 0 {
		mp, err := g.outline(cells, func(c int) bool { return in[c] })
		if err != nil {
			return nil, err
		}
		add(mp, "136", "paesaggistico", "Colline lucchesi – area di notevole interesse pubblico", "D.Lgs. 42/2004 art. 136", landscapePlan)
	}

	// The walls with their bastions and glacis: a ring with the city as hole.
	outer := l.wallsRing(130, 96)
	inner := l.wallsRing(-30, 96)
	inner.Reverse()
	add(orb.MultiPolygon{{outer, inner}}, "MURA", "monumentale", "Mura urbane di Lucca, baluardi e spalti – bene monumentale", "D.Lgs. 42/2004 art. 10 e art. 136", heritagePlan)
	return out, nil
}

// bandPolygon buffers a polyline by d on each side with mitred joins and flat
// ends: the left offset followed by the reversed right offset. It fails when
// a bend is too sharp for d (the offsets would cross).
func bandPolygon(line orb.LineString, d float64) (orb.Polygon, error) {
	n := len(line)
	if n < 2 {
		return nil, fmt.Errorf("synth: band needs a line of 2 points or more")
	}
	normal := func(a, b orb.Point) orb.Point {
		dx, dy := b[0]-a[0], b[1]-a[1]
		l := math.Hypot(dx, dy)
		return orb.Point{-dy / l, dx / l}
	}
	left := make(orb.Ring, 0, 2*n+1)
	right := make([]orb.Point, 0, n)
	for k := range n {
		var m orb.Point
		scale := d
		switch k {
		case 0:
			m = normal(line[0], line[1])
		case n - 1:
			m = normal(line[n-2], line[n-1])
		default:
			n1, n2 := normal(line[k-1], line[k]), normal(line[k], line[k+1])
			m = orb.Point{n1[0] + n2[0], n1[1] + n2[1]}
			ml := math.Hypot(m[0], m[1])
			if ml < 1e-9 {
				return nil, fmt.Errorf("synth: band: the line turns back at point %d", k)
			}
			m = orb.Point{m[0] / ml, m[1] / ml}
			cos := m[0]*n1[0] + m[1]*n1[1]
			if cos < 0.5 {
				return nil, fmt.Errorf("synth: band: bend at point %d too sharp for %.0f m", k, d)
			}
			scale = d / cos
		}
		left = append(left, orb.Point{line[k][0] + m[0]*scale, line[k][1] + m[1]*scale})
		right = append(right, orb.Point{line[k][0] - m[0]*scale, line[k][1] - m[1]*scale})
	}
	for k := n - 1; k >= 0; k-- {
		left = append(left, right[k])
	}
	left = append(left, left[0])
	if left.Orientation() != orb.CCW {
		left.Reverse()
	}
	if planar.Area(left) == 0 {
		return nil, fmt.Errorf("synth: band: empty polygon")
	}
	return orb.Polygon{left}, nil
}
