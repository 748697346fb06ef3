package admin

import "net/http"

// meDoc is GET /admin/me: who the request is and what it reaches.
type meDoc struct {
	Actor  string   `json:"actor"`
	Kind   string   `json:"kind"`
	Role   string   `json:"role"`
	Comune string   `json:"comune"`
	Scope  string   `json:"scope"` // the comune acted in, "*" for all
	Admin  bool     `json:"admin"`
	Layers []string `json:"layers"`
	// Uploads says whether this server imports and edits layers.
	Uploads bool `json:"uploads"`
}

// HandleMe serves GET /admin/me.
func (s *Service) HandleMe(w http.ResponseWriter, r *http.Request) error {
	if _, err := noParams.Parse(r); err != nil {
		return err
	}
	sc := scopeFrom(r.Context())
	scopeName := sc.comune
	if sc.all {
		scopeName = "*"
	}
	layers := sc.p.Layers
	if layers == nil {
		layers = []string{}
	}
	return s.write(w, r, http.StatusOK, meDoc{Actor: sc.p.Actor(), Kind: sc.p.Kind, Role: sc.p.Role.String(), Comune: sc.p.Comune, Scope: scopeName,
		Admin: sc.admin(), Layers: layers, Uploads: s.opt.Layers != nil})
}
