package tiles

import "net/http"

// HandleTilesets serves the OGC API Tiles tileset documents:
// /collections/{collectionId}/tiles (list), /collections/{collectionId}/tiles/{tileMatrixSetId},
// and the dataset's /tiles and /tiles/{tileMatrixSetId}.
func (s *Service) HandleTilesets(w http.ResponseWriter, r *http.Request) {
	base := BaseURL(r, s.publicURL)
	coll, tms := r.PathValue("collectionId"), r.PathValue("tileMatrixSetId")
	var doc any
	var err error
	if tms == "" {
		doc, err = s.TilesetsList(base, coll)
	} else {
		doc, err = s.TilesetDoc(base, coll, tms)
	}
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	resp, err := jsonDoc(doc, JSONType, r.Header.Get("If-None-Match"))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	resp.Write(w)
}
