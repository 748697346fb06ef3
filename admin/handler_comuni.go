package admin

import (
	"net/http"

	"github.com/sit-gis/sit/layers"
)

// comuneDoc is a comune as the administration lists it.
type comuneDoc struct {
	Slug         string       `json:"slug"`
	Name         string       `json:"name"`
	Belfiore     string       `json:"belfiore"`
	ReportHeader string       `json:"reportHeader"`
	DefaultView  *[3]float64  `json:"defaultView"`
	CoatOfArms   bool         `json:"coatOfArms"`
	Default      bool         `json:"default"`
	Links        []layerLinks `json:"links"`
}

type layerLinks struct {
	Href string `json:"href"`
	Rel  string `json:"rel"`
}

func toComuneDoc(c layers.Comune) comuneDoc {
	return comuneDoc{Slug: c.Slug, Name: c.Name, Belfiore: c.Belfiore, ReportHeader: c.ReportHeader, DefaultView: c.DefaultView,
		CoatOfArms: len(c.CoatOfArms) > 0, Default: c.Default, Links: []layerLinks{{Href: "/c/" + c.Slug + "/", Rel: "alternate"}}}
}

// HandleComuni serves GET /admin/comuni: the comuni of the scope.
func (s *Service) HandleComuni(w http.ResponseWriter, r *http.Request) error {
	if _, err := noParams.Parse(r); err != nil {
		return err
	}
	sc := scopeFrom(r.Context())
	out := []comuneDoc{}
	for _, c := range s.opt.Catalog.Comuni() {
		if sc.all || c.Slug == sc.comune {
			out = append(out, toComuneDoc(c))
		}
	}
	return s.write(w, r, http.StatusOK, map[string]any{"comuni": out})
}
