package admin

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// HandleComunePatch serves PATCH /admin/comuni/{slug}: an administrator
// of the comune changes its name, Belfiore code, report header and the
// viewer's first view; which comune is the default only an administrator
// of the instance.
func (s *Service) HandleComunePatch(w http.ResponseWriter, r *http.Request) error {
	c, err := s.patchComune(r)
	if err := s.audit(r, "comune.update", c.Slug, err, nil); err != nil {
		return err
	}
	return s.write(w, r, http.StatusOK, toComuneDoc(c))
}

func (s *Service) patchComune(r *http.Request) (layers.Comune, error) {
	if _, err := noParams.Parse(r); err != nil {
		return layers.Comune{}, err
	}
	slug := chi.URLParam(r, "slug")
	sc := scopeFrom(r.Context())
	c, ok := s.opt.Catalog.Comune(slug)
	if !ok || !(sc.all || sc.comune == slug) {
		return layers.Comune{Slug: slug}, httpx.NotFoundParameter("slug", "no comune "+slug)
	}
	if !sc.p.Administers(slug) {
		return c, forbidden("only an administrator of the comune changes it")
	}
	var b comuneBody
	if err := readJSON(r, &b); err != nil {
		return c, err
	}
	if b.Slug != nil && *b.Slug != slug {
		return c, httpx.BadParameter("slug", "a comune's slug does not change (it is in every URL)")
	}
	if b.Default != nil && !sc.p.Instance() {
		return c, forbidden("only an administrator of the instance chooses the default comune")
	}
	p, err := b.patch()
	if err != nil {
		return c, err
	}
	if err := s.writesData(); err != nil {
		return c, err
	}
	if err := s.opt.Layers.UpdateComune(r.Context(), slug, p); err != nil {
		return c, httpx.BadParameter("body", err.Error())
	}
	return s.comuneAfter(r, slug)
}
