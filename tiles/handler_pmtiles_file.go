package tiles

import (
	"net/http"
	"strings"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandlePMTilesFile serves GET /pmtiles/{archive}.pmtiles (the archive,
// with range requests), /pmtiles/{archive}.json (its TileJSON) and
// /pmtiles (the list of archives).
func (s *Service) HandlePMTilesFile(w http.ResponseWriter, r *http.Request) error {
	if _, err := noParams.Parse(r); err != nil {
		return err
	}
	file := r.PathValue("file")
	base := httpx.BaseURL(r, s.publicURL)
	switch {
	case file == "":
		doc, err := s.archives.List(r.Context(), base)
		return s.writeDoc(w, r, doc, err)
	case strings.HasSuffix(file, ".pmtiles"):
		if err := s.archives.ServeFile(w, r, strings.TrimSuffix(file, ".pmtiles")); err != nil {
			return err
		}
	case strings.HasSuffix(file, ".json"):
		doc, err := s.archives.TileJSON(r.Context(), base, strings.TrimSuffix(file, ".json"))
		return s.writeDoc(w, r, doc, err)
	default:
		return httpx.NotFoundParameter("archive", "archives are at /pmtiles/{archive}.pmtiles, their TileJSON at /pmtiles/{archive}.json")
	}
	return nil
}
