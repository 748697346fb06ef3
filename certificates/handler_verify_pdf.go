package certificates

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandleVerifyPDF serves GET /verify/{code}/pdf (anyone with the code):
// the PDF handed over, as stored.
func (s *Service) HandleVerifyPDF(w http.ResponseWriter, r *http.Request) {
	if _, err := (httpx.Params{}).Parse(r); err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	e, pdf, err := s.PDF(r.Context(), chi.URLParam(r, "code"))
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Disposition", `inline; filename="cdu-`+strings.ReplaceAll(e.Number, "/", "-")+`.pdf"`)
	httpx.Send(w, r, http.StatusOK, "application/pdf", pdf)
}
