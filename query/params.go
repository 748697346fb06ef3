package query

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sit-gis/sit/internal/problem"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/query/cql2"
)

// ItemsRequest is a parsed, validated /items request.
type ItemsRequest struct {
	Layer layers.Layer
	Limit int
	// LimitClamped is set when the client asked for more than MaxLimit.
	LimitClamped bool
	Offset       int64
	// After and Before are key-paging cursors: the fid after (before) which
	// the page starts. At most one is set.
	After, Before string
	// BBox is minx, miny, maxx, maxy in BBoxCRS, already in x/y order.
	BBox     []float64
	BBoxCRS  CRS
	Datetime *TimeInterval
	// Props is the subset of properties to return; nil means all.
	Props        []string
	SkipGeometry bool
	SortBy       []SortKey
	Filter       cql2.Node
	FilterCRS    CRS
	Equals       []Equality
	CRS          CRS
}

// TimeInterval is a datetime parameter; a nil end is open.
type TimeInterval struct {
	Start, End *time.Time
	// StartDate/EndDate mark ends given as dates (a whole day).
	StartDate, EndDate bool
}

// SortKey is one sortby term.
type SortKey struct {
	Property string
	Desc     bool
}

// Equality is a queryable given as a plain query parameter (?foglio=37).
type Equality struct {
	Property layers.Property
	Values   []string
}

// filtered reports whether the request selects a subset of the layer.
func (q ItemsRequest) filtered() bool {
	return q.BBox != nil || q.Datetime != nil || q.Filter != nil || len(q.Equals) > 0
}

// standardParams are the query parameters of /items besides the queryables.
var standardParams = []string{"f", "limit", "offset", "after", "before", "bbox", "bbox-crs", "crs", "datetime",
	"properties", "skipGeometry", "sortby", "filter", "filter-lang", "filter-crs"}

// maxParamLength bounds any single parameter except filter.
const maxParamLength = 4096

func bad(param, format string, args ...any) *problem.Problem {
	return problem.BadParameter(param, fmt.Sprintf(format, args...))
}

