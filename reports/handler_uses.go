package reports

import (
	"net/http"
)

// HandleUses serves GET /reports/uses?parcel=REF&use=USE[&at=DATE]: may
// the use be located on the parcel? yes, no or conditional, with the
// zones of the instruments that apply, the rows of their tables of uses,
// the conditions and the articles. For the SUAP.
func (s *Service) HandleUses(w http.ResponseWriter, r *http.Request) error {
	q, _, err := request(r, usesParams, formatJSON)
	if err != nil {
		return err
	}
	at, err := s.AsOf(q.Get("at"))
	if err != nil {
		return err
	}
	ans, err := s.Uses(r.Context(), UsesRequest{Parcel: q.Get("parcel"), Use: q.Get("use"), At: at})
	if err != nil {
		return err
	}
	return writeJSON(w, r, JSONType, ans)
}
