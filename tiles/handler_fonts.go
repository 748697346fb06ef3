package tiles

import (
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleGlyphs serves GET /fonts/{fontstack}/{range}.pbf, the glyphs URL
// of the styles.
func (s *Service) HandleGlyphs(w http.ResponseWriter, r *http.Request) {
	if _, err := noParams.Parse(r); err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	resp, err := Glyphs(r.PathValue("fontstack"), r.PathValue("range"))
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	resp.Write(w)
}
