package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Rome without the host's zoneinfo

	"github.com/paulmach/orb"
)

// numIT writes a number the Italian way: 1.234,56.
func numIT(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// intIT writes an integer with Italian thousands separators.
func intIT(v int64) string { return numIT(float64(v), 0) }

// rome is the time zone of the reports' dates and times: Italian local
// time (the tz database is embedded, so a host without one gives the same
// answer). Loaded once: a load reads the zone file.
var rome = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		return time.UTC
	}
	return loc
})

// dateIT writes a date as dd/mm/yyyy in Italian local time, "–" when
// there is none.
func dateIT(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "–"
	}
	return t.In(rome()).Format("02/01/2006")
}

// dateTimeIT writes an instant in Italian local time with its zone:
// "15/01/2026 11:30 CET".
func dateTimeIT(t time.Time) string { return t.In(rome()).Format("02/01/2006 15:04 MST") }

// comuneIT names a comune with its code: "Lucca (E715)", the code alone
// when the name is unknown, "–" when there is neither.
func comuneIT(name, code string) string {
	switch {
	case name != "" && code != "":
		return name + " (" + code + ")"
	case code != "":
		return code
	}
	return "–"
}

// svgPath writes a polygonal geometry as an SVG path in the map frame
// (y flipped: SVG's y grows downwards).
func svgPath(g orb.Geometry) string {
	var b strings.Builder
	ring := func(r orb.Ring) {
		for i, p := range r {
			if i == 0 {
				b.WriteString("M")
			} else {
				b.WriteString("L")
			}
			fmt.Fprintf(&b, "%.2f %.2f", p[0], -p[1])
		}
		b.WriteString("Z")
	}
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			ring(r)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				ring(r)
			}
		}
	}
	return b.String()
}

func rgb(c [3]int) string { return fmt.Sprintf("rgb(%d,%d,%d)", c[0], c[1], c[2]) }

// scaleBar picks a round length near a fifth of the map width.
func scaleBar(width float64) float64 {
	target := width / 5
	for _, v := range []float64{1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000} {
		if v >= target {
			return v
		}
	}
	return 10000
}
