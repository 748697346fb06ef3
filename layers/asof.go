package layers

import (
	"fmt"
	"strings"
	"time"

	"github.com/sit-gis/sit/internal/l10n"
)

// Rome is the time zone in which a plain date is read: the day of an
// Italian deed, act or permit (l10n's, the one home of Rome time).
func Rome() *time.Location { return l10n.Rome() }

// ParseAsOf reads the instant a question is asked about ("as of"): an RFC
// 3339 timestamp, or a date (2025-03-31, 31/03/2025) meaning the end of
// that day in Italian time, so that whatever took effect during the day —
// an import, a plan's publication — counts. The instant may not lie in
// the future: nobody knows that state yet.
func ParseAsOf(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	var t time.Time
	var err error
	switch {
	case s == "":
		return time.Time{}, fmt.Errorf("empty date: give YYYY-MM-DD or an RFC 3339 timestamp")
	case strings.ContainsAny(s, "T "):
		t, err = time.Parse(time.RFC3339Nano, strings.Replace(s, " ", "T", 1))
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not an RFC 3339 timestamp (2025-03-31T12:00:00+02:00) nor a date (2025-03-31)", s)
		}
	default:
		d, derr := parseDay(s)
		if derr != nil {
			return time.Time{}, derr
		}
		t = EndOfDay(d)
	}
	if t.After(now) && !sameRomeDay(t, now) {
		return time.Time{}, fmt.Errorf("%s is in the future", s)
	}
	if t.Year() < 1900 {
		return time.Time{}, fmt.Errorf("%s: no data before 1900", s)
	}
	return t, nil
}

// ParseDay reads a calendar date: 2025-03-31 or 31/03/2025.
func ParseDay(s string) (time.Time, error) { return parseDay(strings.TrimSpace(s)) }

func parseDay(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", "02/01/2006", "2/1/2006"} {
		if d, err := time.ParseInLocation(layout, s, Rome()); err == nil {
			return d, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date: give YYYY-MM-DD (or DD/MM/YYYY)", s)
}

// EndOfDay is the last instant of d's day in Italian time.
func EndOfDay(d time.Time) time.Time {
	y, m, day := d.In(Rome()).Date()
	return time.Date(y, m, day+1, 0, 0, 0, 0, Rome()).Add(-time.Microsecond)
}

// StartOfDay is the first instant of d's day in Italian time.
func StartOfDay(d time.Time) time.Time {
	y, m, day := d.In(Rome()).Date()
	return time.Date(y, m, day, 0, 0, 0, 0, Rome())
}

func sameRomeDay(a, b time.Time) bool {
	ay, am, ad := a.In(Rome()).Date()
	by, bm, bd := b.In(Rome()).Date()
	return ay == by && am == bm && ad == bd
}
