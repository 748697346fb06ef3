package reports

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"
)

// CertificateNotice replaces the report's not-a-certificate notice in an
// issued certificate's content.
const CertificateNotice = "Certificato di destinazione urbanistica rilasciato ai sensi dell'art. 30, comma 3, del D.P.R. 6 giugno 2001, n. 380. " +
	"Conserva validità per un anno dalla data del rilascio, salvo che non siano intervenute modificazioni degli strumenti urbanistici."

// CertificateHead is what the office adds to the zoning report when it
// issues it as a certificate: the register's number, the protocol, the
// request, the stamp duty, the signing officer and the verification code.
type CertificateHead struct {
	Number       string // in the register: "12/2026"
	Protocol     string
	IssuedAt     time.Time
	Requester    string
	RequesterID  string // codice fiscale or P.IVA
	RequestDate  *time.Time
	Purpose      string
	Stamp        string // "marca da bollo n. … da € 16,00" or the exemption
	Officer      string
	OfficerTitle string
	Code         string
	VerifyURL    string
}

// WriteCertificatePDF renders an issued certificate on A4: the comune, the
// number and protocol, the request, the instruments that apply, for each
// parcel its map and zones (in force and adopted), the validity, the
// stamp duty, the signature block, the verification code with its QR, the
// sources and the annex of the articles quoted. The same report and head
// give the same bytes: the document can be rebuilt from the register.
func WriteCertificatePDF(w io.Writer, rep ZoningReport, c CertificateHead) error {
	f := fpdf.New("P", "mm", "A4", "")
	d := &pdfDoc{f: f, tr: f.UnicodeTranslatorFromDescriptor("")}
	f.SetCreationDate(c.IssuedAt)
	f.SetModificationDate(c.IssuedAt)
	f.SetCatalogSort(true)
	f.SetTitle("Certificato di destinazione urbanistica n. "+c.Number+" – "+rep.Comune, true)
	f.SetAuthor(rep.Comune, true)
	f.SetCreator("SIT", true)
	f.SetSubject("Certificato di destinazione urbanistica (D.P.R. 380/2001 art. 30), codice di verifica "+c.Code, true)
	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.SetAutoPageBreak(false, pdfMargin)
	f.AliasNbPages("{nb}")
	f.SetHeaderFunc(func() { d.certHeader(rep, c) })
	f.SetFooterFunc(func() { d.certFooter(c) })
	f.AddPage()
	d.certPreamble(rep, c)
	d.instruments(rep)
	d.paragraph("CERTIFICA che, alla data del " + dateIT(&rep.At) + ", le particelle catastali sotto indicate hanno la destinazione urbanistica e sono soggette ai vincoli che seguono.")
	for _, pr := range rep.Parcels {
		d.parcel(pr)
		d.adopted(pr)
	}
	if len(rep.NTAVersions) > 0 {
		d.paragraph("Le norme tecniche di attuazione delle zone sono riportate nell'allegato, che forma parte integrante del presente certificato.")
	}
	d.paragraph(CertificateNotice)
	d.signature(rep, c)
	d.verification(c)
	d.sources(rep)
	d.articlesAnnex(rep)
	if err := f.Error(); err != nil {
		return fmt.Errorf("certificate PDF: %w", err)
	}
	if err := f.Output(w); err != nil {
		return fmt.Errorf("certificate PDF: %w", err)
	}
	return nil
}

func (d *pdfDoc) certHeader(rep ZoningReport, c CertificateHead) {
	f := d.f
	f.SetY(pdfMargin - 4)
	f.SetFont("Helvetica", "B", 13)
	f.SetTextColor(0, 0, 0)
	f.CellFormat(pdfBodyW*0.55, 6, d.text(rep.Comune), "", 0, "L", false, 0, "")
	f.SetFont("Helvetica", "", 8.5)
	f.CellFormat(pdfBodyW*0.45, 6, d.text("Prot. n. "+c.Protocol+" del "+dateIT(&c.IssuedAt)), "", 1, "R", false, 0, "")
	f.SetFont("Helvetica", "B", 11)
	f.CellFormat(pdfBodyW*0.7, 5.5, d.text("Certificato di destinazione urbanistica n. "+c.Number), "", 0, "L", false, 0, "")
	f.SetFont("Helvetica", "", 8)
	f.CellFormat(pdfBodyW*0.3, 5.5, d.text("D.P.R. 380/2001 art. 30"), "", 1, "R", false, 0, "")
	f.SetLineWidth(0.5)
	f.Line(pdfMargin, f.GetY()+1, pdfPageW-pdfMargin, f.GetY()+1)
	f.SetLineWidth(0.2)
	f.SetY(f.GetY() + 3)
}

func (d *pdfDoc) certFooter(c CertificateHead) {
	f := d.f
	f.SetY(pdfFooterY)
	f.SetFont("Helvetica", "I", 7.5)
	f.SetTextColor(90, 90, 90)
	f.CellFormat(pdfBodyW*0.8, 4, d.text("Certificato n. "+c.Number+" – prot. "+c.Protocol+" – codice di verifica "+c.Code), "", 0, "L", false, 0, "")
	f.CellFormat(pdfBodyW*0.2, 4, fmt.Sprintf("Pagina %d di {nb}", f.PageNo()), "", 0, "R", false, 0, "")
	f.SetTextColor(0, 0, 0)
}

