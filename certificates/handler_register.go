package certificates

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

var (
	registerParams = httpx.Params{Once: []string{"q", "year", "limit", "f"}}
	formatCSV      = httpx.Format{Name: "csv", Types: []string{"text/csv"}}
)

// HandleRegister serves GET /certificates[?q=TEXT][&year=YYYY][&limit=N]
// [&f=json|csv] (the office): the certificates of the comune, newest
// first; q matches the protocol, the number, the requester or a parcel.
func (s *Service) HandleRegister(w http.ResponseWriter, r *http.Request) {
	q, err := registerParams.Parse(r)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	_, comune, err := office(r)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	f, err := httpx.Negotiate(r, q.Get("f"), httpx.FormatJSON, formatCSV)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	query := Query{Comune: comune, Text: q.Get("q")}
	for _, p := range []struct {
		name string
		dst  *int
		max  int
	}{{"year", &query.Year, 9999}, {"limit", &query.Limit, s.opt.MaxRegister}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > p.max {
				httpx.WriteError(w, r, s.log, httpx.BadParameter(p.name, "a whole number from 1 to "+strconv.Itoa(p.max)))
				return
			}
			*p.dst = n
		}
	}
	entries, err := s.List(r.Context(), query)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	if f.Name == "csv" {
		w.Header().Set("Content-Disposition", `attachment; filename="registro-cdu.csv"`)
		httpx.Send(w, r, http.StatusOK, "text/csv; charset=utf-8", RegisterCSV(entries))
		return
	}
	if entries == nil {
		entries = []Entry{}
	}
	if err := httpx.JSON(w, r, http.StatusOK, "application/json", map[string]any{"certificates": entries}); err != nil {
		httpx.WriteError(w, r, s.log, err)
	}
}

// RegisterCSV is the register as a spreadsheet opens it (dates in Italian
// time, amounts with a comma).
func RegisterCSV(entries []Entry) []byte {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	_ = cw.Write([]string{"numero", "protocollo", "data_rilascio", "alla_data", "particelle", "richiedente", "codice_fiscale",
		"data_richiesta", "uso", "bollo", "importo_bollo", "esenzione", "funzionario", "rilasciato_da", "codice_verifica", "sha256_pdf"})
	for _, e := range entries {
		amount, reqDate := "", ""
		if e.StampAmount != nil {
			amount = strings.Replace(strconv.FormatFloat(*e.StampAmount, 'f', 2, 64), ".", ",", 1)
		}
		if e.RequestDate != nil {
			reqDate = e.RequestDate.In(layers.Rome()).Format("02/01/2006")
		}
		_ = cw.Write([]string{e.Number, e.Protocol, e.IssuedAt.In(layers.Rome()).Format("02/01/2006 15:04"),
			e.At.In(layers.Rome()).Format("02/01/2006 15:04"), strings.Join(e.Parcels, " "), csvSafe(e.Requester), csvSafe(e.RequesterID),
			reqDate, csvSafe(e.Purpose), csvSafe(e.StampID), amount, csvSafe(e.StampExemption), csvSafe(e.Officer), e.IssuedBy, e.Code, e.PDFSHA256})
	}
	cw.Flush()
	return b.Bytes()
}

// csvSafe keeps a spreadsheet from reading typed text as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t", rune(s[0])) {
		return "'" + s
	}
	return s
}
