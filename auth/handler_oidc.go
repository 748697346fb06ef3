package auth

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/sit-gis/sit/internal/httpx"
)

// oidcCookie binds a sign-in at the provider to the browser that started
// it: the callback's state must equal it (login CSRF).
const oidcCookie = "sit_oidc_state"

var oidcLoginParams = httpx.Params{Once: []string{"return_to"}}

// HandleOIDCLogin serves GET /auth/oidc/login[?return_to=/path]: a
// redirect to the identity provider.
func (w *Web) HandleOIDCLogin(rw http.ResponseWriter, r *http.Request) {
	q, err := oidcLoginParams.Parse(r)
	if err != nil {
		httpx.WriteError(rw, r, w.log, err)
		return
	}
	if w.opt.OIDC == nil || w.store == nil {
		httpx.WriteProblem(rw, r, httpx.NotFound("no identity provider is configured (--oidc-issuer)"))
		return
	}
	state, to, err := w.opt.OIDC.Begin(r.Context(), safeReturn(q.Get("return_to")))
	if err != nil {
		w.log.Warn("oidc login", "err", err)
		httpx.WriteProblem(rw, r, httpx.Unavailable("the identity provider cannot be reached; retry in a moment", 5))
		return
	}
	http.SetCookie(rw, &http.Cookie{Name: oidcCookie, Value: state, Path: "/auth/oidc/", MaxAge: int(flowTTL.Seconds()),
		HttpOnly: true, Secure: w.opt.Secure, SameSite: http.SameSiteLaxMode})
	rw.Header().Set("Cache-Control", "no-store")
	http.Redirect(rw, r, to, http.StatusFound)
}

var oidcCallbackParams = httpx.Params{Once: []string{"state", "code", "error", "error_description", "session_state", "iss", "scope"}}

// HandleOIDCCallback serves GET /auth/oidc/callback: the provider sends
// the browser back with a code; the session starts and the browser goes
// where it was (303).
func (w *Web) HandleOIDCCallback(rw http.ResponseWriter, r *http.Request) {
	q, err := oidcCallbackParams.Parse(r)
	if err != nil {
		httpx.WriteError(rw, r, w.log, err)
		return
	}
	if w.opt.OIDC == nil || w.store == nil {
		httpx.WriteProblem(rw, r, httpx.NotFound("no identity provider is configured (--oidc-issuer)"))
		return
	}
	http.SetCookie(rw, &http.Cookie{Name: oidcCookie, Value: "", Path: "/auth/oidc/", MaxAge: -1, HttpOnly: true, Secure: w.opt.Secure})
	if e := q.Get("error"); e != "" {
		httpx.WriteProblem(rw, r, httpx.New(http.StatusUnauthorized, "the identity provider did not sign you in: "+e))
		return
	}
	c, err := r.Cookie(oidcCookie)
	state := q.Get("state")
	if err != nil || state == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(state)) != 1 {
		p := httpx.New(http.StatusForbidden, "this sign-in was not started by this browser: start again from the sign-in page")
		p.Parameter = "state"
		httpx.WriteProblem(rw, r, p)
		return
	}
	a, to, err := w.opt.OIDC.Finish(r.Context(), state, q.Get("code"))
	if err != nil {
		w.record(r, "oidc", "", "login", ResultFailed, http.StatusUnauthorized)
		status := http.StatusUnauthorized
		if errors.Is(err, ErrOIDCRefused) {
			status = http.StatusForbidden
		}
		w.log.Info("oidc sign-in refused", "err", err)
		httpx.WriteProblem(rw, r, httpx.New(status, err.Error()))
		return
	}
	s, err := w.store.NewSession(r.Context(), a, RemoteAddr(r), r.UserAgent(), "oidc")
	if err != nil {
		httpx.WriteError(rw, r, w.log, err)
		return
	}
	w.record(r, a.Username, a.Comune, "login", ResultOK, http.StatusSeeOther)
	w.setSessionCookie(rw, s)
	rw.Header().Set("Cache-Control", "no-store")
	http.Redirect(rw, r, to, http.StatusSeeOther)
}

// safeReturn keeps a return address on this site: a path, never another
// host ("//evil", "/\\evil", "https://…").
func safeReturn(s string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") || strings.ContainsAny(s, "\r\n") {
		return "/map/"
	}
	return s
}
