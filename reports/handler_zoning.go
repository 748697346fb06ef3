package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
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

// maxBody bounds a POSTed list of parcels (the server bounds every body
// too; this one is smaller).
const maxBody = 64 << 10

// readZoningBody reads the parcels (and f) of a POST: a JSON object or a
// form, with the same parameter names as the query.
func readZoningBody(r *http.Request) (parcels []string, f, at string, err error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, "", "", fmt.Errorf("read the body: %w", err)
	}
	if len(b) > maxBody {
		tl := httpx.New(http.StatusRequestEntityTooLarge, fmt.Sprintf("a report takes at most %d bytes of parcels", maxBody))
		tl.Parameter = "body"
		return nil, "", "", tl
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		var body struct {
			Parcels []string `json:"parcels"`
			F       string   `json:"f"`
			At      string   `json:"at"`
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&body); err != nil {
			return nil, "", "", httpx.BadParameter("body", "want a JSON object {\"parcels\": [\"E715_003700.125\", …], \"f\": \"json|html|pdf\"}: "+err.Error())
		}
		return body.Parcels, body.F, body.At, nil
	}
	if ct != "application/x-www-form-urlencoded" && ct != "" {
		return nil, "", "", httpx.BadParameter("body", fmt.Sprintf("a report body is application/json or a form, not %s", httpx.Clip(ct)))
	}
	form, err := httpx.ParseQuery(string(b))
	if err == nil {
		err = zoningParams.Check(form)
	}
	if err != nil {
		return nil, "", "", err
	}
	return form["parcel"], form.Get("f"), form.Get("at"), nil
}
