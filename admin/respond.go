package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/auth"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

func asProblem(err error, p **httpx.Problem) bool { return errors.As(err, p) }

// noParams are the parameters of the routes that take none.
var noParams = httpx.Params{}

// write sends a JSON document, never cached by anyone but the browser.
func (s *Service) write(w http.ResponseWriter, r *http.Request, status int, v any) error {
	w.Header().Set("Cache-Control", "private, no-store")
	return httpx.JSON(w, r, status, "application/json", v)
}

// problem translates the stores' errors into the problems they mean, for
// the frame (httpx.Routes); problems and anything else pass as they are.
func (s *Service) problem(_ *http.Request, err error) error {
	var ie *layers.ImportError
	switch {
	case errors.Is(err, auth.ErrNotFound), errors.Is(err, layers.ErrNotFound), errors.Is(err, layers.ErrNoComune):
		return httpx.NotFound(err.Error())
	case errors.Is(err, auth.ErrExists):
		return httpx.New(http.StatusConflict, err.Error())
	case errors.As(err, &ie):
		return httpx.New(http.StatusUnprocessableEntity, err.Error())
	}
	return err
}

// readJSON decodes a JSON body strictly (httpx.ReadJSON).
func readJSON(r *http.Request, v any) error { return httpx.ReadJSON(r, v) }

// idParam reads a numeric path parameter.
func idParam(r *http.Request, name string) (int64, error) {
	v := chi.URLParam(r, name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, httpx.NotFoundParameter(name, fmt.Sprintf("no %s %q", name, v))
	}
	return id, nil
}

// writesData answers 503 when the server holds no owner credentials.
func (s *Service) writesData() error {
	if s.opt.Layers == nil {
		return httpx.New(http.StatusServiceUnavailable, "this server does not change layers: start sit serve with --allow-uploads (it then holds the owner's credentials)")
	}
	return nil
}

// isKnown reports the store errors problem turns into their own answers.
func isKnown(err error) bool {
	return errors.Is(err, auth.ErrNotFound) || errors.Is(err, auth.ErrExists)
}
