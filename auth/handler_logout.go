package auth

import (
	"net/http"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/internal/httpx"
)

// HandleLogout serves POST /auth/logout: the session ends on the server
// and the cookie is cleared (CSRF token required, as on every POST of a
// session). 204, also without a session.
func (w *Web) HandleLogout(rw http.ResponseWriter, r *http.Request) {
	if _, err := (httpx.Params{}).Parse(r); err != nil {
		httpx.WriteError(rw, r, w.log, err)
		return
	}
	p := access.PrincipalFrom(r.Context())
	if p.Session != nil && w.store != nil {
		if err := w.store.EndSession(r.Context(), p.Session); err != nil {
			httpx.WriteError(rw, r, w.log, err)
			return
		}
		w.record(r, p.Name, p.Comune, "logout", ResultOK, http.StatusNoContent)
	}
	w.clearSessionCookie(rw)
	rw.Header().Set("Cache-Control", "no-store")
	rw.WriteHeader(http.StatusNoContent)
}
