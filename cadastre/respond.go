package cadastre

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/sit-gis/sit/internal/problem"
)

// Media types of the answers.
const (
	GeoJSONType = "application/geo+json"
	JSONType    = "application/json"
)

// WriteError sends a *problem.Problem as is and any other error as a 5xx
// problem without detail (never an SQL text), logging the cause.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var p *problem.Problem
	if errors.As(err, &p) {
		cp := *p
		problem.Write(w, r, &cp)
		return
	}
	if r.Context().Err() != nil {
		problem.Write(w, r, problem.New(http.StatusServiceUnavailable, "the request was cancelled or took longer than the server allows"))
		return
	}
	log.Error("request failed", "path", r.URL.Path, "err", err)
	problem.Write(w, r, problem.New(http.StatusInternalServerError, "internal error"))
}

// WriteJSON sends v as JSON with a status and a media type.
func WriteJSON(w http.ResponseWriter, status int, contentType string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// base is the prefix of links.
func (s *Service) base() string { return s.opt.PublicURL }
