package admin

import (
	"net/http"

	"github.com/jackc/pgx/v5"
)

// HandleJobs serves GET /admin/jobs: the latest 50 uploads of the scope
// (an editor's own).
func (s *Service) HandleJobs(w http.ResponseWriter, r *http.Request) error {
	if _, err := noParams.Parse(r); err != nil {
		return err
	}
	sc := scopeFrom(r.Context())
	actor := ""
	if !sc.admin() {
		actor = sc.p.Actor()
	}
	rows, err := s.opt.DB.Query(r.Context(), `SELECT `+jobColumns+` FROM sit_auth.jobs
		WHERE ($1 = '' OR comune = $1) AND ($2 = '' OR actor = $2) ORDER BY created_at DESC LIMIT 50`, sc.listComune(), actor)
	if err != nil {
		return err
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (jobDoc, error) { return scanJob(row) })
	if err != nil {
		return err
	}
	if out == nil {
		out = []jobDoc{}
	}
	return s.write(w, r, http.StatusOK, map[string]any{"jobs": out})
}
