package reports

import (
	"fmt"
	"html/template"
	"io"
	"time"
)

// CertificatePage is what the verification page shows above an issued
// certificate's content: the register's data and the checks made.
type CertificatePage struct {
	Head   CertificateHead
	Checks []CertificateCheck
	PDF    string // the stored PDF's address
}

// CertificateCheck is one verification and its outcome.
type CertificateCheck struct {
	OK   bool
	Text string
}

// The head of the verification page: the certificate as the register
// holds it, and each check with its outcome.
var _ = template.Must(zoningHTML.Funcs(template.FuncMap{"day": func(t time.Time) string { return dateIT(&t) }}).New("sit-certificate").Parse(`
<header>
  <div><div class="comune">{{.Comune}}</div><h1>Certificato di destinazione urbanistica n. {{.Cert.Head.Number}}</h1></div>
  <div class="meta">Prot. n. {{.Cert.Head.Protocol}} del {{day .Cert.Head.IssuedAt}}<br>codice di verifica {{.Cert.Head.Code}}</div>
</header>
<div class="notice" style="border-color:#1a6b1a;background:#f3fbf3"><strong>Verifica.</strong>
 {{range .Cert.Checks}}<div>{{if .OK}}✔{{else}}✘{{end}} {{.Text}}</div>{{end}}
 <div><a href="{{.Cert.PDF}}">Il PDF rilasciato</a></div>
</div>
<table>
 <tr><th>Richiedente</th><td>{{.Cert.Head.Requester}}{{if .Cert.Head.RequesterID}} ({{.Cert.Head.RequesterID}}){{end}}{{if .Cert.Head.RequestDate}}, richiesta del {{date .Cert.Head.RequestDate}}{{end}}</td></tr>
 <tr><th>Uso</th><td>{{.Cert.Head.Purpose}}</td></tr>
 <tr><th>Alla data del</th><td>{{datetime .At}}</td></tr>
 <tr><th>Imposta di bollo</th><td>{{.Cert.Head.Stamp}}</td></tr>
 <tr><th>Firmato da</th><td>{{if .Cert.Head.OfficerTitle}}{{.Cert.Head.OfficerTitle}}, {{end}}{{.Cert.Head.Officer}}</td></tr>
</table>
<div class="notice">{{.Notice}}</div>`))

// WriteCertificateHTML renders the verification page of an issued
// certificate: its register data, the checks, then its content as the
// zoning report's page shows it (map, zones, instruments, articles).
func WriteCertificateHTML(w io.Writer, rep ZoningReport, page CertificatePage) error {
	if err := zoningHTML.Execute(w, htmlPage{ZoningReport: rep, Cert: &page}); err != nil {
		return fmt.Errorf("certificate HTML: %w", err)
	}
	return nil
}
