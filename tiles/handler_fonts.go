package tiles

import (
	"net/http"
)

// HandleGlyphs serves GET /fonts/{fontstack}/{range}.pbf, the glyphs URL
// of the styles.
func (s *Service) HandleGlyphs(w http.ResponseWriter, r *http.Request) error {
	if _, err := noParams.Parse(r); err != nil {
		return err
	}
	resp, err := Glyphs(r.PathValue("fontstack"), r.PathValue("range"))
	if err != nil {
		return err
	}
	resp.Write(w)
	return nil
}
