package query

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/query/cql2"
)

// One parser per parameter of /items (see itemsParsers for their order).

func bad(param, format string, args ...any) *httpx.Problem {
	return httpx.BadParameter(param, fmt.Sprintf(format, args...))
}

// parseLimit: a positive integer; above MaxLimit it is clamped (and the
// response says so), as OGC API Features asks.
func (s *Service) parseLimit(q url.Values, req *ItemsRequest) error {
	v := q.Get("limit")
	if v == "" {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(v, "-"):
		n = math.MaxInt64
	case err != nil:
		return bad("limit", "%q is not an integer", clip(v))
	case n < 1:
		return bad("limit", "must be at least 1, got %d", n)
	}
	if n > int64(s.opt.MaxLimit) {
		req.Limit, req.LimitClamped = s.opt.MaxLimit, true
	} else {
		req.Limit = int(n)
	}
	return nil
}

// parseOffset: a non-negative integer.
func (s *Service) parseOffset(q url.Values, req *ItemsRequest) error {
	v := q.Get("offset")
	if v == "" {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return bad("offset", "must be an integer from 0 to %d, got %q", int64(math.MaxInt64), clip(v))
	}
	req.Offset = n
	return nil
}

// parseKeys: after or before (not both), feature ids of the layer; they
// cannot be combined with sortby (sorted pages move by offset).
func (s *Service) parseKeys(q url.Values, req *ItemsRequest) error {
	after, before := q.Get("after"), q.Get("before")
	if after != "" && before != "" {
		return bad("before", "give after or before, not both")
	}
	for _, c := range []struct{ name, v string }{{"after", after}, {"before", before}} {
		if c.v == "" {
			continue
		}
		if req.Layer.KeyColumn() == "" {
			return bad(c.name, "collection %s cannot page by key: %s", req.Layer.Name, req.Layer.NoKeyNote())
		}
		if req.Layer.FIDType == layers.TypeInteger {
			if _, err := strconv.ParseInt(c.v, 10, 64); err != nil {
				return bad(c.name, "%q is not a feature id of this collection (an integer)", clip(c.v))
			}
		}
	}
	if q.Has("sortby") && (after != "" || before != "") {
		return bad("sortby", "cannot be combined with key paging (after/before); page sorted results with offset")
	}
	req.After, req.Before = after, before
	return nil
}

// offeredCRS reads a CRS parameter among the offered ones.
func offeredCRS(param, v string) (CRS, error) {
	c, ok := lookupCRS(v)
	if !ok {
		return CRS{}, bad(param, "%q is not offered; use one of %s", clip(v), strings.Join(CRSURIs(), ", "))
	}
	return c, nil
}

// parseCRS: the CRS of the features returned.
func parseCRS(q url.Values, req *ItemsRequest) error {
	if !q.Has("crs") {
		return nil
	}
	c, err := offeredCRS("crs", q.Get("crs"))
	req.CRS = c
	return err
}

func (s *Service) parseCRS(q url.Values, req *ItemsRequest) error { return parseCRS(q, req) }

// parseBBoxCRS: the CRS of bbox, only with a bbox.
func (s *Service) parseBBoxCRS(q url.Values, req *ItemsRequest) error {
	if !q.Has("bbox-crs") {
		return nil
	}
	c, err := offeredCRS("bbox-crs", q.Get("bbox-crs"))
	if err != nil {
		return err
	}
	if !q.Has("bbox") {
		return bad("bbox-crs", "given without bbox")
	}
	req.BBoxCRS = c
	return nil
}

// parseBBox: see parseBBoxValue.
func (s *Service) parseBBox(q url.Values, req *ItemsRequest) error {
	if !q.Has("bbox") {
		return nil
	}
	b, err := parseBBoxValue(q.Get("bbox"), req.BBoxCRS)
	req.BBox = b
	return err
}

// parseDatetime: an instant or an interval, on the layer's time property.
func (s *Service) parseDatetime(q url.Values, req *ItemsRequest) error {
	if !q.Has("datetime") {
		return nil
	}
	iv, err := parseDatetimeValue(q.Get("datetime"))
	if err != nil {
		return err
	}
	// A collection without time: per Part 1 the parameter is accepted and
	// selects nothing out (documented in /api).
	if req.Layer.TemporalProperty != "" {
		req.Datetime = iv
	}
	return nil
}

