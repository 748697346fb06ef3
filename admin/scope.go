package admin

import (
	"context"
	"net/http"
	"slices"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/auth"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// scope is what one administrative request reaches: the comune it acts in
// (the URL's /c/{comune}/, else the principal's own), or every comune for
// an administrator of the instance on the URLs without a comune.
type scope struct {
	p      access.Principal
	comune string
	all    bool
}

type scopeKey struct{}

func scopeFrom(ctx context.Context) scope {
	s, _ := ctx.Value(scopeKey{}).(scope)
	return s
}

// authorize answers 401 to a request without credentials and 403 to a
// principal without an administrative role (a professional); an
// administrator of another comune than the URL's gets 404, as for a
// comune that does not exist.
func (s *Service) authorize(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := access.ViewFrom(r.Context())
		p := v.Principal
		if !p.Authenticated() {
			w.Header().Set("WWW-Authenticate", `Bearer realm="sit"`)
			httpx.WriteProblem(w, r, httpx.New(http.StatusUnauthorized, "sign in (POST /auth/login) or send a token (Authorization: Bearer …)"))
			return
		}
		if p.Role != access.Admin && p.Role != access.Editor {
			httpx.WriteProblem(w, r, httpx.New(http.StatusForbidden, "the administration is for the comune's administrators and editors"))
			return
		}
		sc := scope{p: p, comune: p.Comune}
		switch {
		case v.Prefixed && !p.In(v.Comune):
			httpx.WriteProblem(w, r, httpx.NotFound("no resource at "+r.URL.Path))
			return
		case v.Prefixed:
			sc.comune = v.Comune
		case p.Comune == "":
			sc.all = true
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), scopeKey{}, sc)))
	})
}

// admin reports whether the scope's principal administers it.
func (sc scope) admin() bool {
	if sc.all {
		return sc.p.Instance()
	}
	return sc.p.Administers(sc.comune)
}

// sees reports whether a layer is in the scope.
func (sc scope) sees(l layers.Layer) bool {
	return sc.all || l.Comune == sc.comune || l.Comune == ""
}

// mayEdit reports whether the scope's principal may change a layer:
// province-wide ones only an administrator of the instance.
func (sc scope) mayEdit(l layers.Layer) bool {
	if !sc.sees(l) {
		return false
	}
	if l.Comune == "" {
		return sc.p.Instance()
	}
	return sc.p.MayImport(l.Name, l.Comune, true)
}

// newLayerComune is the comune of a layer an upload creates.
func (sc scope) newLayerComune() string {
	if sc.all {
		return ""
	}
	return sc.comune
}

// mayAccount reports whether the scope's administrator manages accounts
// and tokens of a comune ("" : the instance's).
func (sc scope) mayManage(comune string) bool {
	if !sc.admin() {
		return false
	}
	if sc.all {
		return true
	}
	return comune == sc.comune
}

// listComune is the comune filter of the lists ("" : all).
func (sc scope) listComune() string {
	if sc.all {
		return ""
	}
	return sc.comune
}

// forbidden is the answer to an action the role does not allow.
func forbidden(detail string) *httpx.Problem { return httpx.New(http.StatusForbidden, detail) }

// requireAdmin answers 403 unless the scope's principal administers it.
func requireAdmin(sc scope) error {
	if !sc.admin() {
		return forbidden("only an administrator of the comune may do this")
	}
	return nil
}

// audit writes an action and its result to the audit log, and returns
// the action's error for the handler to answer.
func (s *Service) audit(r *http.Request, action, target string, err error, detail map[string]any) error {
	sc := scopeFrom(r.Context())
	res, status := auth.ResultOK, http.StatusOK
	if err != nil {
		res, status = auth.ResultFailed, http.StatusInternalServerError
		var p *httpx.Problem
		if ok := asProblem(err, &p); ok {
			status = p.Status
			if p.Status == http.StatusForbidden || p.Status == http.StatusNotFound {
				res = auth.ResultDenied
			}
		}
		if detail == nil {
			detail = map[string]any{}
		}
		detail["error"] = err.Error()
	}
	if e := s.opt.Auth.Record(r.Context(), auth.Entry{Actor: sc.p.Actor(), Comune: sc.listComune(), Action: action, Target: target,
		RemoteAddr: auth.RemoteAddr(r), Result: res, Status: status, Detail: detail}); e != nil {
		s.log.Warn("audit log", "action", action, "err", e)
	}
	return err
}

// grantedOnly filters an editor's layers to those it was given.
func grantedOnly(sc scope, names []string) []string {
	if sc.admin() {
		return names
	}
	return slices.DeleteFunc(slices.Clone(names), func(n string) bool { return !slices.Contains(sc.p.Layers, n) })
}
