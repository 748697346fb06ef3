package reports

import (
	"bytes"
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleBroadband serves GET /analytics/broadband?zones=LAYER
// [&snapshot=D][&compare=D][&coverage=LAYER][&f=json|csv]: addresses and
// households by speed band and area class per zone, and with compare the
// change and which zones improved.
func (s *Service) HandleBroadband(w http.ResponseWriter, r *http.Request) {
	q, err := broadbandParams.Parse(r)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	fm, err := httpx.FormatParam(q.Get("f"), formatJSON, formatCSV)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	rep, err := s.Broadband(r.Context(), BroadbandRequest{Zones: q.Get("zones"), Coverage: q.Get("coverage"),
		Snapshot: q.Get("snapshot"), Compare: q.Get("compare")})
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	if fm.Name == formatJSON.Name {
		s.writeJSON(w, r, JSONType, rep)
		return
	}
	s.writeRendered(w, r, CSVType, `attachment; filename="broadband-`+rep.Zones.Name+`-`+rep.Snapshot+`.csv"`,
		func(b *bytes.Buffer) error { return WriteBroadbandCSV(b, rep) })
}
