package reports

import (
	"bytes"
	"net/http"
)

// HandleWhite serves GET /analytics/broadband/white?[zones=LAYER[&zone=FID]]
// [&snapshot=D][&coverage=LAYER][&limit=N&offset=M][&f=json|csv|geojson]:
// the addresses of white areas (< 30 Mbit/s) for intervention planning.
func (s *Service) HandleWhite(w http.ResponseWriter, r *http.Request) error {
	q, fm, err := request(r, whiteParams, formatJSON, formatCSV, formatGeoJSON)
	if err != nil {
		return err
	}
	limit, offset, err := ParsePage(q.Get("limit"), q.Get("offset"), 1000, s.opt.MaxRows)
	if err != nil {
		return err
	}
	l, err := s.White(r.Context(), WhiteRequest{Zones: q.Get("zones"), Zone: q.Get("zone"), Coverage: q.Get("coverage"),
		Snapshot: q.Get("snapshot"), Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	switch fm.Name {
	case formatJSON.Name:
		return writeJSON(w, r, JSONType, l)
	case formatGeoJSON.Name:
		return writeJSON(w, r, GeoJSONType, WhiteGeoJSON(l))
	default: // formatCSV (FormatParam returns one of the three)
		return writeRendered(w, r, CSVType, `attachment; filename="white-areas-`+l.Snapshot+`.csv"`,
			func(b *bytes.Buffer) error { return WriteWhiteCSV(b, l) })
	}
}
