package reports

import (
	"bytes"
	"net/http"
)

// HandleAGCOM serves GET /analytics/agcom[?snapshot=D][&compare=D]
// [&f=geojson|json|csv]: the AGCOM per-comune FTTH share of addresses and
// households, choropleth-ready (GeoJSON by default).
func (s *Service) HandleAGCOM(w http.ResponseWriter, r *http.Request) {
	fm, err := format(r, "geojson", "json", "csv")
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	q := r.URL.Query()
	rep, err := s.AGCOM(r.Context(), q.Get("snapshot"), q.Get("compare"))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	switch fm {
	case "geojson":
		writeJSON(w, GeoJSONType, rep.GeoJSON())
	case "json":
		writeJSON(w, JSONType, rep)
	case "csv":
		var b bytes.Buffer
		if err := WriteAGCOMCSV(&b, rep); err != nil {
			writeError(w, r, s.log, err)
			return
		}
		w.Header().Set("Content-Type", CSVType)
		w.Header().Set("Content-Disposition", `attachment; filename="agcom-`+rep.Snapshot+`.csv"`)
		_, _ = w.Write(b.Bytes())
	}
}
