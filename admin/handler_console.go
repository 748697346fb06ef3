package admin

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/internal/l10n"
)

var consoleParams = httpx.Params{Once: []string{"lang"}}

// HandleConsole serves GET /console/ (and /c/{comune}/console/): the
// office's console in Italian or English (?lang=, else Accept-Language,
// else Italian, as the OGC API HTML pages), and its script and style. The
// page is the same for everyone: who may do what is asked of /admin/me.
func (s *Service) HandleConsole(w http.ResponseWriter, r *http.Request) error {
	if name := chi.URLParam(r, "*"); name != "" {
		if _, err := noParams.Parse(r); err != nil {
			return err
		}
		if !s.console.serveAsset(w, r, name) {
			return httpx.NotFound("no resource at " + r.URL.Path)
		}
		return nil
	}
	q, err := consoleParams.Parse(r)
	if err != nil {
		return err
	}
	got, err := httpx.Language(r, "lang", q.Get("lang"), l10n.Codes()...)
	if err != nil {
		return err
	}
	lang, _ := l10n.Parse(got)
	body, err := s.console.render(lang)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Security-Policy", consoleCSP)
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Vary", "Accept-Language")
	httpx.Send(w, r, http.StatusOK, "text/html; charset=utf-8", body)
	return nil
}

// HandleConsoleRedirect serves GET /console: to /console/, relative so
// that /c/{comune}/console stays in its comune.
func (s *Service) HandleConsoleRedirect(w http.ResponseWriter, r *http.Request) error {
	to := "console/"
	if r.URL.RawQuery != "" {
		to += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", to)
	w.WriteHeader(http.StatusMovedPermanently)
	return nil
}
