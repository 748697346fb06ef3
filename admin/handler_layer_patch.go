package admin

import (
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// HandleLayerPatch serves PATCH /admin/layers/{name}: title, description,
// attribution, kind, roles, visibility, zooms, style (and, for an
// administrator of the instance, the comune). An editor changes the layers
// it was given, but not who sees them. The catalog of this server is
// re-read before the answer; the others hear of it through NOTIFY.
func (s *Service) HandleLayerPatch(w http.ResponseWriter, r *http.Request) error {
	l, err := s.patchLayer(r)
	if err := s.audit(r, "layer.update", l.Name, err, nil); err != nil {
		return err
	}
	return s.write(w, r, http.StatusOK, toLayerDoc(scopeFrom(r.Context()), l))
}

func (s *Service) patchLayer(r *http.Request) (layers.Layer, error) {
	if _, err := noParams.Parse(r); err != nil {
		return layers.Layer{}, err
	}
	l, err := s.layerOf(r)
	if err != nil {
		return l, err
	}
	sc := scopeFrom(r.Context())
	if !sc.mayEdit(l) {
		return l, forbidden("you may not change layer " + l.Name)
	}
	var body layerPatch
	if err := readJSON(r, &body); err != nil {
		return l, err
	}
	if (body.Visibility != nil || body.Comune != nil) && !sc.admin() {
		return l, forbidden("only an administrator decides who sees a layer")
	}
	if body.Comune != nil && !sc.p.Instance() {
		return l, forbidden("only an administrator of the instance moves a layer between comuni")
	}
	if body.Visibility != nil {
		if _, err := layers.ParseVisibility(string(*body.Visibility)); err != nil || *body.Visibility == "" {
			return l, httpx.BadParameter("visibility", "want public, professional or internal")
		}
	}
	if body.Kind != nil {
		if _, err := layers.ParseKind(string(*body.Kind)); err != nil {
			return l, httpx.BadParameter("kind", err.Error())
		}
	}
	if err := s.writesData(); err != nil {
		return l, err
	}
	nl, err := s.opt.Layers.Update(r.Context(), l.Name, body.toPatch())
	if err != nil {
		return l, httpx.BadParameter("body", err.Error())
	}
	return nl, s.opt.Catalog.Refresh(r.Context())
}
