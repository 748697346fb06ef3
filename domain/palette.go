package domain

import (
	"fmt"
	"math"
	"strconv"
)

// The one table of colours and legend labels. The MapLibre style
// (tiles/style.go), the viewer (which reads it from the style's metadata,
// "sit:palette"), the HTML report and the PDF all take their colours from
// here, so that a zone class or a speed band looks the same everywhere.

// Entry is one line of a legend: a value of a property, what it means (in
// Italian; the viewer translates by value) and its colour (#rrggbb).
type Entry struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Color string `json:"color"`
}

// Legend is the legend of one property: its entries in order, and the
// colour of any other value (or none).
type Legend struct {
	Property string  `json:"property"`
	Entries  []Entry `json:"entries"`
	Other    string  `json:"other"`
}

// Color returns the colour of value v, Other when the legend lacks it.
func (l Legend) Color(v string) string {
	for _, e := range l.Entries {
		if e.Value == v {
			return e.Color
		}
	}
	return l.Other
}

// Single colours of the map.
const (
	ColorOther       = "#bdbdbd" // a value no legend lists, or none
	ColorBackground  = "#f2efe9" // the map's paper
	ColorConstraint  = "#b2182b" // constraint overlays (dashed outline, light fill, hatches in reports)
	ColorZoneLine    = "#6e6e6e" // zone outlines
	ColorParcelLine  = "#4d4d4d" // parcel outlines
	ColorSheetLine   = "#8c510a" // cadastral sheet (foglio) outlines and numbers in the reports' maps
	ColorBoundary    = "#5e3c99" // administrative boundaries
	ColorAddress     = "#636363" // address points
	ColorGenericFill = "#3182bd" // layers of no known kind: areas
	ColorGenericLine = "#08519c" // layers of no known kind: lines and points
	ColorNoData      = "#e0e0e0" // a choropleth area without figures
	ColorLabel       = "#333333" // label text
	ColorHalo        = "#ffffff" // label halo, outlines on colour
	ColorStreet      = "#ffffff" // streets of the base map (role streets)
	ColorStreetEdge  = "#a8a295" // their edges (casing)
	ColorHouseNumber = "#1f5a96" // house numbers, told apart from the particella numbers
	ColorBasemapFill = "#e4e0d8" // areas of a vector --basemap archive without a style, drawn as a quiet backdrop
	ColorBasemapLine = "#c9c3b8" // its lines
)

// ZoneClassLegend is the zoning palette by DM 1444/68 class, chosen to be
// told apart in a legend and close to the Italian planning convention:
// historic centre red, completion orange, expansion yellow, industry
// violet, agriculture green, public services blue.
func ZoneClassLegend() Legend {
	return Legend{Property: "zone_class", Other: ColorOther, Entries: []Entry{
		{"A", "A – centro storico", "#d7301f"},
		{"B", "B – completamento", "#fc8d59"},
		{"C", "C – espansione", "#fee08b"},
		{"D", "D – produttive", "#9e9ac8"},
		{"E", "E – agricole", "#a1d99b"},
		{"F", "F – servizi e attrezzature", "#6baed6"},
	}}
}

// SpeedBandLegend is the broadband palette, slow (red) to fast (blue).
func SpeedBandLegend() Legend {
	return Legend{Property: "speed_band", Other: ColorOther, Entries: []Entry{
		{SpeedBandBelow30, "< 30 Mbit/s", "#d73027"},
		{SpeedBand30To100, "30–100 Mbit/s", "#fc8d59"},
		{SpeedBand100To1000, "100–1000 Mbit/s", "#91bfdb"},
		{SpeedBandGigabit, "≥ 1 Gbit/s", "#4575b4"},
	}}
}

// AreaClassLegend draws the EU white, grey and black areas as they are named.
func AreaClassLegend() Legend {
	return Legend{Property: "area_class", Other: ColorOther, Entries: []Entry{
		{AreaWhite, "area bianca", "#f7f7f7"},
		{AreaGrey, "area grigia", "#969696"},
		{AreaBlack, "area nera", "#252525"},
	}}
}

