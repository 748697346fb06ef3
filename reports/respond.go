package reports

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/sit-gis/sit/cadastre"
	"github.com/sit-gis/sit/internal/problem"
)

// Media types.
const (
	JSONType    = "application/json"
	GeoJSONType = "application/geo+json"
	CSVType     = "text/csv; charset=utf-8"
	HTMLType    = "text/html; charset=utf-8"
	PDFType     = "application/pdf"
)

// format reads the f parameter among the allowed ones ("" is the first).
func format(r *http.Request, allowed ...string) (string, error) {
	f := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("f")))
	if f == "" && r.Method == http.MethodPost {
		f = strings.ToLower(strings.TrimSpace(r.PostFormValue("f")))
	}
	if f == "" {
		return allowed[0], nil
	}
	for _, a := range allowed {
		if f == a {
			return f, nil
		}
	}
	return "", problem.BadParameter("f", fmt.Sprintf("%q is not a format of this resource: want %s", f, strings.Join(allowed, ", ")))
}

func writeJSON(w http.ResponseWriter, contentType string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	_, _ = w.Write(append(b, '\n'))
}

// writeError is cadastre's: problems as they are, anything else a 5xx without detail.
var writeError = cadastre.WriteError
