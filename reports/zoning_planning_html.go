package reports

import (
	"html/template"
	"strings"
	"time"
)

// The planning sections of the zoning report's page: the instruments that
// apply at the report's date (in force and adopted, side by side, with
// their acts), and for each parcel the zones of the adopted instruments
// and the full text of the articles that rule its zones.
var _ = template.Must(zoningHTML.Funcs(template.FuncMap{"paras": paragraphs, "day": func(t time.Time) string { return dateIT(&t) }}).New("sit-instruments").Parse(`
{{if .Instruments}}<h2>Strumenti urbanistici {{if ne (day .At) (day .GeneratedAt)}}alla data del {{day .At}}{{else}}vigenti e adottati{{end}}</h2>
<table>
 <tr><th>Strumento</th><th>Tipo</th><th>Stato</th><th>Atti</th></tr>
 {{range .Instruments}}<tr><td>{{.Name}} <span class="muted">({{.Code}}{{if .Parent}}, variante di {{.Parent}}{{end}})</span></td><td>{{.KindLabel}}</td>
 <td>{{.Label}}{{if eq .Status "adopted"}}{{if .SafeguardUntil}}<br><span class="muted">salvaguardia fino al {{date .SafeguardUntil}}</span>{{end}}{{end}}</td>
 <td>{{range .Acts}}<div>{{.Label}}: {{.Describe}}</div>{{end}}</td></tr>{{end}}
</table>{{end}}`))

var _ = template.Must(zoningHTML.New("sit-parcel-planning").Parse(`
{{if .Adopted}}<h3>Strumenti adottati – misure di salvaguardia</h3>
<table>
 <tr><th>Zona</th><th>Classe</th><th>Descrizione</th><th>Norma</th><th>Strumento</th><th class="n">m²</th><th class="n">%</th></tr>
 {{range .Adopted}}<tr><td>{{.ZoneCode}}</td><td>{{empty .ZoneClass}}</td><td>{{.Description}}</td><td>{{empty .NormRef}}</td><td>{{.Plan}} ({{.Instrument}})</td><td class="n">{{num .AreaM2 2}}</td><td class="n">{{num .Pct 2}}</td></tr>{{end}}
</table>{{end}}
{{if .Articles}}<h3>Norme applicabili</h3>
{{range .Articles}}{{$z := .}}{{range .Articles}}<div class="article">
 <h4>Zona {{$z.ZoneCode}} – {{.Heading}} <span class="muted">({{.PlanName}}, NTA versione {{.Version}}{{if .PageFrom}}, pag. {{.PageFrom}}{{if ne .PageFrom .PageTo}}–{{.PageTo}}{{end}}{{end}})</span></h4>
 {{paras .Body}}
</div>{{end}}{{end}}{{end}}`))

// paragraphs writes a text as HTML paragraphs: a blank line separates
// them, a line break stays a line break.
func paragraphs(s string) template.HTML {
	var b strings.Builder
	for _, p := range strings.Split(s, "\n\n") {
		b.WriteString("<p>")
		for i, l := range strings.Split(p, "\n") {
			if i > 0 {
				b.WriteString("<br>")
			}
			b.WriteString(template.HTMLEscapeString(l))
		}
		b.WriteString("</p>\n")
	}
	return template.HTML(b.String())
}
