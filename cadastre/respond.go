package cadastre

import (
	"net/http"

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

// writeJSON sends a document, or the error of encoding it.
func (s *Service) writeJSON(w http.ResponseWriter, r *http.Request, status int, contentType string, v any) {
	if err := httpx.JSON(w, r, status, contentType, v); err != nil {
		httpx.WriteError(w, r, s.log, err)
	}
}
