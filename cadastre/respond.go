package cadastre

import (
	"net/http"
	"net/url"

	"github.com/sit-gis/sit/internal/httpx"
)

// Media types of the answers.
const (
	GeoJSONType = "application/geo+json"
	JSONType    = "application/json"
)

// The query parameters of each route.
var (
	searchParams = httpx.Params{Once: []string{"q", "limit", "at"}}
	atParams     = httpx.Params{Once: []string{"lon", "lat", "x", "y", "crs", "at"}}
	refParams    = httpx.Params{Once: []string{"at"}}
)

// base is the prefix of the links of a response.
func (s *Service) base(r *http.Request) string { return httpx.BaseURL(r, s.opt.PublicURL) }

// request checks a route's query and dates the service by its at=: the
// service as of that date (the service itself without one) and the query.
func (s *Service) request(r *http.Request, params httpx.Params) (*Service, url.Values, error) {
	q, err := params.Parse(r)
	if err != nil {
		return s, nil, err
	}
	s, err = s.dated(r.Context(), q.Get("at"))
	return s, q, err
}

// searchRequest reads the query of a search or a suggestion: the dated
// service, the text typed and the limit.
func (s *Service) searchRequest(r *http.Request) (*Service, string, int, error) {
	s, q, err := s.request(r, searchParams)
	if err != nil {
		return s, "", 0, err
	}
	limit, err := s.Limit(q.Get("limit"))
	return s, q.Get("q"), limit, err
}
