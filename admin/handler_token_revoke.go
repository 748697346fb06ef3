package admin

import (
	"net/http"

	"github.com/sit-gis/sit/auth"
)

// HandleTokenRevoke serves DELETE /admin/tokens/{id} (administrators):
// the token stops working at once and stays listed as revoked.
func (s *Service) HandleTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	return s.removed(w, r, "token.revoke", s.revokeToken)
}

func (s *Service) revokeToken(r *http.Request) (string, error) {
	if _, err := noParams.Parse(r); err != nil {
		return "", err
	}
	sc := scopeFrom(r.Context())
	if err := requireAdmin(sc); err != nil {
		return "", err
	}
	id, err := idParam(r, "id")
	if err != nil {
		return "", err
	}
	t, err := s.opt.Auth.TokenByID(r.Context(), id)
	if err == nil && !sc.mayManage(t.Comune) {
		err = auth.ErrNotFound
	}
	if err != nil {
		return "", err
	}
	return t.Name, s.opt.Auth.RevokeToken(r.Context(), t.ID)
}