// ParseItems validates the query of an /items request against the layer.
// Every error is a *problem.Problem naming the parameter.
func (s *Service) ParseItems(l layers.Layer, q url.Values) (ItemsRequest, error) {
	req := ItemsRequest{Layer: l, Limit: s.opt.DefaultLimit, CRS: CRS84, BBoxCRS: CRS84, FilterCRS: CRS84}
	var unknown []string
	for k, vs := range q {
		if slices.Contains(standardParams, k) {
			if len(vs) > 1 {
				return req, bad(k, "given %d times; give it once", len(vs))
			}
			if k != "filter" && len(vs[0]) > maxParamLength {
				return req, bad(k, "too long (%d bytes, at most %d)", len(vs[0]), maxParamLength)
			}
			continue
		}
		p, ok := l.Property(k)
		if !ok || !p.Queryable {
			unknown = append(unknown, k)
			continue
		}
		for _, v := range vs {
			if len(v) > maxParamLength {
				return req, bad(k, "too long (%d bytes, at most %d)", len(v), maxParamLength)
			}
			if err := checkValue(p, v); err != nil {
				return req, bad(k, "%v", err)
			}
		}
		req.Equals = append(req.Equals, Equality{Property: p, Values: vs})
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return req, bad(unknown[0], "unknown parameter %s: not a standard parameter nor a queryable of collection %s (see /collections/%s/queryables)",
			quoteList(unknown), l.Name, l.Name)
	}
	sort.Slice(req.Equals, func(i, j int) bool { return req.Equals[i].Property.Name < req.Equals[j].Property.Name })

	if v := q.Get("limit"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		switch {
		case errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(v, "-"):
			n = math.MaxInt64
		case err != nil:
			return req, bad("limit", "%q is not an integer", clip(v))
		case n < 1:
			return req, bad("limit", "must be at least 1, got %d", n)
		}
		if n > int64(s.opt.MaxLimit) {
			req.Limit, req.LimitClamped = s.opt.MaxLimit, true
		} else {
			req.Limit = int(n)
		}
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return req, bad("offset", "must be an integer from 0 to %d, got %q", int64(math.MaxInt64), clip(v))
		}
		req.Offset = n
	}
	after, before := q.Get("after"), q.Get("before")
	if after != "" && before != "" {
		return req, bad("before", "give after or before, not both")
	}
	for _, c := range []struct{ name, v string }{{"after", after}, {"before", before}} {
		if c.v == "" {
			continue
		}
		if l.FIDType == layers.TypeInteger {
			if _, err := strconv.ParseInt(c.v, 10, 64); err != nil {
				return req, bad(c.name, "%q is not a feature id of this collection (an integer)", clip(c.v))
			}
		}
	}
	req.After, req.Before = after, before
	if q.Has("sortby") && (after != "" || before != "") {
		return req, bad("sortby", "cannot be combined with key paging (after/before); page sorted results with offset")
	}

	var err error
	if v := q.Get("crs"); v != "" {
		c, ok := lookupCRS(v)
		if !ok {
			return req, bad("crs", "%q is not offered; use one of %s", clip(v), strings.Join(CRSURIs(), ", "))
		}
		req.CRS = c
	}
	if v := q.Get("bbox-crs"); v != "" {
		c, ok := lookupCRS(v)
		if !ok {
			return req, bad("bbox-crs", "%q is not offered; use one of %s", clip(v), strings.Join(CRSURIs(), ", "))
		}
		if !q.Has("bbox") {
			return req, bad("bbox-crs", "given without bbox")
		}
		req.BBoxCRS = c
	}
	if q.Has("bbox") {
		if req.BBox, err = parseBBox(q.Get("bbox"), req.BBoxCRS); err != nil {
			return req, err
		}
	}
	if q.Has("datetime") {
		if req.Datetime, err = parseDatetime(q.Get("datetime")); err != nil {
			return req, err
		}
		if l.TemporalProperty == "" {
			// The collection has no time: per Part 1 the parameter is
			// accepted, and selects nothing out (documented in /api).
			req.Datetime = nil
		}
	}
	if q.Has("properties") {
		req.Props = []string{}
		var unknownProps []string
		for _, name := range splitList(q.Get("properties")) {
			if _, ok := l.Property(name); !ok {
				unknownProps = append(unknownProps, name)
				continue
			}
			if !slices.Contains(req.Props, name) {
				req.Props = append(req.Props, name)
			}
		}
		if len(unknownProps) > 0 {
			return req, bad("properties", "unknown properties %s of collection %s", quoteList(unknownProps), l.Name)
		}
	}
	if v := q.Get("skipGeometry"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return req, bad("skipGeometry", "must be true or false, got %q", clip(v))
		}
		req.SkipGeometry = b
	}
	if q.Has("sortby") {
		var unknownProps []string
		for _, term := range splitList(q.Get("sortby")) {
			k := SortKey{Property: term}
			switch {
			case strings.HasPrefix(term, "-"):
				k = SortKey{Property: term[1:], Desc: true}
			case strings.HasPrefix(term, "+"):
				k.Property = term[1:]
			case strings.HasPrefix(term, " "): // a '+' decoded as a space
				k.Property = strings.TrimSpace(term)
			}
			if name, dir, ok := strings.Cut(k.Property, ":"); ok { // prop:A / prop:D (CQL-style)
				k.Property = name
				switch strings.ToUpper(dir) {
				case "A", "ASC":
				case "D", "DESC":
					k.Desc = true
				default:
					return req, bad("sortby", "unknown direction %q (use +name or -name)", clip(dir))
				}
			}
			if _, ok := l.Property(k.Property); !ok {
				unknownProps = append(unknownProps, k.Property)
				continue
			}
			req.SortBy = append(req.SortBy, k)
		}
		if len(unknownProps) > 0 {
			return req, bad("sortby", "unknown properties %s of collection %s", quoteList(unknownProps), l.Name)
		}
		if len(req.SortBy) == 0 {
			return req, bad("sortby", "empty")
		}
	}
	if v := q.Get("filter-crs"); v != "" {
		c, ok := lookupCRS(v)
		if !ok {
			return req, bad("filter-crs", "%q is not offered; use one of %s", clip(v), strings.Join(CRSURIs(), ", "))
		}
		req.FilterCRS = c
	}
	lang := q.Get("filter-lang")
	if lang != "" && lang != "cql2-text" && lang != "cql2-json" {
		return req, bad("filter-lang", "%q is not supported; use cql2-text or cql2-json", clip(lang))
	}
	if q.Has("filter") {
		src := q.Get("filter")
		var n cql2.Node
		var err error
		if lang == "cql2-json" {
			n, err = cql2.ParseJSON([]byte(src), s.opt.FilterLimits)
		} else {
			n, err = cql2.ParseText(src, s.opt.FilterLimits)
		}
		if err != nil {
			return req, bad("filter", "%v", err)
		}
		// Translate once now so that type errors are reported as 400s here.
		if _, err := cql2.ToSQL(n, filterOptions(l, req.FilterCRS), &cql2.Args{}); err != nil {
			return req, bad("filter", "%v", err)
		}
		req.Filter = n
	} else if lang != "" || q.Has("filter-crs") {
		name := "filter-lang"
		if lang == "" {
			name = "filter-crs"
		}
		return req, bad(name, "given without filter")
	}
	return req, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(clip(n))
	}
	return strings.Join(q, ", ")
}

