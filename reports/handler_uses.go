package reports

import (
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleUses serves GET /reports/uses?parcel=REF&use=USE[&at=DATE]: may
// the use be located on the parcel? yes, no or conditional, with the
// zones of the instruments that apply, the rows of their tables of uses,
// the conditions and the articles. For the SUAP.
func (s *Service) HandleUses(w http.ResponseWriter, r *http.Request) {
	q, err := usesParams.Parse(r)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	if _, err := httpx.FormatParam(q.Get("f"), formatJSON); err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	at, err := s.AsOf(q.Get("at"))
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	ans, err := s.Uses(r.Context(), UsesRequest{Parcel: q.Get("parcel"), Use: q.Get("use"), At: at})
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	s.writeJSON(w, r, JSONType, ans)
}
