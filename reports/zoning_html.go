package reports

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"io"

	"github.com/sit-gis/sit/domain"
)

// zoningHTML is a self-contained printable page: inline CSS, the map as
// inline SVG, no script, nothing fetched from elsewhere.
var zoningHTML = template.Must(template.New("zoning").Funcs(template.FuncMap{
	"num":         numIT,
	"date":        dateIT,
	"datetime":    dateTimeIT,
	"rgb":         rgb,
	"mapsvg":      mapSVG,
	"empty":       func(s string) string { return map[bool]string{true: "–", false: s}[s == ""] },
	"swatch":      swatchCSS,
	"sheetsw":     sheetSwatchCSS,
	"sheetLegend": func() string { return SheetLegendText },
	"comune":      comuneIT,
}).Parse(`<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} – {{.Comune}}</title>
<style>
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.4 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1a1a1a; margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
header { border-bottom: 2px solid #1a1a1a; margin-bottom: 4mm; display: flex; justify-content: space-between; align-items: flex-end; }
header h1 { font-size: 15pt; margin: 0; }
header .comune { font-size: 12pt; font-weight: bold; }
header .meta { text-align: right; font-size: 9pt; color: #444; }
.notice { border: 1.5px solid #b00000; background: #fff4f4; padding: 2mm 3mm; font-size: 9pt; margin: 3mm 0; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; border-bottom: 1px solid #999; }
h3 { font-size: 10.5pt; margin: 4mm 0 1mm; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin-bottom: 2mm; }
th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eee; }
td.n, th.n { text-align: right; white-space: nowrap; }
tr.total td { font-weight: bold; background: #f6f6f6; }
.parcel { page-break-inside: avoid; break-inside: avoid; }
.grid { display: flex; gap: 4mm; align-items: flex-start; }
.grid .map { flex: 0 0 78mm; }
.grid .info { flex: 1; }
svg { width: 78mm; height: 78mm; border: 1px solid #888; background: #fafafa; }
.legend { font-size: 8pt; margin-top: 1mm; }
.legend span.sw { display: inline-block; width: 3.5mm; height: 3mm; border: 1px solid #555; vertical-align: middle; margin-right: 1mm; }
.legend div { margin: 0.5mm 0; }
.legend .lg-head { font-weight: bold; margin-top: 1.5mm; }
.legend .lg-item { padding-left: 5mm; text-indent: -5mm; }
.muted { color: #666; font-size: 8.5pt; }
.synthetic { color: #b00000; font-weight: bold; }
.article h4 { font-size: 9.5pt; margin: 2.5mm 0 1mm; }
.article p { margin: 0 0 1.5mm; font-size: 9pt; text-align: justify; }
footer { margin-top: 6mm; border-top: 1px solid #999; padding-top: 2mm; font-size: 8.5pt; color: #444; }
@media print { body { padding: 0; } a { color: inherit; text-decoration: none; } }
</style>
</head>
<body>
{{if .Cert}}{{template "sit-certificate" .}}{{else}}<header>
  <div><div class="comune">{{.Comune}}</div><h1>Destinazione urbanistica e vincoli</h1></div>
  <div class="meta">Estratto del {{datetime .GeneratedAt}}<br>{{len .Parcels}} particell{{if eq (len .Parcels) 1}}a{{else}}e{{end}}</div>
</header>
<div class="notice"><strong>Attenzione.</strong> {{.Notice}}</div>
{{end}}{{template "sit-instruments" .}}
{{range .Parcels}}
<section class="parcel">
<h2>{{.Label}} <span class="muted">({{.Ref}})</span></h2>
<div class="grid">
 <div class="map">{{if .Map}}{{mapsvg .Map}}
  <div class="legend">
   <div><span class="sw" style="background:none;border:2px solid #000"></span>Particella</div>
   {{if .Map.Sheets}}<div><span class="sw" style="{{sheetsw}}"></span>{{sheetLegend}}</div>{{end}}
   {{range .Map.Sections}}<div class="lg-head">{{.Title}}</div>
   {{range .Items}}<div class="lg-item"><span class="sw" style="{{swatch .}}"></span>{{.Text}}</div>
   {{end}}{{end}}
  </div>{{end}}
 </div>
 <div class="info">
  <table>
   <tr><th>Comune (codice catastale)</th><td>{{comune .ComuneName .Comune}}</td></tr>
   <tr><th>Sezione</th><td>{{empty .Sezione}}</td></tr>
   <tr><th>Foglio</th><td>{{.Foglio}}</td></tr>
   <tr><th>Particella</th><td>{{.Particella}}{{if .Road}} (strada/acqua){{end}}</td></tr>
   <tr><th>Allegato / sviluppo</th><td>{{empty .Allegato}} / {{empty .Sviluppo}}</td></tr>
   <tr><th>Superficie (ellissoide)</th><td>{{num .AreaM2 2}} m²</td></tr>
   <tr><th>Centroide (WGS84)</th><td>{{printf "%.6f" (index .Centroid 1)}} N, {{printf "%.6f" (index .Centroid 0)}} E</td></tr>
   <tr><th>Richiesta</th><td>{{.Query}}</td></tr>
  </table>
 </div>
</div>
<h3>Zone urbanistiche</h3>
<table>
 <tr><th>Zona</th><th>Classe</th><th>Descrizione</th><th>Norma</th><th>Piano (versione, data)</th><th class="n">m²</th><th class="n">%</th></tr>
 {{range .Zoning}}<tr><td>{{.ZoneCode}}</td><td>{{empty .ZoneClass}}</td><td>{{.Description}}</td><td>{{empty .NormRef}}</td><td>{{.Plan}} (v{{.PlanVersion}}, {{date .PlanDate}})</td><td class="n">{{num .AreaM2 2}}</td><td class="n">{{num .Pct 2}}</td></tr>
 {{else}}<tr><td colspan="7">Nessuna zona interseca la particella.</td></tr>{{end}}
 <tr class="total"><td colspan="5">Totale zone</td><td class="n">{{num .Totals.ZonesM2 2}}</td><td class="n">{{num .Totals.ZonesPct 2}}</td></tr>
 {{if .ZoningBorder}}<tr><td colspan="5">Effetti di bordo (tabella sotto)</td><td class="n">{{num .Totals.BorderM2 2}}</td><td class="n">{{num .Totals.BorderPct 2}}</td></tr>{{end}}
 {{if or .Totals.UnzonedM2 .Totals.UnzonedPct}}<tr><td colspan="5">Non zonizzata</td><td class="n">{{num .Totals.UnzonedM2 2}}</td><td class="n">{{num .Totals.UnzonedPct 2}}</td></tr>{{end}}
</table>
{{if .ZoningBorder}}<h3>Effetti di bordo – zone</h3>
<table><tr><th>Zona</th><th>Classe</th><th>Descrizione</th><th class="n">m²</th><th class="n">%</th></tr>
{{range .ZoningBorder}}<tr><td>{{.ZoneCode}}</td><td>{{empty .ZoneClass}}</td><td>{{.Description}}</td><td class="n">{{num .AreaM2 2}}</td><td class="n">{{num .Pct 2}}</td></tr>{{end}}
</table>{{end}}
<h3>Vincoli</h3>
<table>
 <tr><th>Vincolo</th><th>Tipo</th><th>Descrizione</th><th>Norma</th><th>Fonte (versione, data)</th><th class="n">m²</th><th class="n">%</th></tr>
 {{range .Constraints}}<tr><td>{{.ZoneCode}}</td><td>{{empty .ZoneClass}}</td><td>{{.Description}}</td><td>{{empty .NormRef}}</td><td>{{.Plan}} (v{{.PlanVersion}}, {{date .PlanDate}})</td><td class="n">{{num .AreaM2 2}}</td><td class="n">{{num .Pct 2}}</td></tr>
 {{else}}<tr><td colspan="7">Nessun vincolo interseca la particella.</td></tr>{{end}}
 {{if .Constraints}}<tr class="total"><td colspan="5">Superficie soggetta ad almeno un vincolo</td><td class="n">{{num .Totals.ConstrainedM2 2}}</td><td class="n">{{num .Totals.ConstrainedPc 2}}</td></tr>{{end}}
</table>
{{if .ConstraintsBorder}}<h3>Effetti di bordo – vincoli</h3>
<table><tr><th>Vincolo</th><th>Descrizione</th><th class="n">m²</th><th class="n">%</th></tr>
{{range .ConstraintsBorder}}<tr><td>{{.ZoneCode}}</td><td>{{.Description}}</td><td class="n">{{num .AreaM2 2}}</td><td class="n">{{num .Pct 2}}</td></tr>{{end}}
</table>{{end}}
{{template "sit-parcel-planning" .}}
</section>
{{end}}
<h2>Fonti dei dati</h2>
<table>
 <tr><th>Strato</th><th>Ruolo</th><th>Titolo</th><th class="n">Versione</th><th>Importato</th><th>File</th><th>Attribuzione</th></tr>
 {{range .Sources}}<tr><td>{{.Layer}}</td><td>{{.RoleLabel}}</td><td>{{.Title}}{{if .Synthetic}} <span class="synthetic">(dati sintetici)</span>{{end}}</td><td class="n">{{.Version}}</td><td>{{date .ImportedAt}}</td><td>{{empty .SourceFile}}</td><td>{{empty .Attribution}}</td></tr>{{end}}
</table>
<footer>
 Metodo: superfici sull'ellissoide WGS84 (PostGIS geography); intersezioni calcolate in EPSG:4326. Arrotondamento a 0,01 m² e 0,01 %; i totali sono somme delle righe arrotondate.
 Effetti di bordo: parti inferiori a {{num .Slivers.MinAreaM2 2}} m² o a {{num .Slivers.MinPct 2}} % della particella.
 Stessi dati, stessi numeri: il rapporto dipende solo dalle versioni degli strati elencate sopra.
</footer>
</body>
</html>
`))

