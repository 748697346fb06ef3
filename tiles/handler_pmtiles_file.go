package tiles

import (
	"net/http"
	"strings"

	"github.com/sit-gis/sit/internal/problem"
)

// HandlePMTilesFile serves GET /pmtiles/{archive}.pmtiles (the archive,
// with range requests), /pmtiles/{archive}.json (its TileJSON) and
// /pmtiles (the list of archives).
func (s *Service) HandlePMTilesFile(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	base := BaseURL(r, s.publicURL)
	var doc any
	var err error
	switch {
	case file == "":
		doc, err = s.archives.List(base)
	case strings.HasSuffix(file, ".pmtiles"):
		if err := s.archives.ServeFile(w, r, strings.TrimSuffix(file, ".pmtiles")); err != nil {
			writeError(w, r, s.log, err)
		}
		return
	case strings.HasSuffix(file, ".json"):
		doc, err = s.archives.TileJSON(base, strings.TrimSuffix(file, ".json"))
	default:
		err = problem.NotFound("archives are at /pmtiles/{archive}.pmtiles, their TileJSON at /pmtiles/{archive}.json")
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
