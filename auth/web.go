package auth

import (
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/internal/httpx"
)

// CSRFHeader carries a session's anti-forgery token on every request that
// changes something (POST, PUT, PATCH, DELETE).
const CSRFHeader = "X-CSRF-Token"

// WebOptions configure the HTTP side.
type WebOptions struct {
	// Secure marks the cookies Secure and names the session cookie
	// __Host-sit_session: set it when the server is reached over HTTPS
	// (--public-url https://…).
	Secure bool
	// OIDC, if set, offers login through an identity provider.
	OIDC *OIDC
	Log  *slog.Logger
}

// Web serves /auth/… and resolves who makes each request.
type Web struct {
	store *Store
	opt   WebOptions
	log   *slog.Logger
}

// NewWeb makes the HTTP side of a store; store nil means no accounts (a
// server without the web role): every request is anonymous, a bearer
// token is refused and /auth/login answers 503.
func NewWeb(store *Store, opt WebOptions) *Web {
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	return &Web{store: store, opt: opt, log: opt.Log}
}

// CookieName is the session cookie's name.
func (w *Web) CookieName() string {
	if w.opt.Secure {
		return "__Host-sit_session"
	}
	return "sit_session"
}

// RemoteAddr is the client's address as the connection shows it (a
// forwarding header can be forged; behind a proxy, every client is the
// proxy).
func RemoteAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Middleware sets the request's principal (in its access.View, whose
// comune an outer middleware has set): a bearer token (a wrong, revoked or
// expired one is 401, never anonymous), else a session cookie (an expired
// one is anonymous). A request that changes something with a session
// cookie must carry the session's CSRF token and, when the browser says
// where it comes from, come from this origin: else 403.
func (w *Web) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		p, err := w.principal(r)
		if err != nil {
			w.writeAuthError(rw, r, err)
			return
		}
		if p.Kind == access.KindAccount && !safeMethod(r.Method) {
			if prob := w.checkForgery(r, p); prob != nil {
				httpx.WriteProblem(rw, r, prob)
				return
			}
		}
		v := access.ViewFrom(r.Context())
		v.Principal = p
		next.ServeHTTP(rw, r.WithContext(access.WithView(r.Context(), v)))
	})
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// errBadScheme is an Authorization header that is not a bearer token.
var errBadScheme = errors.New("the Authorization header must be: Bearer <token>")

func (w *Web) principal(r *http.Request) (access.Principal, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return access.Principal{}, errBadScheme
		}
		if w.store == nil {
			return access.Principal{}, ErrBadToken
		}
		return w.store.TokenPrincipal(r.Context(), strings.TrimSpace(tok))
	}
	c, err := r.Cookie(w.CookieName())
	if err != nil || w.store == nil {
		return access.Principal{}, nil
	}
	p, err := w.store.SessionPrincipal(r.Context(), c.Value)
	if errors.Is(err, ErrNoSession) {
		return access.Principal{}, nil
	}
	return p, err
}

func (w *Web) writeAuthError(rw http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, ErrBadToken) || errors.Is(err, errBadScheme) {
		rw.Header().Set("WWW-Authenticate", `Bearer realm="sit", error="invalid_token"`)
		p := httpx.New(http.StatusUnauthorized, err.Error())
		p.Parameter = "Authorization"
		httpx.WriteProblem(rw, r, p)
		return
	}
	httpx.WriteError(rw, r, w.log, err)
}

// checkForgery is the CSRF rule: the token in the header, and an Origin
// (when sent) equal to the request's own.
func (w *Web) checkForgery(r *http.Request, p access.Principal) *httpx.Problem {
	if o := r.Header.Get("Origin"); o != "" && !sameOrigin(o, r) {
		pr := httpx.New(http.StatusForbidden, "a request from another site may not use this session")
		pr.Parameter = "Origin"
		return pr
	}
	if !CheckCSRF(p, r.Header.Get(CSRFHeader)) {
		pr := httpx.New(http.StatusForbidden, "missing or wrong "+CSRFHeader+" header: a signed-in browser sends the token of GET /auth/session with every request that changes something")
		pr.Parameter = CSRFHeader
		return pr
	}
	return nil
}

// sameOrigin compares an Origin header with the host the request came to.
func sameOrigin(origin string, r *http.Request) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	return strings.EqualFold(u.Host, r.Host)
}

// setSessionCookie hands a session to the browser: HttpOnly (no script
// reads it), SameSite=Lax (no cross-site POST carries it), Secure behind
// HTTPS, for the whole site.
func (w *Web) setSessionCookie(rw http.ResponseWriter, s Session) {
	http.SetCookie(rw, &http.Cookie{Name: w.CookieName(), Value: s.Cookie, Path: "/", Expires: s.Expires,
		MaxAge: int(time.Until(s.Expires).Seconds()), HttpOnly: true, Secure: w.opt.Secure, SameSite: http.SameSiteLaxMode})
}

func (w *Web) clearSessionCookie(rw http.ResponseWriter) {
	http.SetCookie(rw, &http.Cookie{Name: w.CookieName(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: w.opt.Secure, SameSite: http.SameSiteLaxMode})
}

// Mount registers /auth/….
func (w *Web) Mount(r chi.Router) {
	r.Post("/auth/login", w.HandleLogin)
	r.Post("/auth/logout", w.HandleLogout)
	httpx.Get(r, "/auth/session", w.HandleSession)
	httpx.Get(r, "/auth/oidc/login", w.HandleOIDCLogin)
	httpx.Get(r, "/auth/oidc/callback", w.HandleOIDCCallback)
}
