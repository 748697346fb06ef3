package admin

import (
	"net/http"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/auth"
	"github.com/sit-gis/sit/internal/httpx"
)

// accountBody is the body of POST /admin/accounts and PATCH /admin/accounts/{id}.
type accountBody struct {
	Username    *string      `json:"username"`
	Password    *string      `json:"password"`
	DisplayName *string      `json:"displayName"`
	Email       *string      `json:"email"`
	Role        *access.Role `json:"role"`
	Comune      *string      `json:"comune"`
	Layers      *[]string    `json:"layers"`
	Disabled    *bool        `json:"disabled"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// HandleAccountCreate serves POST /admin/accounts (administrators): an
// account of the scope's comune (an administrator of the instance may
// name any comune, or none).
func (s *Service) HandleAccountCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := s.createAccount(r)
	if err := s.audit(r, "account.create", a.Username, err, map[string]any{"role": a.Role, "comune": a.Comune}); err != nil {
		return err
	}
	return s.write(w, r, http.StatusCreated, a)
}

func (s *Service) createAccount(r *http.Request) (auth.Account, error) {
	if _, err := noParams.Parse(r); err != nil {
		return auth.Account{}, err
	}
	sc := scopeFrom(r.Context())
	if err := requireAdmin(sc); err != nil {
		return auth.Account{}, err
	}
	var b accountBody
	if err := readJSON(r, &b); err != nil {
		return auth.Account{}, err
	}
	comune := sc.newLayerComune()
	if b.Comune != nil {
		comune = *b.Comune
	}
	if !sc.mayManage(comune) {
		return auth.Account{Username: str(b.Username)}, forbidden("you manage the accounts of your comune only")
	}
	if b.Username == nil || b.Role == nil {
		return auth.Account{}, httpx.BadParameter("body", "an account needs a username and a role")
	}
	if _, err := access.ParseRole(string(*b.Role)); err != nil {
		return auth.Account{Username: *b.Username}, httpx.BadParameter("role", err.Error())
	}
	n := auth.NewAccount{Username: *b.Username, Password: str(b.Password), Role: *b.Role, Comune: comune,
		DisplayName: str(b.DisplayName), Email: str(b.Email)}
	if b.Layers != nil {
		n.Layers = *b.Layers
	}
	a, err := s.opt.Auth.CreateAccount(r.Context(), n)
	if err != nil && !isKnown(err) {
		return auth.Account{Username: *b.Username}, httpx.BadParameter("body", err.Error())
	}
	return a, err
}
