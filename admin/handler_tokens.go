package admin

import (
	"net/http"

	"github.com/sit-gis/sit/auth"
)

// HandleTokens serves GET /admin/tokens (administrators): the tokens of
// the scope, revoked ones included, never their secrets.
func (s *Service) HandleTokens(w http.ResponseWriter, r *http.Request) {
	if _, err := noParams.Parse(r); err != nil {
		s.fail(w, r, err)
		return
	}
	sc := scopeFrom(r.Context())
	if err := requireAdmin(sc); err != nil {
		s.fail(w, r, err)
		return
	}
	ts, err := s.opt.Auth.Tokens(r.Context(), sc.listComune())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ts == nil {
		ts = []auth.Token{}
	}
	s.write(w, r, http.StatusOK, map[string]any{"tokens": ts})
}
