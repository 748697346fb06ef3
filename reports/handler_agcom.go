package reports

import (
	"bytes"
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleAGCOM serves GET /analytics/agcom[?snapshot=D][&compare=D]
// [&f=geojson|json|csv]: the AGCOM per-comune FTTH share of addresses and
// households, choropleth-ready (GeoJSON by default).
func (s *Service) HandleAGCOM(w http.ResponseWriter, r *http.Request) {
	q, err := agcomParams.Parse(r)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	fm, err := httpx.FormatParam(q.Get("f"), formatGeoJSON, formatJSON, formatCSV)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	rep, err := s.AGCOM(r.Context(), q.Get("snapshot"), q.Get("compare"))
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	switch fm.Name {
	case formatGeoJSON.Name:
		s.writeJSON(w, r, GeoJSONType, rep.GeoJSON())
	case formatJSON.Name:
		s.writeJSON(w, r, JSONType, rep)
	case formatCSV.Name:
		s.writeRendered(w, r, CSVType, `attachment; filename="agcom-`+rep.Snapshot+`.csv"`,
			func(b *bytes.Buffer) error { return WriteAGCOMCSV(b, rep) })
	}
}
