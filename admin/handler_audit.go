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
func (s *Service) HandleAudit(w http.ResponseWriter, r *http.Request) error {
	q, err := auditParams.Parse(r)
	if err != nil {
		return err
	}
	sc := scopeFrom(r.Context())
	if err := requireAdmin(sc); err != nil {
		return err
	}
	aq := auth.AuditQuery{Comune: sc.listComune(), Limit: 100}
	if v := q.Get("before"); v != "" {
		if aq.Before, err = strconv.ParseInt(v, 10, 64); err != nil || aq.Before < 1 {
			return httpx.BadParameter("before", "an entry id")
		}
	}
	if v := q.Get("limit"); v != "" {
		if aq.Limit, err = strconv.Atoi(v); err != nil || aq.Limit < 1 || aq.Limit > 1000 {
			return httpx.BadParameter("limit", "an integer from 1 to 1000")
		}
	}
	es, err := s.opt.Auth.AuditLog(r.Context(), aq)
	if err != nil {
		return err
	}
	if es == nil {
		es = []auth.Entry{}
	}
	return s.write(w, r, http.StatusOK, map[string]any{"entries": es})
}
