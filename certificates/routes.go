package certificates

import (
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// Mount registers the routes: the register for the office (editors and
// administrators of the comune), the verification page for anyone with a
// code.
func (s *Service) Mount(r chi.Router) {
	r.Post("/certificates", s.HandleIssue)
	httpx.Get(r, "/certificates", s.HandleRegister)
	httpx.Get(r, "/verify/{code}", s.HandleVerify)
	httpx.Get(r, "/verify/{code}/pdf", s.HandleVerifyPDF)
}

// office is the comune a request issues for or lists, once its principal
// is of the office: an editor or an administrator there. Professionals
// and the public verify by code; the register names people.
func office(r *http.Request) (access.Principal, string, error) {
	v := access.ViewFrom(r.Context())
	p := v.Principal
	if !p.Authenticated() {
		return p, "", httpx.New(http.StatusUnauthorized, "sign in: the register of certificates is the office's")
	}
	comune := v.Comune
	if comune == access.AllComuni {
		comune = ""
	}
	if role := p.RoleIn(comune); role != access.Editor && role != access.Admin {
		return p, "", httpx.New(http.StatusForbidden, "the register of certificates is for the office (editors and administrators of the comune)")
	}
	return p, comune, nil
}

// ParseAt reads the date a certificate is about: a past day (its end,
// Italian time) or instant; today or nothing is now (the zero time).
func ParseAt(text string, now time.Time) (time.Time, error) {
	if strings.TrimSpace(text) == "" {
		return time.Time{}, nil
	}
	t, err := layers.ParseAsOf(text, now)
	if err != nil {
		return t, httpx.BadParameter("at", err.Error())
	}
	if t.After(now) {
		return time.Time{}, nil
	}
	return t, nil
}

// ParseDay reads a calendar date (YYYY-MM-DD) for a field.
func ParseDay(field, text string) (*time.Time, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(text), layers.Rome())
	if err != nil {
		return nil, httpx.BadParameter(field, "a date YYYY-MM-DD")
	}
	return &d, nil
}
