package reports

import (
	"bytes"
	"net/http"
	"net/url"

	"github.com/sit-gis/sit/internal/httpx"
)

// Media types.
const (
	JSONType    = "application/json"
	GeoJSONType = "application/geo+json"
	CSVType     = "text/csv; charset=utf-8"
	HTMLType    = "text/html; charset=utf-8"
	PDFType     = "application/pdf"
)

// The formats of the reports, chosen with f (the first of a list is the default).
var (
	formatJSON    = httpx.FormatJSON
	formatGeoJSON = httpx.Format{Name: "geojson", Types: []string{GeoJSONType}}
	formatCSV     = httpx.Format{Name: "csv", Types: []string{"text/csv"}}
	formatHTML    = httpx.FormatHTML
	formatPDF     = httpx.Format{Name: "pdf", Types: []string{PDFType}}
)

// The query parameters of each route.
var (
	zoningParams    = httpx.Params{Once: []string{"f", "at"}, Many: []string{"parcel"}}
	broadbandParams = httpx.Params{Once: []string{"zones", "coverage", "snapshot", "compare", "f"}}
	whiteParams     = httpx.Params{Once: []string{"zones", "zone", "coverage", "snapshot", "limit", "offset", "f"}}
	agcomParams     = httpx.Params{Once: []string{"snapshot", "compare", "f"}}
	usesParams      = httpx.Params{Once: []string{"parcel", "use", "at", "f"}}
)

// request checks a route's query and its f among formats (the first is
// the default).
func request(r *http.Request, params httpx.Params, formats ...httpx.Format) (url.Values, httpx.Format, error) {
	q, err := params.Parse(r)
	if err != nil {
		return nil, httpx.Format{}, err
	}
	fm, err := httpx.FormatParam(q.Get("f"), formats...)
	return q, fm, err
}

// writeJSON sends a document.
func writeJSON(w http.ResponseWriter, r *http.Request, contentType string, v any) error {
	return httpx.JSON(w, r, http.StatusOK, contentType, v)
}

// writeRendered renders a document into memory and sends it (as an
// attachment when disposition says so).
func writeRendered(w http.ResponseWriter, r *http.Request, contentType, disposition string, render func(*bytes.Buffer) error) error {
	var b bytes.Buffer
	if err := render(&b); err != nil {
		return err
	}
	if disposition != "" {
		w.Header().Set("Content-Disposition", disposition)
	}
	httpx.Send(w, r, http.StatusOK, contentType, b.Bytes())
	return nil
}