// mapSVG draws the map as inline SVG in the local metric frame.
func mapSVG(m *MapData) template.HTML {
	var b bytes.Buffer
	f := m.Frame
	w, h := f.Max[0]-f.Min[0], f.Max[1]-f.Min[1]
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="%.2f %.2f %.2f %.2f" role="img" aria-label="Mappa della particella">`,
		f.Min[0], -f.Max[1], w, h)
	legend := m.Legend
	stroke := w / 400
	for _, z := range m.Zones {
		fmt.Fprintf(&b, `<path d="%s" fill="%s" fill-rule="evenodd" stroke="#777" stroke-width="%.3f"/>`, svgPath(z.Geom), rgb(legendItem(legend, z, false).Colour), stroke)
	}
	for _, n := range m.Neighbours {
		fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="#555" stroke-width="%.3f" stroke-opacity=".6"/>`, svgPath(n.Geom), stroke)
	}
	// Constraints: a hatch pattern of their colour and angle, and a dashed outline.
	b.WriteString("<defs>")
	sp := w / 60
	for _, it := range legend {
		if it.Constraint {
			fmt.Fprintf(&b, `<pattern id="hatch%d" patternUnits="userSpaceOnUse" width="%.2f" height="%.2f" patternTransform="rotate(%.0f)"><line x1="0" y1="0" x2="0" y2="%.2f" stroke="%s" stroke-width="%.3f"/></pattern>`,
				it.Hatch, sp, sp, 90-hatchAngle(it.Hatch), sp, rgb(it.Colour), stroke*2.5)
		}
	}
	b.WriteString("</defs>")
	for _, c := range m.Constraints {
		it := legendItem(legend, c, true)
		col := rgb(it.Colour)
		fmt.Fprintf(&b, `<path d="%s" fill="url(#hatch%d)" fill-rule="evenodd" stroke="%s" stroke-width="%.3f" stroke-dasharray="%.2f %.2f"/>`,
			svgPath(c.Geom), it.Hatch, col, stroke*3, stroke*12, stroke*6)
	}
	sheetLinesSVG(&b, m.Sheets, stroke*1.5)
	fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="#000" stroke-width="%.3f"/>`, svgPath(m.Parcel), stroke*6)
	sheetLabelsSVG(&b, m.Sheets, h*0.04, stroke)
	// Scale bar and north arrow.
	sb := scaleBar(w)
	x0, y0 := f.Min[0]+w*0.05, -f.Min[1]-h*0.05
	fmt.Fprintf(&b, `<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f" fill="#000"/>`, x0, y0-h*0.012, sb, h*0.012)
	fmt.Fprintf(&b, `<text x="%.2f" y="%.2f" font-size="%.2f" font-family="sans-serif">%s m</text>`, x0, y0-h*0.025, h*0.04, numIT(sb, 0))
	nx, ny := f.Max[0]-w*0.07, -f.Max[1]+h*0.05
	fmt.Fprintf(&b, `<path d="M%.2f %.2fL%.2f %.2fL%.2f %.2fZ" fill="#000"/><text x="%.2f" y="%.2f" font-size="%.2f" text-anchor="middle" font-family="sans-serif">N</text>`,
		nx, ny, nx-w*0.02, ny+h*0.06, nx+w*0.02, ny+h*0.06, nx, ny+h*0.1, h*0.04)
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // numbers, palette colours and escaped labels only
}

