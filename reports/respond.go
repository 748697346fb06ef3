package reports

import (
	"bytes"
	"net/http"

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

// writeJSON sends a document, or the error of encoding it.
func (s *Service) writeJSON(w http.ResponseWriter, r *http.Request, contentType string, v any) {
	if err := httpx.JSON(w, r, http.StatusOK, contentType, v); err != nil {
		httpx.WriteError(w, r, s.log, err)
	}
}

// writeRendered renders a document into memory and sends it (as an
// attachment when filename is set).
func (s *Service) writeRendered(w http.ResponseWriter, r *http.Request, contentType, disposition string, render func(*bytes.Buffer) error) {
	var b bytes.Buffer
	if err := render(&b); err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	if disposition != "" {
		w.Header().Set("Content-Disposition", disposition)
	}
	httpx.Send(w, r, http.StatusOK, contentType, b.Bytes())
}
