package tiles

import (
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleStyle serves GET /styles/{name}.json: a MapLibre style of the
// catalog (default) or of one layer.
func (s *Service) HandleStyle(w http.ResponseWriter, r *http.Request) error {
	name, err := docName(r, "styleId", "styles are at /styles/{name}.json")
	if err != nil {
		return err
	}
	st, err := s.Style(r.Context(), httpx.BaseURL(r, s.publicURL), name)
	return s.writeDoc(w, r, st, err)
}
