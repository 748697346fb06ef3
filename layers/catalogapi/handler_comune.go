package catalogapi

import (
	"net/http"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// comuneJSON is a comune's public face: name, codes, first view, where its
// coat of arms and its pages are.
type comuneJSON struct {
	Slug         string      `json:"slug"`
	Name         string      `json:"name"`
	Belfiore     string      `json:"belfiore,omitempty"`
	ReportHeader string      `json:"reportHeader,omitempty"`
	View         *[3]float64 `json:"view,omitempty"`
	Default      bool        `json:"default"`
	Links        []link      `json:"links"`
}

type link struct {
	Href string `json:"href"`
	Rel  string `json:"rel"`
	Type string `json:"type,omitempty"`
}

func toComuneJSON(base string, c layers.Comune) comuneJSON {
	root := base + "/c/" + c.Slug
	out := comuneJSON{Slug: c.Slug, Name: c.Name, Belfiore: c.Belfiore, ReportHeader: c.ReportHeader, View: c.DefaultView, Default: c.Default,
		Links: []link{{Href: root + "/", Rel: "data", Type: "application/json"}, {Href: root + "/map/", Rel: "alternate", Type: "text/html"}}}
	if len(c.CoatOfArms) > 0 {
		out.Links = append(out.Links, link{Href: root + "/comune/coat-of-arms", Rel: "icon", Type: c.CoatOfArmsType})
	}
	return out
}

// HandleComuni serves GET /comuni: the comuni this instance hosts.
func (s *Service) HandleComuni(w http.ResponseWriter, r *http.Request) {
	if _, err := (httpx.Params{}).Parse(r); err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	base := httpx.BaseURL(r, "")
	base = base[:len(base)-len(httpx.PathPrefix(r.Context()))]
	out := []comuneJSON{}
	for _, c := range s.comuni.Comuni() {
		out = append(out, toComuneJSON(base, c))
	}
	if err := httpx.JSON(w, r, http.StatusOK, "application/json", map[string]any{"comuni": out}); err != nil {
		httpx.WriteError(w, r, s.log, err)
	}
}

// comuneOf is the comune of the request (its URL's, or the default).
func (s *Service) comuneOf(r *http.Request) (layers.Comune, error) {
	c, ok := s.comuni.Comune(access.ViewFrom(r.Context()).Comune)
	if !ok {
		return c, httpx.NotFound("this instance hosts no comune")
	}
	return c, nil
}

// HandleComune serves GET /comune (and /c/{comune}/comune): the comune of
// the request, for the viewer's and the reports' headers.
func (s *Service) HandleComune(w http.ResponseWriter, r *http.Request) {
	if _, err := (httpx.Params{}).Parse(r); err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	c, err := s.comuneOf(r)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	base := httpx.BaseURL(r, "")
	base = base[:len(base)-len(httpx.PathPrefix(r.Context()))]
	if err := httpx.JSON(w, r, http.StatusOK, "application/json", toComuneJSON(base, c)); err != nil {
		httpx.WriteError(w, r, s.log, err)
	}
}

// HandleCoatOfArms serves GET /comune/coat-of-arms: the image, with a
// policy that runs nothing inside it (an SVG may hold scripts).
func (s *Service) HandleCoatOfArms(w http.ResponseWriter, r *http.Request) {
	if _, err := (httpx.Params{}).Parse(r); err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	c, err := s.comuneOf(r)
	if err == nil && len(c.CoatOfArms) == 0 {
		err = httpx.NotFound("the comune has no coat of arms (sit comune set " + c.Slug + " --coat-of-arms FILE)")
	}
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "public, max-age=3600")
	httpx.Send(w, r, http.StatusOK, c.CoatOfArmsType, c.CoatOfArms)
}
