package admin

import "net/http"

// HandleLayers serves GET /admin/layers: every layer of the scope, of any
// visibility, with whether the request may change it.
func (s *Service) HandleLayers(w http.ResponseWriter, r *http.Request) error {
	if _, err := noParams.Parse(r); err != nil {
		return err
	}
	sc := scopeFrom(r.Context())
	out := []layerDoc{}
	for _, l := range s.opt.Catalog.Layers() {
		if sc.sees(l) {
			out = append(out, toLayerDoc(sc, l))
		}
	}
	return s.write(w, r, http.StatusOK, map[string]any{"layers": out})
}
