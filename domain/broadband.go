package domain

import (
	"math"
	"slices"
	"strings"
)

// Speed bands of the digital-divide dashboard (DESIGN §1), half-open
// intervals of the maximum download speed in Mbit/s:
//
//	"<30"       [0, 30)     below the EU "NGA" threshold
//	"30-100"    [30, 100)   NGA, not ultrafast
//	"100-1000"  [100, 1000) ultrafast
//	">=1000"    [1000, ∞)   gigabit
//
// The thresholds are those of the Digital Agenda targets (30 and 100
// Mbit/s) and of the Gigabit Society target (1 Gbit/s).
const (
	SpeedBandBelow30   = "<30"
	SpeedBand30To100   = "30-100"
	SpeedBand100To1000 = "100-1000"
	SpeedBandGigabit   = ">=1000"
)

// SpeedBands lists the bands slowest first (the reports' and the legends'
// order).
func SpeedBands() []string {
	return []string{SpeedBandBelow30, SpeedBand30To100, SpeedBand100To1000, SpeedBandGigabit}
}

// SpeedBandKey names a band where its symbols cannot go (CSV column
// names, identifiers): "lt30", "30_100", "100_1000", "ge1000"; "" for an
// unknown band.
func SpeedBandKey(band string) string {
	switch band {
	case SpeedBandBelow30:
		return "lt30"
	case SpeedBand30To100:
		return "30_100"
	case SpeedBand100To1000:
		return "100_1000"
	case SpeedBandGigabit:
		return "ge1000"
	}
	return ""
}

// SpeedBandThresholds are the lower bounds of the bands after the first,
// in Mbit/s: the boundary values that the Go and SQL rules must agree on.
func SpeedBandThresholds() []float64 { return []float64{30, 100, 1000} }

// SpeedBand returns the band of a maximum download speed in Mbit/s, or ""
// when the speed is unknown (NaN, infinite or negative). The loader
// computes the same rule in SQL (sit.speed_band, migrations 0003 and 0650);
// layers' TestDerivedBroadbandSQLMatchesGo proves that both agree.
func SpeedBand(maxDownMbps float64) string {
	switch {
	case !knownSpeed(maxDownMbps):
		return ""
	case maxDownMbps < 30:
		return SpeedBandBelow30
	case maxDownMbps < 100:
		return SpeedBand30To100
	case maxDownMbps < 1000:
		return SpeedBand100To1000
	default:
		return SpeedBandGigabit
	}
}

// knownSpeed tells a usable speed from an unknown one (NaN, ±Inf, < 0).
func knownSpeed(mbps float64) bool {
	return !math.IsNaN(mbps) && !math.IsInf(mbps, 0) && mbps >= 0
}

// Area classes of the EU state-aid rules for broadband.
const (
	AreaWhite = "white"
	AreaGrey  = "grey"
	AreaBlack = "black"
)

// AreaClasses lists the classes, least served first.
func AreaClasses() []string { return []string{AreaWhite, AreaGrey, AreaBlack} }

// areaColourWords are the colour words of AreaClassFromColour, by class.
// The loader's SQL (sit.area_class_label) accepts the same words; layers'
// TestDerivedBroadbandSQLMatchesGo reads them from here.
func areaColourWords() map[string][]string {
	return map[string][]string{
		AreaBlack: {"n", "nera", "nero", "black", "area nera"},
		AreaGrey:  {"g", "grigia", "grigio", "grey", "gray", "area grigia"},
		AreaWhite: {"b", "bianca", "bianco", "white", "area bianca"},
	}
}

// AreaColourWords lists every colour word AreaClassFromColour reads.
func AreaColourWords() []string {
	var out []string
	for _, c := range AreaClasses() {
		out = append(out, areaColourWords()[c]...)
	}
	return out
}

// AreaClassFromColour reads an area colour as published by Infratel and by
// regional plans: "n"/"nera"/"black", "g"/"grigia"/"grey"/"gray",
// "b"/"bianca"/"white" (case-insensitive). ok is false for a blank or
// unknown colour: in the Infratel per-address tables a blank colour does
// mean white, but that is the reader's rule for that layout, not a general one.
func AreaClassFromColour(colour string) (class string, ok bool) {
	w := strings.ToLower(strings.TrimSpace(colour))
	for class, words := range areaColourWords() {
		if slices.Contains(words, w) {
			return class, true
		}
	}
	return "", false
}

// AreaClassFromNetworks is the rule of the EU Broadband Guidelines
// (Communication 2013/C 25/01, §§ 75-78, "NGA white, grey and black areas"):
// an area with no NGA network (one delivering at least 30 Mbit/s download)
// present or credibly planned within three years is white, one with a
// single NGA network is grey, one with two or more NGA networks of
// different operators is black. ngaNetworks < 0 means unknown ("").
func AreaClassFromNetworks(ngaNetworks int) string {
	switch {
	case ngaNetworks < 0:
		return ""
	case ngaNetworks == 0:
		return AreaWhite
	case ngaNetworks == 1:
		return AreaGrey
	default:
		return AreaBlack
	}
}

// AreaClass classifies an address or area as white, grey or black.
//
// A recognised colour (AreaClassFromColour) wins: it is the official
// classification of the source. Without one, the class is estimated from
// the maximum download speed, because an address table tells the speed an
// address gets but not how many networks reach it (the quantity the EU
// Guidelines count, see AreaClassFromNetworks):
//
//	white  < 30 Mbit/s          no NGA service: NGA white area
//	grey   30 to < 100 Mbit/s   basic NGA (typically one FTTC network)
//	black  >= 100 Mbit/s        ultrafast service, where in practice several
//	                            operators compete (Italian BUL "cluster A")
//
// The speed rule is a proxy, documented as such in the dashboard. It
// returns "" when neither a colour nor a speed is known (speed NaN or < 0).
func AreaClass(colour string, maxDownMbps float64) string {
	if c, ok := AreaClassFromColour(colour); ok {
		return c
	}
	switch {
	case !knownSpeed(maxDownMbps):
		return ""
	case maxDownMbps < 30:
		return AreaWhite
	case maxDownMbps < 100:
		return AreaGrey
	default:
		return AreaBlack
	}
}

// AGCOMColumns are the columns of an AGCOM "Reportistica per comune" table
// as the importer names them: the comune (ISTAT code, name), addresses and
// households, and those reached by FTTH, per snapshot.
func AGCOMColumns() []string {
	return []string{"pro_com", "comune", "indirizzi", "indirizzi_ftth", "famiglie", "famiglie_ftth", "snapshot"}
}
