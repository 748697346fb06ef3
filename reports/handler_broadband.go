package reports

import (
	"bytes"
	"net/http"
)

// HandleBroadband serves GET /analytics/broadband?zones=LAYER
// [&snapshot=D][&compare=D][&coverage=LAYER][&f=json|csv]: addresses and
// households by speed band and area class per zone, and with compare the
// change and which zones improved.
func (s *Service) HandleBroadband(w http.ResponseWriter, r *http.Request) {
	fm, err := format(r, "json", "csv")
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	q := r.URL.Query()
	rep, err := s.Broadband(r.Context(), BroadbandRequest{Zones: q.Get("zones"), Coverage: q.Get("coverage"),
		Snapshot: q.Get("snapshot"), Compare: q.Get("compare")})
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if fm == "json" {
		writeJSON(w, JSONType, rep)
		return
	}
	var b bytes.Buffer
	if err := WriteBroadbandCSV(&b, rep); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.Header().Set("Content-Type", CSVType)
	w.Header().Set("Content-Disposition", `attachment; filename="broadband-`+rep.Zones.Name+`-`+rep.Snapshot+`.csv"`)
	_, _ = w.Write(b.Bytes())
}
