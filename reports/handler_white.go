package reports

import (
	"bytes"
	"net/http"
)

// HandleWhite serves GET /analytics/broadband/white?[zones=LAYER[&zone=FID]]
// [&snapshot=D][&coverage=LAYER][&limit=N&offset=M][&f=json|csv|geojson]:
// the addresses of white areas (< 30 Mbit/s) for intervention planning.
func (s *Service) HandleWhite(w http.ResponseWriter, r *http.Request) {
	fm, err := format(r, "json", "csv", "geojson")
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	q := r.URL.Query()
	limit, offset, err := ParsePage(q.Get("limit"), q.Get("offset"), 1000, s.opt.MaxRows)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	l, err := s.White(r.Context(), WhiteRequest{Zones: q.Get("zones"), Zone: q.Get("zone"), Coverage: q.Get("coverage"),
		Snapshot: q.Get("snapshot"), Limit: limit, Offset: offset})
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	switch fm {
	case "json":
		writeJSON(w, JSONType, l)
	case "geojson":
		writeJSON(w, GeoJSONType, WhiteGeoJSON(l))
	case "csv":
		var b bytes.Buffer
		if err := WriteWhiteCSV(&b, l); err != nil {
			writeError(w, r, s.log, err)
			return
		}
		w.Header().Set("Content-Type", CSVType)
		w.Header().Set("Content-Disposition", `attachment; filename="white-areas-`+l.Snapshot+`.csv"`)
		_, _ = w.Write(b.Bytes())
	}
}
