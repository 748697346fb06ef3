package query

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// parseBBoxValue reads 4 or 6 numbers in the CRS's axis order and returns
// minx, miny, maxx, maxy in x/y order. Every coordinate must lie within
// the CRS's limits. In a geographic CRS a box whose west edge is east of
// its east edge crosses the antimeridian (OGC API Features allows it); in
// a projected one it is an error.
func parseBBoxValue(v string, c CRS) ([]float64, error) {
	parts := strings.Split(v, ",")
	if len(parts) != 4 && len(parts) != 6 {
		return nil, bad("bbox", "needs 4 (or 6) comma-separated numbers, got %d", len(parts))
	}
	nums := make([]float64, len(parts))
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, bad("bbox", "%q is not a number", clip(p))
		}
		nums[i] = f
	}
	if len(nums) == 6 {
		nums = []float64{nums[0], nums[1], nums[3], nums[4]}
	}
	if c.LatLon {
		nums = []float64{nums[1], nums[0], nums[3], nums[2]}
	}
	for i, n := range nums {
		lo, hi := c.Limits[i%2], c.Limits[2+i%2]
		if n < lo || n > hi {
			return nil, bad("bbox", "%s %g is outside the limits of %s (%g to %g)", axisName(c, i%2), n, c.URI, lo, hi)
		}
	}
	if nums[1] > nums[3] {
		return nil, bad("bbox", "the lower %s (%g) is above the upper (%g)", axisName(c, 1), nums[1], nums[3])
	}
	if nums[0] > nums[2] && !c.Geographic() {
		return nil, bad("bbox", "the lower %s (%g) is above the upper (%g)", axisName(c, 0), nums[0], nums[2])
	}
	return nums, nil
}

// bboxParts splits a box across the antimeridian into its two sides.
func bboxParts(b []float64) [][4]float64 {
	if b[0] <= b[2] {
		return [][4]float64{{b[0], b[1], b[2], b[3]}}
	}
	return [][4]float64{{b[0], b[1], 180, b[3]}, {-180, b[1], b[2], b[3]}}
}

func axisName(c CRS, i int) string {
	switch {
	case c.Geographic() && i == 0:
		return "longitude"
	case c.Geographic():
		return "latitude"
	case i == 0:
		return "easting"
	}
	return "northing"
}

// parseDatetimeValue reads an instant or an interval (RFC 3339 dates or
// date-times; an open end is ".." or empty). An open instant and an
// interval open at both ends select nothing out and are refused.
func parseDatetimeValue(v string) (*TimeInterval, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, bad("datetime", "empty")
	}
	a, b, isInterval := strings.Cut(v, "/")
	var iv TimeInterval
	var err error
	if iv.Start, iv.StartDate, err = datetimeEnd(a); err != nil {
		return nil, err
	}
	if !isInterval {
		if iv.Start == nil {
			return nil, bad("datetime", "an instant cannot be open ('..')")
		}
		iv.End, iv.EndDate = iv.Start, iv.StartDate
		return &iv, nil
	}
	if iv.End, iv.EndDate, err = datetimeEnd(b); err != nil {
		return nil, err
	}
	switch {
	case iv.Start == nil && iv.End == nil:
		return nil, bad("datetime", "an interval open at both ends ('../..') selects nothing; leave datetime out")
	case iv.Start != nil && iv.End != nil && iv.End.Before(*iv.Start):
		return nil, bad("datetime", "the interval ends before it starts")
	}
	return &iv, nil
}

// datetimeEnd reads one end of an interval: nil for an open one.
func datetimeEnd(s string) (*time.Time, bool, error) {
	if s == ".." || s == "" {
		return nil, false, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return &t, true, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil, false, bad("datetime", "%q is not an RFC 3339 date or date-time (e.g. 2024-05-01 or 2024-05-01T12:00:00Z), nor '..'", clip(s))
	}
	return &t, false, nil
}
