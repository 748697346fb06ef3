package tiles

import (
	"net/http"
	"strings"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleStyle serves GET /styles/{name}.json: a MapLibre style of the
// catalog (default) or of one layer.
func (s *Service) HandleStyle(w http.ResponseWriter, r *http.Request) {
	if _, err := noParams.Parse(r); err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	name, ok := strings.CutSuffix(r.PathValue("file"), ".json")
	if !ok || name == "" {
		httpx.WriteError(w, r, s.log, httpx.NotFoundParameter("styleId", "styles are at /styles/{name}.json"))
		return
	}
	st, err := s.Style(r.Context(), httpx.BaseURL(r, s.publicURL), name)
	s.writeDoc(w, r, st, err)
}
