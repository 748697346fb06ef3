package query

import (
	"errors"
	"net/url"
	"slices"
	"sort"
	"time"

	"github.com/sit-gis/sit/internal/httpx"
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
	// BBox is minx, miny, maxx, maxy in BBoxCRS, already in x/y order. In a
	// geographic CRS minx > maxx is a box across the antimeridian.
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
	// Args are the values of a function layer's parameters, by name.
	Args map[string]string
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
	// A function's rows depend on its arguments: never the layer's count.
	return q.BBox != nil || q.Datetime != nil || q.Filter != nil || len(q.Equals) > 0 || q.Layer.Source.Origin == layers.OriginFunction
}

// standardParams are the query parameters of /items besides the queryables.
var standardParams = []string{"f", "limit", "offset", "after", "before", "bbox", "bbox-crs", "crs", "datetime",
	"properties", "skipGeometry", "sortby", "filter", "filter-lang", "filter-crs", "lang"}

// itemsParams are the parameters of a layer's /items: the standard ones
// once each, its queryables (?foglio=37, repeated = any of) as often as
// wanted; anything else is a 400 naming it (OGC /req/core/query-param-unknown).
func (s *Service) itemsParams(l layers.Layer) httpx.Params {
	return httpx.Params{Once: standardParams, Long: []string{"filter"}, Other: func(name string) (bool, bool) {
		if isFunctionParam(l, name) {
			return true, false
		}
		p, ok := l.Property(name)
		return ok && p.Queryable, true
	}}
}

// isFunctionParam reports whether name is a parameter of the layer's
// function (a row function's; it shadows a property of that name).
func isFunctionParam(l layers.Layer, name string) bool {
	if l.Source.Origin != layers.OriginFunction {
		return false
	}
	for _, p := range l.Source.Function.Params {
		if p.Name == name {
			return true
		}
	}
	return false
}

// itemsParser reads one parameter (or a pair that only makes sense
// together) into the request. Each names its parameter in its errors.
type itemsParser func(s *Service, q url.Values, req *ItemsRequest) error

// itemsParsers run in this order: the CRS parameters before the
// coordinates they qualify, the language and CRS of a filter before it.
var itemsParsers = []itemsParser{
	(*Service).parseLimit,
	(*Service).parseOffset,
	(*Service).parseKeys,
	(*Service).parseCRS,
	(*Service).parseBBoxCRS,
	(*Service).parseBBox,
	(*Service).parseDatetime,
	(*Service).parseProperties,
	(*Service).parseSkipGeometry,
	(*Service).parseSortBy,
	(*Service).parseFilterCRS,
	(*Service).parseFilter,
	(*Service).parseQueryables,
	(*Service).parseFunctionArgs,
}

// ParseItems validates the query of an /items request against the layer.
// Every error is a *httpx.Problem naming the parameter.
func (s *Service) ParseItems(l layers.Layer, q url.Values) (ItemsRequest, error) {
	req := ItemsRequest{Layer: l, Limit: s.opt.DefaultLimit, CRS: CRS84, BBoxCRS: CRS84, FilterCRS: CRS84}
	if err := s.itemsParams(l).Check(q); err != nil {
		return req, err
	}
	for _, parse := range itemsParsers {
		if err := parse(s, q, &req); err != nil {
			return req, err
		}
	}
	return req, nil
}

// parseFunctionArgs checks the values of a row function's parameters
// against its signature.
func (s *Service) parseFunctionArgs(q url.Values, req *ItemsRequest) error {
	if req.Layer.Source.Origin != layers.OriginFunction {
		return nil
	}
	args, err := req.Layer.Source.Function.Args(func(n string) (string, bool) { return q.Get(n), q.Has(n) })
	var pe *layers.ParamError
	if errors.As(err, &pe) {
		return bad(pe.Param, "%s", pe.Msg)
	}
	req.Args = args
	return err
}

// parseQueryables reads the queryables given as plain parameters.
func (s *Service) parseQueryables(q url.Values, req *ItemsRequest) error {
	for k, vs := range q {
		if slices.Contains(standardParams, k) || isFunctionParam(req.Layer, k) {
			continue
		}
		p, _ := req.Layer.Property(k) // itemsParams admitted only queryables
		for _, v := range vs {
			if err := checkValue(p, v); err != nil {
				return bad(k, "%v", err)
			}
		}
		req.Equals = append(req.Equals, Equality{Property: p, Values: vs})
	}
	sort.Slice(req.Equals, func(i, j int) bool { return req.Equals[i].Property.Name < req.Equals[j].Property.Name })
	return nil
}
