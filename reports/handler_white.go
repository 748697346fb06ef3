package reports

import (
	"bytes"
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleWhite serves GET /analytics/broadband/white?[zones=LAYER[&zone=FID]]
// [&snapshot=D][&coverage=LAYER][&limit=N&offset=M][&f=json|csv|geojson]:
// the addresses of white areas (< 30 Mbit/s) for intervention planning.
func (s *Service) HandleWhite(w http.ResponseWriter, r *http.Request) {
	q, err := whiteParams.Parse(r)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	fm, err := httpx.FormatParam(q.Get("f"), formatJSON, formatCSV, formatGeoJSON)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	limit, offset, err := ParsePage(q.Get("limit"), q.Get("offset"), 1000, s.opt.MaxRows)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	l, err := s.White(r.Context(), WhiteRequest{Zones: q.Get("zones"), Zone: q.Get("zone"), Coverage: q.Get("coverage"),
		Snapshot: q.Get("snapshot"), Limit: limit, Offset: offset})
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	switch fm.Name {
	case formatJSON.Name:
		s.writeJSON(w, r, JSONType, l)
	case formatGeoJSON.Name:
		s.writeJSON(w, r, GeoJSONType, WhiteGeoJSON(l))
	case formatCSV.Name:
		s.writeRendered(w, r, CSVType, `attachment; filename="white-areas-`+l.Snapshot+`.csv"`,
			func(b *bytes.Buffer) error { return WriteWhiteCSV(b, l) })
	}
}