// paragraph writes body text across the page.
func (d *pdfDoc) paragraph(s string) {
	d.ensure(12)
	d.f.SetFont("Helvetica", "", 9)
	d.f.MultiCell(pdfBodyW, 4.3, d.text(s), "", "L", false)
	d.f.Ln(1.5)
}

// certPreamble is the title, the stamp box and the request.
func (d *pdfDoc) certPreamble(rep ZoningReport, c CertificateHead) {
	f := d.f
	top := f.GetY()
	f.SetXY(pdfPageW-pdfMargin-48, top)
	f.SetFont("Helvetica", "", 7.5)
	f.MultiCell(48, 3.6, d.text("Imposta di bollo: "+c.Stamp), "1", "L", false)
	bottom := f.GetY()
	f.SetXY(pdfMargin, top)
	f.SetFont("Helvetica", "B", 12)
	f.CellFormat(pdfBodyW-52, 6, d.text("CERTIFICATO DI DESTINAZIONE URBANISTICA"), "", 2, "L", false, 0, "")
	f.SetFont("Helvetica", "", 8.5)
	f.CellFormat(pdfBodyW-52, 4.5, d.text("(art. 30, comma 3, D.P.R. 6 giugno 2001, n. 380)"), "", 1, "L", false, 0, "")
	f.SetY(max(bottom, f.GetY()) + 3)
	f.SetFont("Helvetica", "B", 9.5)
	f.CellFormat(pdfBodyW, 5, d.text(strings.ToUpper(officerTitle(c))), "", 1, "C", false, 0, "")
	f.Ln(1)
	req := "Vista la richiesta presentata da " + c.Requester
	if c.RequesterID != "" {
		req += " (" + c.RequesterID + ")"
	}
	if c.RequestDate != nil {
		req += " in data " + dateIT(c.RequestDate)
	}
	d.paragraph(req + ", per uso: " + c.Purpose + ";")
	d.paragraph("Visti gli strumenti urbanistici vigenti e adottati e gli atti che li riguardano, elencati di seguito; visto l'art. 30 del D.P.R. 380/2001;")
}

func officerTitle(c CertificateHead) string {
	if c.OfficerTitle != "" {
		return c.OfficerTitle
	}
	return "Il Responsabile del Servizio"
}

// signature is the place and date and the officer's signature block.
func (d *pdfDoc) signature(rep ZoningReport, c CertificateHead) {
	f := d.f
	d.ensure(26)
	f.Ln(2)
	f.SetFont("Helvetica", "", 9)
	f.CellFormat(pdfBodyW/2, 5, d.text(rep.Comune+", "+dateIT(&c.IssuedAt)), "", 0, "L", false, 0, "")
	x := pdfMargin + pdfBodyW/2
	f.CellFormat(pdfBodyW/2, 5, d.text(officerTitle(c)), "", 2, "C", false, 0, "")
	f.SetFont("Helvetica", "B", 9.5)
	f.CellFormat(pdfBodyW/2, 5, d.text(c.Officer), "", 2, "C", false, 0, "")
	f.Ln(8)
	f.Line(x+15, f.GetY(), x+pdfBodyW/2-15, f.GetY())
	f.SetX(x)
	f.SetFont("Helvetica", "I", 7)
	f.CellFormat(pdfBodyW/2, 4, d.text("(firma)"), "", 1, "C", false, 0, "")
	f.Ln(2)
}

// verification draws the QR code of the verification page as vector
// squares (the same bytes each time) beside the code and the address.
func (d *pdfDoc) verification(c CertificateHead) {
	f := d.f
	const size = 26.0
	d.ensure(size + 4)
	top := f.GetY()
	if q, err := qrcode.New(c.VerifyURL, qrcode.Medium); err == nil {
		q.DisableBorder = true
		bm := q.Bitmap()
		cell := size / float64(len(bm))
		f.SetFillColor(0, 0, 0)
		for y, row := range bm {
			for x, on := range row {
				if on {
					f.Rect(pdfMargin+float64(x)*cell, top+float64(y)*cell, cell, cell, "F")
				}
			}
		}
	}
	f.SetXY(pdfMargin+size+4, top)
	f.SetFont("Helvetica", "B", 9.5)
	f.CellFormat(pdfBodyW-size-4, 5, d.text("Codice di verifica: "+c.Code), "", 2, "L", false, 0, "")
	f.SetFont("Helvetica", "", 8)
	f.MultiCell(pdfBodyW-size-4, 3.8, d.text("Il contenuto di questo certificato si verifica a "+c.VerifyURL+
		": la pagina lo mostra come rilasciato e lo ricalcola dalle versioni dei dati e delle norme registrate al rilascio."), "", "L", false)
	f.SetY(max(top+size, f.GetY()) + 3)
}
