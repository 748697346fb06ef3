package tiles

import "net/http"

// HandleGlyphs serves GET /fonts/{fontstack}/{range}.pbf, the glyphs URL
// of the styles.
func (s *Service) HandleGlyphs(w http.ResponseWriter, r *http.Request) {
	resp, err := Glyphs(r.PathValue("fontstack"), r.PathValue("range"))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	resp.Write(w)
}
