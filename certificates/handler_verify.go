package certificates

import (
	"bytes"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/reports"
)

var verifyParams = httpx.Params{Once: []string{"f"}}

// HandleVerify serves GET /verify/{code}[?f=html|json] (anyone with the
// code): the certificate as issued, whether its stored PDF is intact,
// whether the register's content rebuilds it, and whether the recorded
// data versions give the same content today.
func (s *Service) HandleVerify(w http.ResponseWriter, r *http.Request) {
	q, err := verifyParams.Parse(r)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	f, err := httpx.Negotiate(r, q.Get("f"), httpx.FormatHTML, httpx.FormatJSON)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	v, _, err := s.Verify(r.Context(), chi.URLParam(r, "code"))
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	// The page names people: no shared cache keeps it.
	w.Header().Set("Cache-Control", "private, no-store")
	if f.Name == "json" {
		if err := httpx.JSON(w, r, http.StatusOK, "application/json", v); err != nil {
			httpx.WriteError(w, r, s.log, err)
		}
		return
	}
	var buf bytes.Buffer
	page := reports.CertificatePage{Head: v.Entry.head(), Checks: v.checks(), PDF: v.Entry.VerifyURL + "/pdf"}
	if err := reports.WriteCertificateHTML(&buf, v.Content, page); err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	httpx.Send(w, r, http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}

// checks are the verification's outcomes in words.
func (v Verification) checks() []reports.CertificateCheck {
	recomputed := "Ricalcolato ora dalle versioni dei dati e delle norme registrate al rilascio: contenuto identico."
	if !v.Recomputed {
		recomputed = "Il ricalcolo dalle versioni registrate non dà lo stesso contenuto (" + v.Why + "): sotto, il contenuto come registrato, senza la mappa."
	}
	return []reports.CertificateCheck{
		{OK: true, Text: "Il certificato n. " + v.Entry.Number + " (prot. " + v.Entry.Protocol + ") è nel registro del Comune."},
		{OK: v.PDFIntact, Text: "Il PDF conservato ha l'impronta SHA-256 registrata al rilascio (" + v.Entry.PDFSHA256 + ")."},
		{OK: v.Recomputed, Text: recomputed},
		{OK: v.PDFRebuilt, Text: "Ridisegnato dalle stesse versioni, il PDF è identico byte per byte a quello rilasciato."},
	}
}
