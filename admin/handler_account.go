package admin

import (
	"net/http"

	"github.com/sit-gis/sit/auth"
)

// accountOf reads the account of the path if the scope manages it (404
// otherwise).
func (s *Service) accountOf(r *http.Request) (auth.Account, error) {
	sc := scopeFrom(r.Context())
	if err := requireAdmin(sc); err != nil {
		return auth.Account{}, err
	}
	id, err := idParam(r, "id")
	if err != nil {
		return auth.Account{}, err
	}
	a, err := s.opt.Auth.Account(r.Context(), id)
	if err == nil && !sc.mayManage(a.Comune) {
		err = auth.ErrNotFound
	}
	return a, err
}

// HandleAccount serves GET /admin/accounts/{id}.
func (s *Service) HandleAccount(w http.ResponseWriter, r *http.Request) error {
	if _, err := noParams.Parse(r); err != nil {
		return err
	}
	a, err := s.accountOf(r)
	if err != nil {
		return err
	}
	return s.write(w, r, http.StatusOK, a)
}