// clip keeps echoed user input short in messages.
func clip(s string) string {
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

// checkValue validates a queryable parameter's value against its type.
func checkValue(p layers.Property, v string) error {
	switch p.Type {
	case layers.TypeInteger:
		if _, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err != nil {
			return fmt.Errorf("%q is not an integer", clip(v))
		}
	case layers.TypeDouble:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return fmt.Errorf("%q is not a number", clip(v))
		}
	case layers.TypeBoolean:
		if _, err := strconv.ParseBool(strings.TrimSpace(v)); err != nil {
			return fmt.Errorf("%q is not true or false", clip(v))
		}
	case layers.TypeDate:
		if _, err := time.Parse("2006-01-02", strings.TrimSpace(v)); err != nil {
			return fmt.Errorf("%q is not a date (yyyy-mm-dd)", clip(v))
		}
	case layers.TypeTimestamp:
		if _, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(v)); err != nil {
			return fmt.Errorf("%q is not an RFC 3339 timestamp", clip(v))
		}
	}
	if !utf8Valid(v) || strings.ContainsRune(v, 0) {
		return fmt.Errorf("the value is not valid text")
	}
	return nil
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// parseBBox reads 4 or 6 numbers and returns minx, miny, maxx, maxy in x/y order.
func parseBBox(v string, c CRS) ([]float64, error) {
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
	if nums[1] > nums[3] {
		return nil, bad("bbox", "the lower %s (%g) is above the upper (%g)", axisName(c, 1), nums[1], nums[3])
	}
	if nums[0] > nums[2] {
		if c.SRID == 4326 || c.SRID == 6706 {
			return nil, bad("bbox", "boxes crossing the antimeridian are not supported")
		}
		return nil, bad("bbox", "the lower %s (%g) is above the upper (%g)", axisName(c, 0), nums[0], nums[2])
	}
	if c.SRID != 4326 && c.SRID != 6706 {
		for _, n := range nums {
			if math.Abs(n) > 1e8 {
				return nil, bad("bbox", "%g is outside the range of %s", n, c.URI)
			}
		}
	}
	if c.SRID == 4326 || c.SRID == 6706 {
		if nums[1] < -90 || nums[3] > 90 {
			return nil, bad("bbox", "latitudes must be within -90 and 90")
		}
		// PostGIS transforms wider boxes poorly; the world is enough.
		nums[0], nums[2] = math.Max(nums[0], -180), math.Min(nums[2], 180)
		if nums[0] > nums[2] {
			return nil, bad("bbox", "longitudes must overlap -180 to 180")
		}
	}
	return nums, nil
}

func axisName(c CRS, i int) string {
	geo := c.SRID == 4326 || c.SRID == 6706
	switch {
	case geo && i == 0:
		return "longitude"
	case geo:
		return "latitude"
	case i == 0:
		return "easting"
	}
	return "northing"
}

// parseDatetime reads an instant or an interval (RFC 3339, open ends "..").
func parseDatetime(v string) (*TimeInterval, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, bad("datetime", "empty")
	}
	one := func(s string) (*time.Time, bool, error) {
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
	a, b, isInterval := strings.Cut(v, "/")
	var iv TimeInterval
	var err error
	if iv.Start, iv.StartDate, err = one(a); err != nil {
		return nil, err
	}
	if !isInterval {
		if iv.Start == nil {
			return nil, bad("datetime", "an instant cannot be open ('..')")
		}
		iv.End, iv.EndDate = iv.Start, iv.StartDate
		return &iv, nil
	}
	if iv.End, iv.EndDate, err = one(b); err != nil {
		return nil, err
	}
	if iv.Start != nil && iv.End != nil && iv.End.Before(*iv.Start) {
		return nil, bad("datetime", "the interval ends before it starts")
	}
	return &iv, nil
}

// filterOptions tells the CQL2 translator about the layer.
func filterOptions(l layers.Layer, c CRS) cql2.Options {
	return cql2.Options{Schema: schemaOf(l), LiteralSRID: c.SRID, SwapXY: c.LatLon, StorageSRID: storageSRID}
}

// GeometryQueryable is the name of the geometry in filters and queryables.
const GeometryQueryable = "geometry"

func schemaOf(l layers.Layer) cql2.Schema {
	return func(name string) (cql2.Column, bool) {
		if name == GeometryQueryable || name == "geom" {
			return cql2.Column{SQL: `"geom"`, Type: cql2.TypeGeometry}, true
		}
		p, ok := l.Property(name)
		if !ok || !p.Queryable {
			return cql2.Column{}, false
		}
		return cql2.Column{SQL: ident(p.Name), Type: cqlType(p.Type)}, true
	}
}

func cqlType(t layers.FieldType) cql2.Type {
	switch t {
	case layers.TypeInteger:
		return cql2.TypeInteger
	case layers.TypeDouble:
		return cql2.TypeDouble
	case layers.TypeBoolean:
		return cql2.TypeBoolean
	case layers.TypeDate:
		return cql2.TypeDate
	case layers.TypeTimestamp:
		return cql2.TypeTimestamp
	case layers.TypeText:
		return cql2.TypeString
	}
	return cql2.TypeUnknown
}
