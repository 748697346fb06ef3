package reports

import (
	"fmt"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/internal/l10n"
)

// numIT writes a number the Italian way: 1.234,56 (l10n is the one home
// of the rule).
func numIT(v float64, decimals int) string { return l10n.It.Number(v, decimals) }

// intIT writes an integer with Italian thousands separators.
func intIT(v int64) string { return l10n.It.Int(v) }

// dateIT writes a date as dd/mm/yyyy in Italian local time, "–" when
// there is none.
func dateIT(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "–"
	}
	return l10n.It.Date(*t)
}

// dateTimeIT writes an instant in Italian local time with its zone:
// "15/01/2026 11:30 CET".
func dateTimeIT(t time.Time) string { return l10n.It.DateTime(t) }

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
	for _, r := range rings(g) {
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
	return b.String()
}

// rings lists every ring of a polygonal geometry, exteriors and holes,
// polygon by polygon: what a map draws (its fill rule makes the holes).
// Other geometries have none.
func rings(g orb.Geometry) []orb.Ring {
	switch g := g.(type) {
	case orb.Polygon:
		return g
	case orb.MultiPolygon:
		var out []orb.Ring
		for _, p := range g {
			out = append(out, p...)
		}
		return out
	}
	return nil
}

func rgb(c [3]int) string { return fmt.Sprintf("rgb(%d,%d,%d)", c[0], c[1], c[2]) }

// scaleBar picks a round length near a fifth of the map width.
func scaleBar(width float64) float64 { return l10n.RoundLength(width / 5) }
