package admin

import (
	"net/http"

	"github.com/jackc/pgx/v5"
)

// HandleJobs serves GET /admin/jobs: the latest 50 uploads of the scope
// (an editor's own).
func (s *Service) HandleJobs(w http.ResponseWriter, r *http.Request) {
	if _, err := noParams.Parse(r); err != nil {
		s.fail(w, r, err)
		return
	}
	sc := scopeFrom(r.Context())
	actor := ""
	if !sc.admin() {
		actor = sc.p.Actor()
	}
	rows, err := s.opt.DB.Query(r.Context(), `SELECT `+jobColumns+` FROM sit_auth.jobs
		WHERE ($1 = '' OR comune = $1) AND ($2 = '' OR actor = $2) ORDER BY created_at DESC LIMIT 50`, sc.listComune(), actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (jobDoc, error) { return scanJob(row) })
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if out == nil {
		out = []jobDoc{}
	}
	s.write(w, r, http.StatusOK, map[string]any{"jobs": out})
}
