package tiles

import (
	"net/http"
	"strings"

	"github.com/sit-gis/sit/internal/problem"
)

// HandleStyle serves GET /styles/{name}.json: a MapLibre style of the
// catalog (default) or of one layer.
func (s *Service) HandleStyle(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("file"), ".json")
	if !ok || name == "" {
		p := problem.NotFound("styles are at /styles/{name}.json")
		p.Parameter = "styleId"
		writeError(w, r, s.log, p)
		return
	}
	st, err := s.Style(BaseURL(r, s.publicURL), name)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	resp, err := jsonDoc(st, JSONType, r.Header.Get("If-None-Match"))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	resp.Write(w)
}
