package admin

import "net/http"

// HandleLayerDelete serves DELETE /admin/layers/{name} (administrators):
// the table and the catalog entry go; the import history stays.
func (s *Service) HandleLayerDelete(w http.ResponseWriter, r *http.Request) error {
	return s.removed(w, r, "layer.delete", s.deleteLayer)
}

func (s *Service) deleteLayer(r *http.Request) (string, error) {
	if _, err := noParams.Parse(r); err != nil {
		return "", err
	}
	l, err := s.layerOf(r)
	if err != nil {
		return "", err
	}
	sc := scopeFrom(r.Context())
	if err := requireAdmin(sc); err != nil {
		return l.Name, err
	}
	if !sc.mayEdit(l) {
		return l.Name, forbidden("you may not remove layer " + l.Name)
	}
	if err := s.writesData(); err != nil {
		return l.Name, err
	}
	if err := s.opt.Layers.Delete(r.Context(), l.Name); err != nil {
		return l.Name, err
	}
	return l.Name, s.opt.Catalog.Refresh(r.Context())
}
