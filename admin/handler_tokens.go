package admin

import "net/http"

// HandleTokens serves GET /admin/tokens (administrators): the tokens of
// the scope, revoked ones included, never their secrets.
func (s *Service) HandleTokens(w http.ResponseWriter, r *http.Request) error {
	return listForAdmin(s, w, r, "tokens", s.opt.Auth.Tokens)
}
