package admin

import "net/http"

// HandleAccounts serves GET /admin/accounts (administrators): the
// accounts of the scope.
func (s *Service) HandleAccounts(w http.ResponseWriter, r *http.Request) error {
	return listForAdmin(s, w, r, "accounts", s.opt.Auth.Accounts)
}
