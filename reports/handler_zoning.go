package reports

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleZoning serves the zoning report: GET
// /reports/zoning?parcel=REF[&parcel=REF…][&f=json|html|pdf][&at=DATE], or
// POST the same as a form or as JSON {"parcels": [...], "f": "pdf"} for
// long lists. at asks about a past date: the instruments then applying.
func (s *Service) HandleZoning(w http.ResponseWriter, r *http.Request) error {
	q, err := zoningParams.Parse(r)
	if err != nil {
		return err
	}
	parcels, f, atText := q["parcel"], q.Get("f"), q.Get("at")
	if r.Method == http.MethodPost {
		body, bodyF, bodyAt, err := readZoningBody(r)
		if err != nil {
			return err
		}
		parcels = append(parcels, body...)
		if f == "" {
			f = bodyF
		}
		if atText == "" {
			atText = bodyAt
		}
	}
	at, err := s.AsOf(atText)
	if err != nil {
		return err
	}
	fm, err := httpx.FormatParam(f, formatJSON, formatHTML, formatPDF)
	if err != nil {
		return err
	}
	rep, err := s.Zoning(r.Context(), ZoningRequest{Parcels: parcels, WithMap: fm.Name != formatJSON.Name, At: at})
	if err != nil {
		return err
	}
	name := "destinazione-urbanistica"
	if len(rep.Parcels) == 1 {
		name += "-" + strings.NewReplacer("/", "-", ".", "-", " ", "").Replace(rep.Parcels[0].Ref)
	}
	switch fm.Name {
	case formatJSON.Name:
		return writeJSON(w, r, JSONType, rep)
	case formatHTML.Name:
		return writeRendered(w, r, HTMLType, "", func(b *bytes.Buffer) error { return WriteZoningHTML(b, rep) })
	default: // formatPDF (FormatParam returns one of the three)
		return writeRendered(w, r, PDFType, fmt.Sprintf(`inline; filename="%s.pdf"`, name), func(b *bytes.Buffer) error { return WriteZoningPDF(b, rep) })
	}
}
