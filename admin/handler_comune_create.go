package admin

import (
	"errors"
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// comuneBody is the body of POST /admin/comuni and PATCH
// /admin/comuni/{slug}: the members given change (the coat of arms is
// set with `sit comune set --coat-of-arms`).
type comuneBody struct {
	Slug         *string    `json:"slug"`
	Name         *string    `json:"name"`
	Belfiore     *string    `json:"belfiore"`
	ReportHeader *string    `json:"reportHeader"`
	DefaultView  *[]float64 `json:"defaultView"`
	Default      *bool      `json:"default"`
}

// patch checks the body and makes the store's patch.
func (b comuneBody) patch() (layers.ComunePatch, error) {
	p := layers.ComunePatch{Name: b.Name, Belfiore: b.Belfiore, ReportHeader: b.ReportHeader, Default: b.Default}
	if b.DefaultView != nil {
		v := *b.DefaultView
		if len(v) != 3 {
			return p, httpx.BadParameter("defaultView", "want [lon, lat, zoom]")
		}
		p.DefaultView = &[3]float64{v[0], v[1], v[2]}
	}
	return p, nil
}

// HandleComuneCreate serves POST /admin/comuni (administrators of the
// instance): a new comune, 201.
func (s *Service) HandleComuneCreate(w http.ResponseWriter, r *http.Request) error {
	c, err := s.createComune(r)
	if err := s.audit(r, "comune.create", c.Slug, err, nil); err != nil {
		return err
	}
	w.Header().Set("Location", httpx.BaseURL(r, "")+"/admin/comuni/"+c.Slug)
	return s.write(w, r, http.StatusCreated, toComuneDoc(c))
}

func (s *Service) createComune(r *http.Request) (layers.Comune, error) {
	if _, err := noParams.Parse(r); err != nil {
		return layers.Comune{}, err
	}
	sc := scopeFrom(r.Context())
	if !sc.all || !sc.p.Instance() {
		return layers.Comune{}, forbidden("only an administrator of the instance adds a comune")
	}
	var b comuneBody
	if err := readJSON(r, &b); err != nil {
		return layers.Comune{}, err
	}
	if b.Slug == nil {
		return layers.Comune{}, httpx.BadParameter("slug", "a comune needs a slug (lower case, as in /c/{slug}/)")
	}
	c := layers.Comune{Slug: *b.Slug}
	if err := layers.ValidateSlug(*b.Slug); err != nil {
		return c, httpx.BadParameter("slug", err.Error())
	}
	p, err := b.patch()
	if err != nil {
		return c, err
	}
	if err := s.writesData(); err != nil {
		return c, err
	}
	if _, ok := s.opt.Catalog.Comune(*b.Slug); ok {
		return c, httpx.New(http.StatusConflict, "comune "+*b.Slug+" exists")
	}
	if err := s.opt.Layers.AddComune(r.Context(), *b.Slug, p); err != nil {
		return c, httpx.BadParameter("body", err.Error())
	}
	return s.comuneAfter(r, *b.Slug)
}

// comuneAfter re-reads the catalog (this server serves the change at
// once; the others hear of it through NOTIFY) and returns the comune.
func (s *Service) comuneAfter(r *http.Request, slug string) (layers.Comune, error) {
	if err := s.opt.Catalog.Refresh(r.Context()); err != nil {
		return layers.Comune{Slug: slug}, err
	}
	c, ok := s.opt.Catalog.Comune(slug)
	if !ok {
		return layers.Comune{Slug: slug}, errors.New("the comune is not in the catalog after the change")
	}
	return c, nil
}
