package auth

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"mime"
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// loginRequest is the body of POST /auth/login.
type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// HandleLogin serves POST /auth/login: a JSON {"username", "password"}
// (JSON only: a cross-site HTML form cannot send it without the browser
// asking first). 200 with the account and the CSRF token, and the session
// cookie; 401 with one generic message whatever was wrong; 429 with
// Retry-After past the failures allowed.
func (w *Web) HandleLogin(rw http.ResponseWriter, r *http.Request) {
	if w.store == nil {
		httpx.WriteProblem(rw, r, httpx.New(http.StatusServiceUnavailable, "this server has no accounts (no web role configured: --web-url)"))
		return
	}
	if _, err := (httpx.Params{}).Parse(r); err != nil {
		httpx.WriteError(rw, r, w.log, err)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		p := httpx.New(http.StatusUnsupportedMediaType, `send {"username": …, "password": …} as application/json`)
		p.Parameter = "Content-Type"
		httpx.WriteProblem(rw, r, p)
		return
	}
	if o := r.Header.Get("Origin"); o != "" && !sameOrigin(o, r) {
		p := httpx.New(http.StatusForbidden, "sign in from this site's own pages")
		p.Parameter = "Origin"
		httpx.WriteProblem(rw, r, p)
		return
	}
	var req loginRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 8<<10)).Decode(&req); err != nil || req.Username == "" || req.Password == "" {
		httpx.WriteProblem(rw, r, httpx.BadParameter("body", `want {"username": "…", "password": "…"}`))
		return
	}
	addr := RemoteAddr(r)
	a, err := w.store.Authenticate(r.Context(), req.Username, req.Password, addr)
	var th *ThrottledError
	switch {
	case errors.As(err, &th):
		p := httpx.New(http.StatusTooManyRequests, th.Error())
		p.RetryAfter = int(math.Ceil(th.RetryAfter.Seconds()))
		w.record(r, req.Username, "", "login", ResultDenied, http.StatusTooManyRequests)
		httpx.WriteProblem(rw, r, p)
		return
	case errors.Is(err, ErrInvalidCredentials):
		w.record(r, req.Username, "", "login", ResultFailed, http.StatusUnauthorized)
		httpx.WriteProblem(rw, r, httpx.New(http.StatusUnauthorized, ErrInvalidCredentials.Error()))
		return
	case err != nil:
		httpx.WriteError(rw, r, w.log, err)
		return
	}
	w.startSession(rw, r, a, "password")
}

// startSession signs the account in and answers with the session document.
func (w *Web) startSession(rw http.ResponseWriter, r *http.Request, a Account, via string) {
	s, err := w.store.NewSession(r.Context(), a, RemoteAddr(r), r.UserAgent(), via)
	if err != nil {
		httpx.WriteError(rw, r, w.log, err)
		return
	}
	w.record(r, a.Username, a.Comune, "login", ResultOK, http.StatusOK)
	w.setSessionCookie(rw, s)
	rw.Header().Set("Cache-Control", "no-store")
	if err := httpx.JSON(rw, r, http.StatusOK, "application/json", sessionDoc(a.Principal(), s.CSRF, &s.Expires)); err != nil {
		httpx.WriteError(rw, r, w.log, err)
	}
}

// record writes a sign-in or sign-out to the audit log; a failure to
// write is logged, not shown to the client.
func (w *Web) record(r *http.Request, actor, comune, action, result string, status int) {
	if err := w.store.Record(r.Context(), Entry{Actor: actor, Comune: comune, Action: action, RemoteAddr: RemoteAddr(r),
		Result: result, Status: status}); err != nil {
		w.log.Warn("audit log", "action", action, "err", err)
	}
}
