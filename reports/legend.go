package reports

import (
	"sort"
	"strings"

	"github.com/sit-gis/sit/domain"
)

// LegendGroup tells where a legend entry stands to the parcel.
type LegendGroup int

const (
	// Touches: the zone or constraint covers part of the parcel beyond the
	// border-effect thresholds; it is in the report's tables.
	Touches LegendGroup = iota
	// Nearby: it is only in the map frame around the parcel, or touches
	// the parcel by a border effect only.
	Nearby
)

// Title heads the group in the legend.
func (g LegendGroup) Title() string {
	if g == Touches {
		return "Interessano la particella"
	}
	return "Solo nelle vicinanze (nella mappa) o per effetto di bordo"
}

// LegendItem is one entry of a report map's legend.
type LegendItem struct {
	Layer, Code, Class, Label string
	Constraint                bool
	// BorderEffect: it touches the parcel below the thresholds.
	BorderEffect bool
	Group        LegendGroup
	Colour       [3]int
	// Hatch indexes the hatch angle of a constraint.
	Hatch int
}

// Text is the entry's line, the same in the HTML and the PDF: "Zona E3
// (classe E) – Zona agricola", "Vincolo P3 – Pericolosità elevata".
func (it LegendItem) Text() string {
	var b strings.Builder
	if it.Constraint {
		b.WriteString("Vincolo")
	} else {
		b.WriteString("Zona")
	}
	if it.Code != "" {
		b.WriteString(" " + it.Code)
	}
	if it.Class != "" && !it.Constraint {
		b.WriteString(" (classe " + it.Class + ")")
	} else if it.Class != "" {
		b.WriteString(" (" + it.Class + ")")
	}
	if it.Label != "" {
		b.WriteString(" – " + it.Label)
	}
	if it.BorderEffect {
		b.WriteString(" – effetto di bordo")
	}
	return b.String()
}

// LegendSection is one group of the legend with its entries.
type LegendSection struct {
	Title string
	Items []LegendItem
}

// Sections groups the legend for drawing: what touches the parcel first,
// empty groups left out.
func (m *MapData) Sections() []LegendSection {
	var out []LegendSection
	for _, g := range []LegendGroup{Touches, Nearby} {
		s := LegendSection{Title: g.Title()}
		for _, it := range m.Legend {
			if it.Group == g {
				s.Items = append(s.Items, it)
			}
		}
		if len(s.Items) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// buildLegend lists every zone and constraint the map shows, each once:
// first those that touch the parcel (the tables' rows), then the others;
// zones before constraints, in code order. Colours come from the palette
// the map uses: a zone's class colour, the codes of one class in distinct
// shades of it; constraints in the map's constraint colour, told apart by
// their hatch.
func buildLegend(m *MapData, pr ParcelReport) []LegendItem {
	touches, border := map[string]bool{}, map[string]bool{}
	key := func(layer, code string) string { return layer + "\x00" + code }
	for _, ps := range [][]Piece{pr.Zoning, pr.Constraints, pr.Adopted} {
		for _, p := range ps {
			touches[key(p.Layer, p.ZoneCode)] = true
		}
	}
	for _, ps := range [][]Piece{pr.ZoningBorder, pr.ConstraintsBorder} {
		for _, p := range ps {
			border[key(p.Layer, p.ZoneCode)] = true
		}
	}
	seen := map[string]bool{}
	var items []LegendItem
	for _, x := range []struct {
		fs         []MapFeature
		constraint bool
	}{{m.Zones, false}, {m.Constraints, true}} {
		for _, f := range x.fs {
			k := key(f.Layer, f.Code)
			if seen[k] {
				continue
			}
			seen[k] = true
			it := LegendItem{Layer: f.Layer, Code: f.Code, Class: f.Class, Label: f.Label, Constraint: x.constraint, Group: Nearby}
			if touches[k] {
				it.Group = Touches
			} else if border[k] {
				it.BorderEffect = true
			}
			items = append(items, it)
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		if a.Constraint != b.Constraint {
			return !a.Constraint
		}
		return a.Code < b.Code
	})
	hatch, inClass := 0, map[string]int{}
	for i := range items {
		if items[i].Constraint {
			items[i].Colour, items[i].Hatch = domain.RGB(domain.ColorConstraint), hatch
			hatch++
			continue
		}
		c := items[i].Class
		items[i].Colour = domain.RGB(domain.Shade(domain.ZoneClassLegend().Color(c), inClass[c]))
		inClass[c]++
	}
	return items
}

// hatchAngle is the hatch direction of the i-th constraint, degrees.
func hatchAngle(i int) float64 {
	a := []float64{45, -45, 0, 90, 22.5, -67.5, 67.5, -22.5}
	return a[i%len(a)]
}

// legendItem finds the legend entry of a feature.
func legendItem(legend []LegendItem, f MapFeature, constraint bool) LegendItem {
	for _, it := range legend {
		if it.Constraint == constraint && it.Layer == f.Layer && it.Code == f.Code {
			return it
		}
	}
	if constraint {
		return LegendItem{Colour: domain.RGB(domain.ColorConstraint), Constraint: true}
	}
	return LegendItem{Colour: domain.RGB(domain.ZoneClassLegend().Color(f.Class))}
}

// SheetLegendText is the legend's line for the fogli, the same in the
// HTML and the PDF.
const SheetLegendText = "Foglio catastale (limite e numero)"
