package httpx

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
)

// ReadJSON decodes a JSON body (at most 1 MiB) into v, strictly: another
// content type is a 415, an unknown member a 400 naming it.
func ReadJSON(r *http.Request, v any) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" && mt != "application/merge-patch+json" {
		p := New(http.StatusUnsupportedMediaType, "send application/json")
		p.Parameter = "Content-Type"
		return p
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return BadParameter("body", "not the JSON this operation takes: "+err.Error())
	}
	return nil
}