// sheetLinesSVG outlines the fogli, thin, in the palette's sheet colour.
func sheetLinesSVG(b *bytes.Buffer, ss []MapSheet, width float64) {
	for _, sh := range ss {
		fmt.Fprintf(b, `<path d="%s" fill="none" stroke="%s" stroke-width="%.3f"/>`, svgPath(sh.Geom), domain.ColorSheetLine, width)
	}
}

// sheetLabelsSVG writes the fogli's numbers over everything, with a halo.
// The label is data: escaped, since the map is written as trusted HTML.
func sheetLabelsSVG(b *bytes.Buffer, ss []MapSheet, size, stroke float64) {
	for _, sh := range ss {
		if sh.Label == "" {
			continue
		}
		fmt.Fprintf(b, `<text x="%.2f" y="%.2f" font-size="%.2f" text-anchor="middle" font-family="sans-serif" fill="%s" stroke="%s" stroke-width="%.3f" paint-order="stroke">%s</text>`,
			sh.At[0], -sh.At[1], size, domain.ColorSheetLine, domain.ColorHalo, stroke*4, html.EscapeString(sh.Label))
	}
}

// sheetSwatchCSS is the legend swatch of the fogli: their outline.
func sheetSwatchCSS() template.CSS {
	return template.CSS("background:none;border:1px solid " + domain.ColorSheetLine)
}

// swatchCSS is the style of a legend swatch: the zone colour, or the
// constraint's hatch as a CSS gradient at the same angle.
func swatchCSS(it LegendItem) template.CSS {
	if !it.Constraint {
		return template.CSS("background:" + rgb(it.Colour))
	}
	a := hatchAngle(it.Hatch)
	return template.CSS(fmt.Sprintf("background:repeating-linear-gradient(%.0fdeg,%s 0 1px,transparent 1px 4px);border:1.5px dashed %s",
		-a, rgb(it.Colour), rgb(it.Colour)))
}

// htmlPage is the report, and the certificate it was issued as (nil for
// the informational report).
type htmlPage struct {
	ZoningReport
	Cert *CertificatePage
}

// WriteZoningHTML renders the report as a printable HTML page. The report
// must have been built WithMap for the map to appear.
func WriteZoningHTML(w io.Writer, rep ZoningReport) error {
	if err := zoningHTML.Execute(w, htmlPage{ZoningReport: rep}); err != nil {
		return fmt.Errorf("zoning report HTML: %w", err)
	}
	return nil
}
