package admin

import (
	"net/http"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/auth"
	"github.com/sit-gis/sit/internal/httpx"
)

// HandleAccountPatch serves PATCH /admin/accounts/{id} (administrators):
// name, e-mail, password, role, comune, layers, disabled. A new password,
// role, comune or layers, or disabling, ends the account's sessions.
func (s *Service) HandleAccountPatch(w http.ResponseWriter, r *http.Request) error {
	a, err := s.patchAccount(r)
	if err := s.audit(r, "account.update", a.Username, err, nil); err != nil {
		return err
	}
	return s.write(w, r, http.StatusOK, a)
}

func (s *Service) patchAccount(r *http.Request) (auth.Account, error) {
	if _, err := noParams.Parse(r); err != nil {
		return auth.Account{}, err
	}
	a, err := s.accountOf(r)
	if err != nil {
		return a, err
	}
	var b accountBody
	if err := readJSON(r, &b); err != nil {
		return a, err
	}
	sc := scopeFrom(r.Context())
	if b.Username != nil {
		return a, httpx.BadParameter("username", "a username does not change: make a new account")
	}
	if b.Comune != nil && !sc.mayManage(*b.Comune) {
		return a, forbidden("you manage the accounts of your comune only")
	}
	if b.Role != nil {
		if _, err := access.ParseRole(string(*b.Role)); err != nil {
			return a, httpx.BadParameter("role", err.Error())
		}
	}
	if sc.p.Kind == access.KindAccount && sc.p.ID == a.ID && (b.Role != nil || b.Disabled != nil || b.Comune != nil) {
		return a, forbidden("you may not change your own role, comune or state: ask another administrator")
	}
	na, err := s.opt.Auth.UpdateAccount(r.Context(), a.ID, auth.AccountPatch{DisplayName: b.DisplayName, Email: b.Email,
		Password: b.Password, Role: b.Role, Comune: b.Comune, Layers: b.Layers, Disabled: b.Disabled})
	if err != nil && !isKnown(err) {
		return a, httpx.BadParameter("body", err.Error())
	}
	return na, err
}
