package synth

import (
	"context"
	"strings"
	"unicode"

	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/layers"
)

// The street centre-lines of the demo's base map. Roads run along the
// edges of the blocks (colX, rowY are their centrelines). An east–west
// road is cut into the same street segments that number the addresses, so
// each carries the name its house numbers are on; north–south roads carry
// no address and no name. A road is drawn where it serves the comune (see
// servingRuns), one block-wide piece at a time; consecutive pieces join
// into one line.

// streetFeature is one street: its line(s) in local metres, the name as
// people read it on a map ("Via del Fosso"), the name as the addresses
// write it ("VIA DEL FOSSO"), and its kind.
type streetFeature struct {
	lines  orb.MultiLineString
	name   string
	street string
	kind   string // "via": a named street; "strada": an unnamed road
}

// streetFeatures lists the streets: east–west segments north to south,
// west to east, then north–south roads west to east.
func (p *Plan) streetFeatures() []streetFeature {
	ad := p.newAddressing()
	var out []streetFeature
	for road, y := range p.rowY {
		// A piece of the road serves the blocks north and south of it.
		north, south := neighbours(p.rowY, road)
		for s := range ad.segsPerRoad {
			c0, c1 := ad.segSpan(road, s)
			if c0 >= c1 {
				continue
			}
			lines := p.servingRuns(c1-c0, func(i int) orb.Point { return orb.Point{p.colX[c0+i], y} }, orb.Point{0, north - y}, orb.Point{0, south - y})
			if len(lines) == 0 {
				continue
			}
			street, _ := ad.segment(road*ad.segsPerRoad + s)
			out = append(out, streetFeature{lines: lines, name: streetTitle(street), street: street, kind: "via"})
		}
	}
	for c, x := range p.colX {
		west, east := neighbours(p.colX, c)
		lines := p.servingRuns(len(p.rowY)-1, func(i int) orb.Point { return orb.Point{x, p.rowY[i]} }, orb.Point{west - x, 0}, orb.Point{east - x, 0})
		if len(lines) > 0 {
			out = append(out, streetFeature{lines: lines, kind: "strada"})
		}
	}
	return out
}

// neighbours are the roads before and after road i of a grid's roads (the
// road itself at an edge of the grid).
func neighbours(roads []float64, i int) (before, after float64) {
	before, after = roads[i], roads[i]
	if i > 0 {
		before = roads[i-1]
	}
	if i+1 < len(roads) {
		after = roads[i+1]
	}
	return before, after
}

// servingRuns walks the n pieces between the n+1 points at(0..n) and joins
// the consecutive pieces that serve the comune into lines. A piece serves
// it when its middle, or a point of the blocks on either side of it (side1
// and side2 span them), lies inside the boundary: a block keeps the cells
// whose centre is inside, so a road just outside the boundary still leads
// to parcels.
func (p *Plan) servingRuns(n int, at func(i int) orb.Point, side1, side2 orb.Point) orb.MultiLineString {
	serves := func(a, b orb.Point) bool {
		m := orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}
		for _, f := range []float64{0, 0.125, 0.375, 0.625, 0.875} {
			for _, side := range []orb.Point{side1, side2} {
				if p.reg.contains(orb.Point{m[0] + f*side[0], m[1] + f*side[1]}) {
					return true
				}
			}
		}
		return false
	}
	var out orb.MultiLineString
	var run orb.LineString
	for i := range n {
		a, b := at(i), at(i+1)
		if !serves(a, b) {
			if len(run) > 1 {
				out = append(out, run)
			}
			run = nil
			continue
		}
		if len(run) == 0 {
			run = orb.LineString{a}
		}
		run = append(run, b)
	}
	if len(run) > 1 {
		out = append(out, run)
	}
	return out
}

// particles are the words an Italian street name writes in lower case
// inside it ("Via del Fosso", "Traversa I di Via dei Pellegrini").
var particles = map[string]bool{"di": true, "del": true, "dello": true, "della": true, "dei": true, "degli": true, "delle": true,
	"da": true, "dal": true, "dallo": true, "dalla": true, "dai": true, "dagli": true, "dalle": true, "e": true, "a": true,
	"al": true, "allo": true, "alla": true, "ai": true, "agli": true, "alle": true, "in": true, "sul": true, "sulla": true, "per": true, "con": true, "tra": true, "fra": true}

// streetTitle writes a street name as a map shows it: "VIA DELL'ANGELO
// CUSTODE" → "Via dell'Angelo Custode", "LOCALITA' MEATI" → "Località
// Meati" (the registers' apostrophe for a final accent), Roman numerals
// kept ("Traversa II di Via…"), the particles in lower case except first.
func streetTitle(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = titleWord(w, i == 0)
	}
	return strings.Join(words, " ")
}

func titleWord(w string, first bool) string {
	if isRoman(w) {
		return w
	}
	lower := strings.ToLower(w)
	// An elided particle: DELL'ANGELO → dell'Angelo, D'ORO → d'Oro.
	if head, tail, ok := strings.Cut(lower, "'"); ok && tail != "" {
		h := head + "'"
		if first {
			h = capital(h)
		}
		return h + capital(tail)
	}
	// A final accent written as an apostrophe: LOCALITA' → Località.
	if strings.HasSuffix(lower, "'") {
		lower = accented(strings.TrimSuffix(lower, "'"))
	}
	if !first && particles[lower] {
		return lower
	}
	return capital(lower)
}

func capital(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

// accented puts the grave accent on the last vowel (the Italian final
// accent: à, è, ì, ò, ù).
func accented(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if a, ok := map[rune]rune{'a': 'à', 'e': 'è', 'i': 'ì', 'o': 'ò', 'u': 'ù'}[r[len(r)-1]]; ok {
		r[len(r)-1] = a
	}
	return string(r)
}

func isRoman(w string) bool {
	if w == "" {
		return false
	}
	for _, r := range w {
		if !strings.ContainsRune("IVXLC", r) {
			return false
		}
	}
	return true
}

// writeStreets writes the street centre-lines (the demo's base map) in
// lon/lat: name, street and kind; "" name for the unnamed roads.
func (p *Plan) writeStreets(ctx context.Context, lf *layerFiles, what string, file fileFunc) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w, err := lf.open(LayerStreets + ".geojsonl")
	if err != nil {
		return err
	}
	for k, f := range p.streetFeatures() {
		g := make(orb.MultiLineString, len(f.lines))
		for i, l := range f.lines {
			g[i] = make(orb.LineString, len(l))
			for j, pt := range l {
				g[i][j] = p.fr.toLonLat(pt)
			}
		}
		b := w.begin(int64(k + 1))
		b = appendGeometry(b, g)
		b = propString(b, true, "name", f.name)
		b = propString(b, false, "street", f.street)
		b = propString(b, false, "kind", f.kind)
		if err := w.end(b); err != nil {
			return err
		}
	}
	if err := w.close(); err != nil {
		return err
	}
	file(w, LayerStreets, layers.KindGeneric, "Stradario (sintetico, nomi reali)",
		"SYNTHETIC street centre-lines along the road corridors of the synthetic parcels, for the demo's base map: "+what+
			". Each east–west street carries the real Lucca street name its synthetic house numbers are on (name as on a map, street as in the addresses); north–south roads carry no address and no name.",
		attribStreets, "")
	return nil
}
