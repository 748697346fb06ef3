package admin

import (
	"net/http"

	"github.com/sit-gis/sit/auth"
)

// HandleAccounts serves GET /admin/accounts (administrators): the
// accounts of the scope.
func (s *Service) HandleAccounts(w http.ResponseWriter, r *http.Request) {
	if _, err := noParams.Parse(r); err != nil {
		s.fail(w, r, err)
		return
	}
	sc := scopeFrom(r.Context())
	if err := requireAdmin(sc); err != nil {
		s.fail(w, r, err)
		return
	}
	accs, err := s.opt.Auth.Accounts(r.Context(), sc.listComune())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if accs == nil {
		accs = []auth.Account{}
	}
	s.write(w, r, http.StatusOK, map[string]any{"accounts": accs})
}