// parseProperties: a comma list of the layer's properties (empty: none).
func (s *Service) parseProperties(q url.Values, req *ItemsRequest) error {
	if !q.Has("properties") {
		return nil
	}
	req.Props = []string{}
	var unknown []string
	for _, name := range splitList(q.Get("properties")) {
		if _, ok := req.Layer.Property(name); !ok {
			unknown = append(unknown, name)
			continue
		}
		if !slices.Contains(req.Props, name) {
			req.Props = append(req.Props, name)
		}
	}
	if len(unknown) > 0 {
		return bad("properties", "unknown properties %s of collection %s", quoteList(unknown), req.Layer.Name)
	}
	return nil
}

// parseSkipGeometry: true or false.
func (s *Service) parseSkipGeometry(q url.Values, req *ItemsRequest) error {
	v := q.Get("skipGeometry")
	if v == "" {
		return nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return bad("skipGeometry", "must be true or false, got %q", clip(v))
	}
	req.SkipGeometry = b
	return nil
}

// parseSortBy: +prop,-prop (or prop:A/prop:D) over the layer's properties.
func (s *Service) parseSortBy(q url.Values, req *ItemsRequest) error {
	if !q.Has("sortby") {
		return nil
	}
	var unknown []string
	for _, term := range splitList(q.Get("sortby")) {
		k, err := sortKey(term)
		if err != nil {
			return err
		}
		p, ok := req.Layer.Property(k.Property)
		if !ok {
			unknown = append(unknown, k.Property)
			continue
		}
		if req.Layer.Published() && !p.Queryable {
			return bad("sortby", "property %q of collection %s cannot be sorted on (its type has no order)", k.Property, req.Layer.Name)
		}
		req.SortBy = append(req.SortBy, k)
	}
	if len(unknown) > 0 {
		return bad("sortby", "unknown properties %s of collection %s", quoteList(unknown), req.Layer.Name)
	}
	if len(req.SortBy) == 0 {
		return bad("sortby", "empty")
	}
	return nil
}

// sortKey reads one sortby term.
func sortKey(term string) (SortKey, error) {
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
			return k, bad("sortby", "unknown direction %q (use +name or -name)", clip(dir))
		}
	}
	return k, nil
}

// parseFilterCRS: the CRS of a filter's geometry literals.
func (s *Service) parseFilterCRS(q url.Values, req *ItemsRequest) error {
	if !q.Has("filter-crs") {
		return nil
	}
	c, err := offeredCRS("filter-crs", q.Get("filter-crs"))
	req.FilterCRS = c
	return err
}

// parseFilter: a CQL2 filter in filter-lang (cql2-text by default),
// translated once here so that type errors are 400s naming filter.
func (s *Service) parseFilter(q url.Values, req *ItemsRequest) error {
	lang := q.Get("filter-lang")
	if lang == "cql-text" {
		lang = "cql2-text" // the drafts' name, sent by GDAL 3.6: what it writes is CQL2 text
	}
	if lang != "" && lang != "cql2-text" && lang != "cql2-json" {
		return bad("filter-lang", "%q is not supported; use cql2-text or cql2-json", clip(lang))
	}
	if !q.Has("filter") {
		switch {
		case q.Has("filter-lang"):
			return bad("filter-lang", "given without filter")
		case q.Has("filter-crs"):
			return bad("filter-crs", "given without filter")
		}
		return nil
	}
	src := q.Get("filter")
	var n cql2.Node
	var err error
	if lang == "cql2-json" {
		n, err = cql2.ParseJSON([]byte(src), s.opt.FilterLimits)
	} else {
		n, err = cql2.ParseText(src, s.opt.FilterLimits)
	}
	if err != nil {
		return bad("filter", "%v", err)
	}
	if _, err := cql2.ToSQL(n, filterOptions(req.Layer, req.FilterCRS), &cql2.Args{}); err != nil {
		return bad("filter", "%v", err)
	}
	req.Filter = n
	return nil
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
func clip(s string) string { return httpx.Clip(s) }

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
	return nil
}
