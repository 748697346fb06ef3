package tiles

import "net/http"

// HandleTileMatrixSets serves GET /tileMatrixSets and
// /tileMatrixSets/{tileMatrixSetId}.
func (s *Service) HandleTileMatrixSets(w http.ResponseWriter, r *http.Request) {
	base := BaseURL(r, s.publicURL)
	var doc any = TileMatrixSets(base)
	if id := r.PathValue("tileMatrixSetId"); id != "" {
		tms, err := TileMatrixSetDoc(base, id)
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		doc = tms
	}
	resp, err := jsonDoc(doc, JSONType, r.Header.Get("If-None-Match"))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	resp.Write(w)
}
