package admin

import (
	"net/http"
	"strconv"

	"github.com/sit-gis/sit/auth"
	"github.com/sit-gis/sit/internal/httpx"
)

var auditParams = httpx.Params{Once: []string{"before", "limit"}}

// HandleAudit serves GET /admin/audit[?before=ID][&limit=N]
// (administrators): the audit log of the scope, newest first; page with
// before= the last id seen.
func (s *Service) HandleAudit(w http.ResponseWriter, r *http.Request) {
	q, err := auditParams.Parse(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sc := scopeFrom(r.Context())
	if err := requireAdmin(sc); err != nil {
		s.fail(w, r, err)
		return
	}
	aq := auth.AuditQuery{Comune: sc.listComune(), Limit: 100}
	if v := q.Get("before"); v != "" {
		if aq.Before, err = strconv.ParseInt(v, 10, 64); err != nil || aq.Before < 1 {
			s.fail(w, r, httpx.BadParameter("before", "an entry id"))
			return
		}
	}
	if v := q.Get("limit"); v != "" {
		if aq.Limit, err = strconv.Atoi(v); err != nil || aq.Limit < 1 || aq.Limit > 1000 {
			s.fail(w, r, httpx.BadParameter("limit", "an integer from 1 to 1000"))
			return
		}
	}
	es, err := s.opt.Auth.AuditLog(r.Context(), aq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if es == nil {
		es = []auth.Entry{}
	}
	s.write(w, r, http.StatusOK, map[string]any{"entries": es})
}
