package admin

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// layerOf is the layer the path names, if the scope sees it (404 otherwise,
// exactly as for a name that is nowhere).
func (s *Service) layerOf(r *http.Request) (layers.Layer, error) {
	name := chi.URLParam(r, "name")
	l, ok := s.opt.Catalog.Layer(name)
	if !ok || !scopeFrom(r.Context()).sees(l) {
		return l, httpx.NotFoundParameter("name", fmt.Sprintf("no layer %q", name))
	}
	return l, nil
}

// HandleLayer serves GET /admin/layers/{name}.
func (s *Service) HandleLayer(w http.ResponseWriter, r *http.Request) error {
	if _, err := noParams.Parse(r); err != nil {
		return err
	}
	l, err := s.layerOf(r)
	if err != nil {
		return err
	}
	return s.write(w, r, http.StatusOK, toLayerDoc(scopeFrom(r.Context()), l))
}
