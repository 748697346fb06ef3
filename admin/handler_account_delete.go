package admin

import (
	"net/http"

	"github.com/sit-gis/sit/access"
)

// HandleAccountDelete serves DELETE /admin/accounts/{id} (administrators).
func (s *Service) HandleAccountDelete(w http.ResponseWriter, r *http.Request) error {
	return s.removed(w, r, "account.delete", s.deleteAccount)
}

func (s *Service) deleteAccount(r *http.Request) (string, error) {
	if _, err := noParams.Parse(r); err != nil {
		return "", err
	}
	a, err := s.accountOf(r)
	if err != nil {
		return "", err
	}
	sc := scopeFrom(r.Context())
	if sc.p.Kind == access.KindAccount && sc.p.ID == a.ID {
		return a.Username, forbidden("you may not remove your own account")
	}
	return a.Username, s.opt.Auth.DeleteAccount(r.Context(), a.ID)
}
