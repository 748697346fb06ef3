// Package l10n is the one home of how SIT writes numbers, dates and times
// for people, in the languages its pages speak (Italian first, English):
// the zoning report, the OGC API HTML pages and the command line read it,
// so that an area or a date looks the same everywhere.
package l10n

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/Rome without the host's zoneinfo
)

// Lang is a language SIT writes pages in.
type Lang string

const (
	It Lang = "it" // the default: SIT's users are Italian offices
	En Lang = "en"
)

// Langs lists the languages, the default first.
func Langs() []Lang { return []Lang{It, En} }

// Codes are the languages' codes, the default first: what a page offers
// to content negotiation (?lang=, Accept-Language).
func Codes() []string { return []string{string(It), string(En)} }

// Parse reads a language code ("it", "EN"); false for one SIT does not speak.
func Parse(s string) (Lang, bool) {
	for _, l := range Langs() {
		if strings.EqualFold(s, string(l)) {
			return l, true
		}
	}
	return "", false
}

// separators are the decimal mark and the thousands separator.
func (l Lang) separators() (decimal, group byte) {
	if l == En {
		return '.', ','
	}
	return ',', '.'
}

// Number writes v with the given decimals, grouped by thousands from four
// digits on ("1.979", "10.760", "3.858,57" in Italian; "3,858.57" in
// English). CLDR's Italian rule leaves four-digit numbers ungrouped; SIT
// groups every number the same way so that a column of figures reads
// evenly. NaN and infinities are a dash.
func (l Lang) Number(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	dec, grp := l.separators()
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(grp)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte(dec)
		b.WriteString(frac)
	}
	return b.String()
}

// Int writes an integer grouped by thousands.
func (l Lang) Int(v int64) string { return l.Number(float64(v), 0) }

// Decimal writes v with at most maxDecimals decimals, without trailing
// zeros: for numbers of no known unit, whose precision the data decide.
func (l Lang) Decimal(v float64, maxDecimals int) string {
	s := l.Number(v, maxDecimals)
	dec, _ := l.separators()
	if strings.IndexByte(s, dec) < 0 {
		return s
	}
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, string(dec))
	if s == "-0" {
		s = "0"
	}
	return s
}

// Rome is the time zone of every date and time SIT writes for people
// (the tz database is embedded, so a host without one gives the same
// answer).
func Rome() *time.Location { return rome() }

// rome loads the zone once; it never changes while the process runs.
var rome = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		return time.UTC
	}
	return loc
})

// Date writes a day: 15/01/2026 in Italian, 2026-01-15 in English (ISO:
// neither the British nor the American order is assumed).
func (l Lang) Date(t time.Time) string {
	if l == En {
		return t.In(Rome()).Format(time.DateOnly)
	}
	return t.In(Rome()).Format("02/01/2006")
}

// CalendarDate writes a date that has no time zone (a snapshot date, a
// date column): the same day whatever the zone.
func (l Lang) CalendarDate(t time.Time) string {
	if l == En {
		return t.Format(time.DateOnly)
	}
	return t.Format("02/01/2006")
}

// DateTime writes an instant in Italian local time with its zone:
// "15/01/2026 11:30 CET" ("2026-01-15 11:30 CET" in English).
func (l Lang) DateTime(t time.Time) string {
	if l == En {
		return t.In(Rome()).Format("2006-01-02 15:04 MST")
	}
	return t.In(Rome()).Format("02/01/2006 15:04 MST")
}

// RoundLength is the round length (1, 2, 2.5 or 5 times a power of ten
// metres) at or just above target: the length of a scale bar about target
// long.
func RoundLength(target float64) float64 {
	if !(target > 0) || math.IsInf(target, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(target)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= target*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// Length writes a length in metres for a scale bar or a measure: metres
// below a kilometre, kilometres from one ("250 m", "1,5 km").
func (l Lang) Length(m float64) string {
	if math.Abs(m) >= 1000 {
		return l.Decimal(m/1000, 2) + " km"
	}
	return l.Decimal(m, 1) + " m"
}
