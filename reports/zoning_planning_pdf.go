package reports

import (
	"strconv"
	"strings"
)

// instruments draws the instruments that apply at the report's date, in
// force and adopted side by side, with their acts.
func (d *pdfDoc) instruments(rep ZoningReport) {
	if len(rep.Instruments) == 0 {
		return
	}
	title := "Strumenti urbanistici vigenti e adottati"
	if dateIT(&rep.At) != dateIT(&rep.GeneratedAt) {
		title = "Strumenti urbanistici alla data del " + dateIT(&rep.At)
	}
	d.heading(title, 10)
	rows := [][]string{{"Strumento", "Tipo", "Stato", "Atti"}}
	for _, in := range rep.Instruments {
		name := in.Name + " (" + in.Code + ")"
		if in.Parent != "" {
			name += ", variante di " + in.Parent
		}
		status := in.Label
		if in.Status == "adopted" && in.SafeguardUntil != nil {
			status += ", salvaguardia fino al " + dateIT(in.SafeguardUntil)
		}
		var acts []string
		for _, a := range in.Acts {
			acts = append(acts, a.Label+": "+a.Describe())
		}
		rows = append(rows, []string{name, in.KindLabel, status, strings.Join(acts, "\n")})
	}
	d.table([]float64{44, 26, 30, 82}, "LLLL", rows, false)
}

// adopted draws the zones of a parcel under adopted instruments.
func (d *pdfDoc) adopted(pr ParcelReport) {
	if len(pr.Adopted) == 0 {
		return
	}
	d.heading("Strumenti adottati – misure di salvaguardia", 9.5)
	rows := [][]string{{"Zona", "Cl.", "Descrizione", "Norma", "Strumento", "m²", "%"}}
	for _, pc := range pr.Adopted {
		rows = append(rows, []string{pc.ZoneCode, dash(pc.ZoneClass), pc.Description, dash(pc.NormRef),
			pc.Plan + " (" + pc.Instrument + ")", numIT(pc.AreaM2, 2), numIT(pc.Pct, 2)})
	}
	d.table([]float64{13, 8, 58, 24, 44, 19, 16}, "LLLLLRR", rows, false)
}

// articlesAnnex quotes the text of the articles that rule the parcels'
// zones, each once, in an annex after the sources.
func (d *pdfDoc) articlesAnnex(rep ZoningReport) {
	type key struct{ plan, number string }
	seen := map[key]bool{}
	first := true
	for _, pr := range rep.Parcels {
		for _, zr := range pr.Articles {
			for _, q := range zr.Articles {
				k := key{q.Plan, q.Number}
				if seen[k] {
					continue
				}
				seen[k] = true
				if first {
					d.f.AddPage()
					d.heading("Allegato – Norme applicabili (testo delle NTA)", 11)
					first = false
				}
				d.article(q.PlanName, q.Version, q.PageFrom, q.PageTo, q.Heading(), q.Body)
			}
		}
	}
}

// article writes one article: heading, source, body.
func (d *pdfDoc) article(plan string, version, from, to int, heading, body string) {
	f := d.f
	d.ensure(14)
	f.SetFont("Helvetica", "B", 8.5)
	f.MultiCell(pdfBodyW, 4, d.text(heading), "", "L", false)
	f.SetFont("Helvetica", "I", 7)
	src := plan + ", NTA versione " + strconv.Itoa(version)
	if from > 0 {
		src += ", pag. " + strconv.Itoa(from)
		if to > from {
			src += "–" + strconv.Itoa(to)
		}
	}
	f.MultiCell(pdfBodyW, 3.4, d.text(src), "", "L", false)
	f.SetFont("Helvetica", "", 8)
	for _, p := range strings.Split(body, "\n\n") {
		for _, line := range f.SplitLines([]byte(d.text(strings.ReplaceAll(p, "\n", " "))), pdfBodyW) {
			d.ensure(4)
			f.CellFormat(pdfBodyW, 3.6, string(line), "", 1, "L", false, 0, "")
		}
		f.Ln(1)
	}
	f.Ln(1.5)
}
