package tiles

import (
	"net/http"
	"strconv"
)

// Response is what the core answers: a status, headers and a body, with no
// http.ResponseWriter in sight (the go-pmtiles Server.Get shape), so that
// the core is tested without HTTP and the handlers stay thin.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Media types.
const (
	MVTType      = "application/vnd.mapbox-vector-tile"
	JSONType     = "application/json"
	PMTilesType  = "application/vnd.pmtiles"
	OpenAPI3Type = "application/vnd.oai.openapi+json;version=3.0"
)

// Write sends the response.
func (resp *Response) Write(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range resp.Header {
		h[k] = v
	}
	if resp.Status != http.StatusNoContent && resp.Status != http.StatusNotModified {
		h.Set("Content-Length", strconv.Itoa(len(resp.Body)))
	}
	w.WriteHeader(resp.Status)
	if len(resp.Body) > 0 && resp.Status != http.StatusNotModified && resp.Status != http.StatusNoContent {
		_, _ = w.Write(resp.Body)
	}
}
