package auth

import (
	"net/http"
	"time"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/internal/httpx"
)

// SessionDoc is what GET /auth/session and POST /auth/login answer: who is
// signed in, in which comune and role, and the CSRF token a same-origin
// page sends back in X-CSRF-Token.
type SessionDoc struct {
	Authenticated bool       `json:"authenticated"`
	Kind          string     `json:"kind,omitempty"`
	Username      string     `json:"username,omitempty"`
	Role          string     `json:"role"`
	Comune        string     `json:"comune,omitempty"`
	Layers        []string   `json:"layers,omitempty"`
	CSRFToken     string     `json:"csrfToken,omitempty"`
	Expires       *time.Time `json:"expires,omitempty"`
	OIDC          bool       `json:"oidc"`
}

func sessionDoc(p access.Principal, csrf string, expires *time.Time) SessionDoc {
	return SessionDoc{Authenticated: p.Authenticated(), Kind: p.Kind, Username: p.Name, Role: p.Role.String(), Comune: p.Comune,
		Layers: p.Layers, CSRFToken: csrf, Expires: expires}
}

// HandleSession serves GET /auth/session: the request's principal and,
// for a browser session, its CSRF token (never cached).
func (w *Web) HandleSession(rw http.ResponseWriter, r *http.Request) {
	if _, err := (httpx.Params{}).Parse(r); err != nil {
		httpx.WriteError(rw, r, w.log, err)
		return
	}
	p := access.PrincipalFrom(r.Context())
	doc := sessionDoc(p, p.CSRF, nil)
	doc.OIDC = w.opt.OIDC != nil
	rw.Header().Set("Cache-Control", "no-store")
	if err := httpx.JSON(rw, r, http.StatusOK, "application/json", doc); err != nil {
		httpx.WriteError(rw, r, w.log, err)
	}
}
