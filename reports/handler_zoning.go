package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/sit-gis/sit/internal/problem"
)

// maxBody bounds a POSTed list of parcels.
const maxBody = 64 << 10

// HandleZoning serves the zoning report: GET
// /reports/zoning?parcel=REF[&parcel=REF…][&f=json|html|pdf], or POST the
// same as a form or as JSON {"parcels": [...], "f": "pdf"} for long lists.
func (s *Service) HandleZoning(w http.ResponseWriter, r *http.Request) {
	parcels := r.URL.Query()["parcel"]
	f := ""
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct == "application/json" {
			var body struct {
				Parcels []string `json:"parcels"`
				F       string   `json:"f"`
			}
			b, err := io.ReadAll(r.Body)
			if err == nil {
				dec := json.NewDecoder(bytes.NewReader(b))
				dec.DisallowUnknownFields()
				err = dec.Decode(&body)
			}
			if err != nil {
				writeError(w, r, s.log, problem.BadParameter("body", "want a JSON object {\"parcels\": [\"E715_003700.125\", …], \"f\": \"json|html|pdf\"}: "+err.Error()))
				return
			}
			parcels = append(parcels, body.Parcels...)
			f = body.F
		} else {
			if err := r.ParseForm(); err != nil {
				writeError(w, r, s.log, problem.BadParameter("body", "cannot read the form: "+err.Error()))
				return
			}
			parcels = append(parcels, r.PostForm["parcel"]...)
		}
	}
	if f != "" {
		q := r.URL.Query()
		if q.Get("f") == "" {
			q.Set("f", f)
			r.URL.RawQuery = q.Encode()
		}
	}
	fm, err := format(r, "json", "html", "pdf")
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	rep, err := s.Zoning(r.Context(), ZoningRequest{Parcels: parcels, WithMap: fm != "json"})
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	name := "destinazione-urbanistica"
	if len(rep.Parcels) == 1 {
		name += "-" + strings.NewReplacer("/", "-", ".", "-", " ", "").Replace(rep.Parcels[0].Ref)
	}
	switch fm {
	case "json":
		writeJSON(w, JSONType, rep)
	case "html":
		var b bytes.Buffer
		if err := WriteZoningHTML(&b, rep); err != nil {
			writeError(w, r, s.log, err)
			return
		}
		w.Header().Set("Content-Type", HTMLType)
		_, _ = w.Write(b.Bytes())
	case "pdf":
		var b bytes.Buffer
		if err := WriteZoningPDF(&b, rep); err != nil {
			writeError(w, r, s.log, err)
			return
		}
		w.Header().Set("Content-Type", PDFType)
		w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s.pdf"`, name))
		_, _ = w.Write(b.Bytes())
	}
}
