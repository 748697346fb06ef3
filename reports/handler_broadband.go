package reports

import (
	"bytes"
	"net/http"
)

// HandleBroadband serves GET /analytics/broadband?zones=LAYER
// [&snapshot=D][&compare=D][&coverage=LAYER][&f=json|csv]: addresses and
// households by speed band and area class per zone, and with compare the
// change and which zones improved.
func (s *Service) HandleBroadband(w http.ResponseWriter, r *http.Request) error {
	q, fm, err := request(r, broadbandParams, formatJSON, formatCSV)
	if err != nil {
		return err
	}
	rep, err := s.Broadband(r.Context(), BroadbandRequest{Zones: q.Get("zones"), Coverage: q.Get("coverage"),
		Snapshot: q.Get("snapshot"), Compare: q.Get("compare")})
	if err != nil {
		return err
	}
	if fm.Name == formatJSON.Name {
		return writeJSON(w, r, JSONType, rep)
	}
	return writeRendered(w, r, CSVType, `attachment; filename="broadband-`+rep.Zones.Name+`-`+rep.Snapshot+`.csv"`,
		func(b *bytes.Buffer) error { return WriteBroadbandCSV(b, rep) })
}
