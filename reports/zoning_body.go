package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/sit-gis/sit/internal/httpx"
)

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
