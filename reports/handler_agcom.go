package reports

import (
	"bytes"
	"net/http"
)

// HandleAGCOM serves GET /analytics/agcom[?snapshot=D][&compare=D]
// [&f=geojson|json|csv]: the AGCOM per-comune FTTH share of addresses and
// households, choropleth-ready (GeoJSON by default).
func (s *Service) HandleAGCOM(w http.ResponseWriter, r *http.Request) error {
	q, fm, err := request(r, agcomParams, formatGeoJSON, formatJSON, formatCSV)
	if err != nil {
		return err
	}
	rep, err := s.AGCOM(r.Context(), q.Get("snapshot"), q.Get("compare"))
	if err != nil {
		return err
	}
	switch fm.Name {
	case formatGeoJSON.Name:
		return writeJSON(w, r, GeoJSONType, rep.GeoJSON())
	case formatJSON.Name:
		return writeJSON(w, r, JSONType, rep)
	default: // formatCSV (FormatParam returns one of the three)
		return writeRendered(w, r, CSVType, `attachment; filename="agcom-`+rep.Snapshot+`.csv"`,
			func(b *bytes.Buffer) error { return WriteAGCOMCSV(b, rep) })
	}
}