// Step is a class of a continuous value: from From (inclusive) up to the
// next step's From.
type Step struct {
	From  float64 `json:"from"`
	Color string  `json:"color"`
}

// StepLegend classes a continuous value.
type StepLegend struct {
	Property string  `json:"property"`
	Unit     string  `json:"unit"`
	Max      float64 `json:"max"`
	Steps    []Step  `json:"steps"`
	NoData   string  `json:"no_data"`
}

// FTTHShareLegend classes the share of addresses reached by fibre to the
// home (AGCOM per comune), in %, in five equal classes.
func FTTHShareLegend() StepLegend {
	return StepLegend{Property: "ftth_share", Unit: "%", Max: 100, NoData: ColorNoData, Steps: []Step{
		{0, "#f1eef6"}, {20, "#bdc9e1"}, {40, "#74a9cf"}, {60, "#2b8cbe"}, {80, "#045a8d"},
	}}
}

// Color returns the colour of value v, NoData for NaN.
func (l StepLegend) Color(v float64) string {
	if math.IsNaN(v) || len(l.Steps) == 0 {
		return l.NoData
	}
	c := l.Steps[0].Color
	for _, s := range l.Steps {
		if v >= s.From {
			c = s.Color
		}
	}
	return c
}

// Palette is the table as the viewer reads it (the style's "sit:palette").
type Palette struct {
	Kinds     []Kind            `json:"kinds"`
	DrawOrder []Kind            `json:"draw_order"`
	Legends   []Legend          `json:"legends"`
	FTTHShare StepLegend        `json:"ftth_share"`
	Colors    map[string]string `json:"colors"`
}

// ThePalette returns the whole table.
func ThePalette() Palette {
	return Palette{
		Kinds: Kinds(), DrawOrder: DrawOrder(),
		Legends:   []Legend{ZoneClassLegend(), SpeedBandLegend(), AreaClassLegend()},
		FTTHShare: FTTHShareLegend(),
		Colors: map[string]string{
			"other": ColorOther, "background": ColorBackground, "constraint": ColorConstraint,
			"zone_line": ColorZoneLine, "parcel_line": ColorParcelLine, "boundary": ColorBoundary,
			"address": ColorAddress, "generic_fill": ColorGenericFill, "generic_line": ColorGenericLine,
			"no_data": ColorNoData, "label": ColorLabel, "halo": ColorHalo,
			"street": ColorStreet, "street_edge": ColorStreetEdge, "house_number": ColorHouseNumber,
			"basemap_fill": ColorBasemapFill, "basemap_line": ColorBasemapLine, "sheet_line": ColorSheetLine,
		},
	}
}

// RGB reads "#rrggbb"; anything else is mid grey.
func RGB(hex string) [3]int {
	if len(hex) != 7 || hex[0] != '#' {
		return [3]int{128, 128, 128}
	}
	var c [3]int
	for i := range c {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			return [3]int{128, 128, 128}
		}
		c[i] = int(v)
	}
	return c
}

// Hex writes a colour as "#rrggbb".
func Hex(c [3]int) string { return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2]) }

// shadeSteps are the tints of Shade: the base colour, then alternately
// darker (towards black) and lighter (towards white) in steps large
// enough to be told apart in a 5 mm legend swatch.
func shadeSteps() [ShadeCount]float64 {
	return [ShadeCount]float64{0, -0.3, 0.45, -0.5, 0.78, -0.68}
}

// ShadeCount is how many distinct shades Shade gives before it repeats.
const ShadeCount = 6

// Shade returns the k-th shade of a colour (k = 0 is the colour itself).
// The reports give the zone codes of one class (E1, E2, E3) successive
// shades of the class colour, so that each zone has its own swatch and
// its class is still read at a glance.
func Shade(hex string, k int) string {
	f := shadeSteps()[((k%ShadeCount)+ShadeCount)%ShadeCount]
	c := RGB(hex)
	for i := range c {
		v := float64(c[i])
		if f < 0 {
			v *= 1 + f
		} else {
			v += (255 - v) * f
		}
		c[i] = int(math.Round(v))
	}
	return Hex(c)
}
