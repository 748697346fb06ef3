package crs

import (
	"fmt"
	"strconv"
	"strings"
)

// Box is a bounding box: west, south, east, north. In lon/lat unless said.
type Box struct{ W, S, E, N float64 }

// Italy is where SIT expects its data by default: the Italian territory
// (Lampedusa to the Vetta d'Italia, Sardinia to Otranto) with a margin of
// about half a degree. Imports outside it are warned about.
func Italy() Box { return Box{W: 6.0, S: 35.0, E: 19.0, N: 47.6} }

// ParseBox reads "W,S,E,N" (lon/lat degrees).
func ParseBox(s string) (Box, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return Box{}, fmt.Errorf("%q: want W,S,E,N in degrees (e.g. 10.2,43.7,10.7,44.0)", s)
	}
	var v [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return Box{}, fmt.Errorf("%q: %q is not a number", s, p)
		}
		v[i] = f
	}
	b := Box{W: v[0], S: v[1], E: v[2], N: v[3]}
	if b.W >= b.E || b.S >= b.N || b.W < -180 || b.E > 180 || b.S < -90 || b.N > 90 {
		return Box{}, fmt.Errorf("%q: want W < E and S < N within -180…180, -90…90", s)
	}
	return b, nil
}

// Contains tells whether o lies entirely inside b.
func (b Box) Contains(o Box) bool { return o.W >= b.W && o.E <= b.E && o.S >= b.S && o.N <= b.N }

// Intersects tells whether o and b overlap.
func (b Box) Intersects(o Box) bool { return o.W <= b.E && o.E >= b.W && o.S <= b.N && o.N >= b.S }

// Swapped exchanges the axes: x becomes y.
func (b Box) Swapped() Box { return Box{W: b.S, S: b.W, E: b.N, N: b.E} }

// String writes the box as a user reads it: lon W…E, lat S…N.
func (b Box) String() string {
	return fmt.Sprintf("lon %s…%s, lat %s…%s", deg(b.W), deg(b.E), deg(b.S), deg(b.N))
}

// Plain writes the box as "x W…E, y S…N", for coordinates of unknown meaning.
func (b Box) Plain() string {
	return fmt.Sprintf("x %s…%s, y %s…%s", num(b.W), num(b.E), num(b.S), num(b.N))
}

func deg(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }

func num(v float64) string {
	if v == float64(int64(v)) || v > 1000 || v < -1000 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 7, 64)
}

// Guess is a CRS that projected coordinates could be in.
type Guess struct {
	EPSG int    // 0 for a family without one code
	Name string // what it is, for the user
}

// GuessItalian says which of the CRSs used in Italy could have produced
// coordinates spanning b (metres), from the ranges each takes over Italy.
// It is a hint for a message, not a decision: the ranges overlap.
func GuessItalian(b Box) []Guess {
	in := func(lo, hi float64, vals ...float64) bool {
		for _, v := range vals {
			if v < lo || v > hi {
				return false
			}
		}
		return true
	}
	var out []Guess
	italyN := in(3_900_000, 5_300_000, b.S, b.N)
	if italyN && in(1_150_000, 1_900_000, b.W, b.E) {
		out = append(out, Guess{3003, "Monte Mario / Gauss-Boaga fuso Ovest"})
	}
	if italyN && in(2_200_000, 2_900_000, b.W, b.E) {
		out = append(out, Guess{3004, "Monte Mario / Gauss-Boaga fuso Est"})
	}
	if italyN && in(150_000, 950_000, b.W, b.E) {
		out = append(out,
			Guess{7791, "RDN2008 / UTM zone 32N, west of 12°E (or 25832 ETRS89, 32632 WGS 84)"},
			Guess{7792, "RDN2008 / UTM zone 33N, east of 12°E (or 25833 ETRS89, 32633 WGS 84)"})
	}
	if in(4_100_000, 6_100_000, b.S, b.N) && in(650_000, 2_200_000, b.W, b.E) {
		out = append(out, Guess{3857, "WGS 84 / Pseudo-Mercator (web maps)"})
	}
	if in(-200_000, 200_000, b.W, b.E, b.S, b.N) {
		out = append(out, Guess{0, "a local cadastral Cassini-Soldner system (give it as a PROJ string)"})
	}
	return out
}

// EquivalentEPSG tells whether two EPSG codes name the same coordinates as
// files store them: RDN2008 / UTM has a northing-first code (6707, 6708,
// 6875) and an easting-first one (7791, 7792, 7794) for the same
// projection, and files always store easting first.
func EquivalentEPSG(a, b int) bool {
	if a == b {
		return true
	}
	pairs := [][2]int{{6707, 7791}, {6708, 7792}, {6875, 7794}}
	for _, p := range pairs {
		if (a == p[0] && b == p[1]) || (a == p[1] && b == p[0]) {
			return true
		}
	}
	return false
}

// Suggestion words GuessItalian(b) for a message: "--srid 3003 (Monte
// Mario / Gauss-Boaga fuso Ovest), or …"; "" when no CRS fits.
func Suggestion(b Box) string {
	var gs []string
	for _, g := range GuessItalian(b) {
		if g.EPSG != 0 {
			gs = append(gs, fmt.Sprintf("--srid %d (%s)", g.EPSG, g.Name))
		} else {
			gs = append(gs, g.Name)
		}
	}
	return strings.Join(gs, ", or ")
}
