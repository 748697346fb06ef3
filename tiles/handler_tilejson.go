package tiles

import "net/http"

// HandleTileJSON serves GET /tiles/{layers}.json: the TileJSON 3.0 of one
// or more layers, the document MapLibre, OpenLayers and QGIS take as a
// vector tile source.
func (s *Service) HandleTileJSON(w http.ResponseWriter, r *http.Request) {
	tj, err := s.TileJSONFor(BaseURL(r, s.publicURL), r.PathValue("layers"))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	resp, err := jsonDoc(tj, JSONType, r.Header.Get("If-None-Match"))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	resp.Write(w)
}
