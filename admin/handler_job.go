package admin

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/auth"
	"github.com/sit-gis/sit/internal/httpx"
)

// HandleJob serves GET /admin/jobs/{id}: the upload's status, progress,
// notices and, at the end, each layer's counts and rejected records. A
// job whose server stopped is "interrupted" (nothing changed).
func (s *Service) HandleJob(w http.ResponseWriter, r *http.Request) error {
	if _, err := noParams.Parse(r); err != nil {
		return err
	}
	id := chi.URLParam(r, "id")
	sc := scopeFrom(r.Context())
	d, err := scanJob(s.opt.DB.QueryRow(r.Context(), `SELECT `+jobColumns+` FROM sit_auth.jobs WHERE id = $1`, id))
	if err == nil && !(sc.all || d.Comune == sc.comune) || err == nil && !sc.admin() && d.Actor != sc.p.Actor() {
		err = auth.ErrNotFound
	}
	if err == auth.ErrNotFound {
		return httpx.NotFoundParameter("id", "no job "+id)
	}
	if err != nil {
		return err
	}
	return s.write(w, r, http.StatusOK, d)
}
