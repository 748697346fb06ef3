package reports

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/go-pdf/fpdf"
	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/domain"
)

// A4 portrait layout, millimetres.
const (
	pdfMargin  = 14.0
	pdfPageW   = 210.0
	pdfPageH   = 297.0
	pdfBodyW   = pdfPageW - 2*pdfMargin
	pdfMapSize = 82.0
	pdfLineH   = 4.2
	pdfFooterY = pdfPageH - 10
)

// pdfDoc wraps fpdf with the report's styles.
type pdfDoc struct {
	f  *fpdf.Fpdf
	tr func(string) string
}

// WriteZoningPDF renders the report as an A4 PDF: header with the comune
// and the date, the notice that it is not a legal certificate, for each
// parcel its data, a map of the parcel with the zones and constraints as
// vector polygons and their legend, the tables, then the data sources.
// The same report gives the same bytes (dates come from the report).
func WriteZoningPDF(w io.Writer, rep ZoningReport) error {
	f := fpdf.New("P", "mm", "A4", "")
	d := &pdfDoc{f: f, tr: f.UnicodeTranslatorFromDescriptor("")}
	f.SetCreationDate(rep.GeneratedAt)
	f.SetModificationDate(rep.GeneratedAt)
	f.SetCatalogSort(true)
	f.SetTitle(rep.Title+" – "+rep.Comune, true)
	f.SetAuthor(rep.Comune, true)
	f.SetCreator("SIT", true)
	f.SetSubject("Estratto informativo di destinazione urbanistica (non è un certificato)", true)
	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.SetAutoPageBreak(false, pdfMargin)
	f.AliasNbPages("{nb}")
	f.SetHeaderFunc(func() { d.header(rep) })
	f.SetFooterFunc(func() { d.footer() })
	f.AddPage()
	d.notice(rep.Notice)
	d.instruments(rep)
	for i, pr := range rep.Parcels {
		if i > 0 {
			f.AddPage()
		}
		d.parcel(pr)
		d.adopted(pr)
	}
	d.sources(rep)
	d.articlesAnnex(rep)
	if err := f.Error(); err != nil {
		return fmt.Errorf("zoning report PDF: %w", err)
	}
	if err := f.Output(w); err != nil {
		return fmt.Errorf("zoning report PDF: %w", err)
	}
	return nil
}

func (d *pdfDoc) text(s string) string { return d.tr(s) }

func (d *pdfDoc) header(rep ZoningReport) {
	f := d.f
	f.SetY(pdfMargin - 4)
	f.SetFont("Helvetica", "B", 13)
	f.SetTextColor(0, 0, 0)
	f.CellFormat(pdfBodyW*0.6, 6, d.text(rep.Comune), "", 0, "L", false, 0, "")
	f.SetFont("Helvetica", "", 8.5)
	f.CellFormat(pdfBodyW*0.4, 6, d.text("Estratto del "+dateTimeIT(rep.GeneratedAt)), "", 1, "R", false, 0, "")
	f.SetFont("Helvetica", "B", 11)
	f.CellFormat(pdfBodyW, 5.5, d.text("Destinazione urbanistica e vincoli"), "", 1, "L", false, 0, "")
	f.SetDrawColor(0, 0, 0)
	f.SetLineWidth(0.5)
	f.Line(pdfMargin, f.GetY()+1, pdfPageW-pdfMargin, f.GetY()+1)
	f.SetLineWidth(0.2)
	f.SetY(f.GetY() + 3)
}

func (d *pdfDoc) footer() {
	f := d.f
	f.SetY(pdfFooterY)
	f.SetFont("Helvetica", "I", 7.5)
	f.SetTextColor(90, 90, 90)
	f.CellFormat(pdfBodyW*0.8, 4, d.text("Documento informativo senza valore legale: non è un certificato di destinazione urbanistica (DPR 380/2001 art. 30)."), "", 0, "L", false, 0, "")
	f.CellFormat(pdfBodyW*0.2, 4, fmt.Sprintf("Pagina %d di {nb}", f.PageNo()), "", 0, "R", false, 0, "")
	f.SetTextColor(0, 0, 0)
}

// ensure starts a new page when h millimetres do not fit.
func (d *pdfDoc) ensure(h float64) bool {
	if d.f.GetY()+h > pdfFooterY-3 {
		d.f.AddPage()
		return true
	}
	return false
}

func (d *pdfDoc) notice(s string) {
	f := d.f
	f.SetFont("Helvetica", "", 8)
	f.SetDrawColor(176, 0, 0)
	f.SetFillColor(255, 244, 244)
	f.SetLineWidth(0.4)
	f.MultiCell(pdfBodyW, 3.8, d.text("ATTENZIONE. "+s), "1", "L", true)
	f.SetLineWidth(0.2)
	f.SetDrawColor(0, 0, 0)
	f.Ln(2)
}

func (d *pdfDoc) heading(s string, size float64) {
	f := d.f
	d.ensure(12)
	f.SetFont("Helvetica", "B", size)
	f.CellFormat(pdfBodyW, size*0.55, d.text(s), "", 1, "L", false, 0, "")
	f.Ln(0.5)
}

// table draws rows (the first is the header) with wrapped cells; a page
// break repeats the header.
func (d *pdfDoc) table(widths []float64, aligns string, rows [][]string, boldLast bool) {
	f := d.f
	fontSize := 7.5
	lh := 3.4
	draw := func(cells []string, header, bold bool) {
		f.SetFont("Helvetica", map[bool]string{true: "B", false: ""}[header || bold], fontSize)
		lines := 1
		split := make([][]string, len(cells))
		for i, c := range cells {
			for _, l := range f.SplitLines([]byte(d.text(c)), widths[i]-2) {
				split[i] = append(split[i], string(l))
			}
			if len(split[i]) > lines {
				lines = len(split[i])
			}
		}
		h := float64(lines)*lh + 1.2
		if d.ensure(h) && !header {
			d.tableHeader(widths, aligns, rows[0], lh)
			f.SetFont("Helvetica", map[bool]string{true: "B", false: ""}[bold], fontSize)
		}
		x, y := f.GetX(), f.GetY()
		for i := range cells {
			if header {
				f.SetFillColor(235, 235, 235)
			} else if bold {
				f.SetFillColor(246, 246, 246)
			}
			f.Rect(x, y, widths[i], h, map[bool]string{true: "DF", false: "D"}[header || bold])
			for k, l := range split[i] {
				f.SetXY(x+1, y+0.6+float64(k)*lh)
				f.CellFormat(widths[i]-2, lh, l, "", 0, string(aligns[i]), false, 0, "")
			}
			x += widths[i]
		}
		f.SetXY(pdfMargin, y+h)
	}
	f.SetDrawColor(170, 170, 170)
	for i, r := range rows {
		draw(r, i == 0, boldLast && i == len(rows)-1)
	}
	f.SetDrawColor(0, 0, 0)
	f.Ln(1.5)
}

func (d *pdfDoc) tableHeader(widths []float64, aligns string, head []string, lh float64) {
	f := d.f
	f.SetFont("Helvetica", "B", 7.5)
	x, y := f.GetX(), f.GetY()
	for i, c := range head {
		f.SetFillColor(235, 235, 235)
		f.Rect(x, y, widths[i], lh+1.2, "DF")
		f.SetXY(x+1, y+0.6)
		f.CellFormat(widths[i]-2, lh, d.text(c), "", 0, string(aligns[i]), false, 0, "")
		x += widths[i]
	}
	f.SetXY(pdfMargin, y+lh+1.2)
}

func dash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func (d *pdfDoc) parcel(pr ParcelReport) {
	f := d.f
	d.heading(pr.Label+"  ("+pr.Ref+")", 11.5)
	top := f.GetY()
	// Map on the left, the cadastral data and the legend on the right.
	if pr.Map != nil {
		d.drawMap(pr.Map, pdfMargin, top, pdfMapSize)
	}
	infoX := pdfMargin + pdfMapSize + 5
	infoW := pdfBodyW - pdfMapSize - 5
	f.SetXY(infoX, top)
	d.parcelData(pr, infoX, infoW)
	if pr.Map != nil {
		d.legend(pr.Map, infoX, infoW)
	}
	f.SetXY(pdfMargin, max(top+pdfMapSize, f.GetY())+4)
	d.zoneTables(pr)
	d.constraintTables(pr)
}

// parcelData is the table of the parcel's cadastral data.
func (d *pdfDoc) parcelData(pr ParcelReport, x, w float64) {
	f := d.f
	kv := [][2]string{
		{"Comune (cod. catastale)", comuneIT(pr.ComuneName, pr.Comune)}, {"Sezione", dash(pr.Sezione)}, {"Foglio", pr.Foglio},
		{"Particella", pr.Particella + map[bool]string{true: " (strada/acqua)", false: ""}[pr.Road]},
		{"Allegato / sviluppo", dash(pr.Allegato) + " / " + dash(pr.Sviluppo)},
		{"Superficie (ellissoide)", numIT(pr.AreaM2, 2) + " m²"},
		{"Centroide WGS84", fmt.Sprintf("%.6f N, %.6f E", pr.Centroid[1], pr.Centroid[0])},
		{"Zone (tot.)", numIT(pr.Totals.ZonesPct, 2) + " %"},
		{"Vincolata", numIT(pr.Totals.ConstrainedPc, 2) + " %"},
	}
	f.SetDrawColor(170, 170, 170)
	for _, r := range kv {
		f.SetX(x)
		f.SetFont("Helvetica", "B", 8)
		f.SetFillColor(240, 240, 240)
		f.CellFormat(w*0.45, 5, d.text(r[0]), "1", 0, "L", true, 0, "")
		f.SetFont("Helvetica", "", 8)
		f.CellFormat(w*0.55, 5, d.text(r[1]), "1", 1, "L", false, 0, "")
	}
	f.SetDrawColor(0, 0, 0)
}

// legend lists every entry of the map's legend, whole, in the HTML's
// groups and order; below the data, beside the map or under it when long.
func (d *pdfDoc) legend(m *MapData, x, w float64) {
	f := d.f
	f.SetXY(x, f.GetY()+2)
	f.SetFont("Helvetica", "B", 8)
	f.CellFormat(w, 4, "Legenda", "", 1, "L", false, 0, "")
	d.legendRow(x, w, LegendItem{}, "Particella", swatchParcel)
	if len(m.Sheets) > 0 {
		d.legendRow(x, w, LegendItem{}, SheetLegendText, swatchSheet)
	}
	for _, sec := range m.Sections() {
		d.ensure(8)
		f.SetX(x)
		f.SetFont("Helvetica", "B", 7)
		f.MultiCell(w, 3.4, d.text(sec.Title), "", "L", false)
		for _, it := range sec.Items {
			d.legendRow(x, w, it, it.Text(), swatchItem)
		}
	}
}

// zoneTables are the zones over the parcel, with the totals, and the
// border effects apart.
func (d *pdfDoc) zoneTables(pr ParcelReport) {
	d.heading("Zone urbanistiche", 9.5)
	rows := [][]string{{"Zona", "Cl.", "Descrizione", "Norma", "Piano (vers., data)", "m²", "%"}}
	for _, pc := range pr.Zoning {
		rows = append(rows, pieceRow(pc))
	}
	if len(pr.Zoning) == 0 {
		rows = append(rows, []string{"–", "", "Nessuna zona interseca la particella", "", "", "", ""})
	}
	if len(pr.ZoningBorder) > 0 {
		rows = append(rows, []string{"", "", "Effetti di bordo (sotto)", "", "", numIT(pr.Totals.BorderM2, 2), numIT(pr.Totals.BorderPct, 2)})
	}
	if pr.Totals.UnzonedM2 != 0 {
		rows = append(rows, []string{"", "", "Non zonizzata", "", "", numIT(pr.Totals.UnzonedM2, 2), numIT(pr.Totals.UnzonedPct, 2)})
	}
	rows = append(rows, []string{"Totale", "", "", "", "", numIT(pr.Totals.ZonedM2, 2), numIT(pr.Totals.ZonedPct, 2)})
	zw := []float64{13, 8, 58, 24, 44, 19, 16}
	d.table(zw, "LLLLLRR", rows, true)
	if len(pr.ZoningBorder) > 0 {
		d.heading("Effetti di bordo – zone", 9)
		rows := [][]string{{"Zona", "Cl.", "Descrizione", "m²", "%"}}
		for _, pc := range pr.ZoningBorder {
			rows = append(rows, []string{pc.ZoneCode, dash(pc.ZoneClass), pc.Description, numIT(pc.AreaM2, 2), numIT(pc.Pct, 2)})
		}
		d.table([]float64{13, 8, 126, 19, 16}, "LLLRR", rows, false)
	}
}

// pieceRow is a zone's or a constraint's row: code, class, description,
// norm, its plan (version, date), m² and % of the parcel.
func pieceRow(pc Piece) []string {
	return []string{pc.ZoneCode, dash(pc.ZoneClass), pc.Description, dash(pc.NormRef),
		fmt.Sprintf("%s (v%d, %s)", pc.Plan, pc.PlanVersion, dateIT(pc.PlanDate)), numIT(pc.AreaM2, 2), numIT(pc.Pct, 2)}
}

// constraintTables are the constraints over the parcel, with the area
// under at least one, and the border effects apart.
func (d *pdfDoc) constraintTables(pr ParcelReport) {
	d.heading("Vincoli", 9.5)
	rows := [][]string{{"Vincolo", "Tipo", "Descrizione", "Norma", "Fonte (vers., data)", "m²", "%"}}
	for _, pc := range pr.Constraints {
		rows = append(rows, pieceRow(pc))
	}
	if len(pr.Constraints) == 0 {
		rows = append(rows, []string{"–", "", "Nessun vincolo interseca la particella", "", "", "", ""})
	} else {
		rows = append(rows, []string{"Vincolata", "", "Superficie soggetta ad almeno un vincolo", "", "", numIT(pr.Totals.ConstrainedM2, 2), numIT(pr.Totals.ConstrainedPc, 2)})
	}
	d.table([]float64{16, 23, 46, 25, 37, 19, 16}, "LLLLLRR", rows, len(pr.Constraints) > 0)
	if len(pr.ConstraintsBorder) > 0 {
		d.heading("Effetti di bordo – vincoli", 9)
		rows := [][]string{{"Vincolo", "Descrizione", "m²", "%"}}
		for _, pc := range pr.ConstraintsBorder {
			rows = append(rows, []string{pc.ZoneCode, pc.Description, numIT(pc.AreaM2, 2), numIT(pc.Pct, 2)})
		}
		d.table([]float64{16, 131, 19, 16}, "LLRR", rows, false)
	}
}

// swatchKind is what a legend row's swatch shows.
type swatchKind int

const (
	swatchItem   swatchKind = iota // the entry's fill or hatch
	swatchParcel                   // the parcel's heavy outline
	swatchSheet                    // the fogli's thin outline
)

// legendRow draws a swatch and the entry's text, wrapped (never cut).
func (d *pdfDoc) legendRow(x, w float64, it LegendItem, label string, kind swatchKind) {
	f := d.f
	f.SetFont("Helvetica", "", 7)
	lines := f.SplitLines([]byte(d.text(label)), w-7)
	d.ensure(float64(len(lines))*3.4 + 0.8)
	y := f.GetY()
	c := it.Colour
	switch {
	case kind == swatchParcel:
		f.SetLineWidth(0.6)
		f.SetDrawColor(0, 0, 0)
		f.Rect(x, y+0.4, 5, 3, "D")
		f.SetLineWidth(0.2)
	case kind == swatchSheet:
		sc := domain.RGB(domain.ColorSheetLine)
		f.SetLineWidth(0.25)
		f.SetDrawColor(sc[0], sc[1], sc[2])
		f.Rect(x, y+0.4, 5, 3, "D")
		f.SetLineWidth(0.2)
	case it.Constraint:
		f.SetDrawColor(c[0], c[1], c[2])
		f.SetLineWidth(0.25)
		f.ClipRect(x, y+0.4, 5, 3, false)
		d.hatch(x, y+0.4, 5, 3, hatchAngle(it.Hatch), 1.2)
		f.ClipEnd()
		f.SetLineWidth(0.3)
		f.SetDashPattern([]float64{0.8, 0.5}, 0)
		f.Rect(x, y+0.4, 5, 3, "D")
		f.SetDashPattern(nil, 0)
		f.SetLineWidth(0.2)
	default:
		f.SetFillColor(c[0], c[1], c[2])
		f.SetDrawColor(110, 110, 110)
		f.Rect(x, y+0.4, 5, 3, "DF")
	}
	f.SetDrawColor(0, 0, 0)
	f.SetXY(x+6.5, y)
	f.MultiCell(w-7, 3.4, d.text(label), "", "L", false)
	f.SetY(f.GetY() + 0.8)
}

// mapBox is the map's square on the page: x, y its top left corner, size
// its side (mm), k the scale from the local metres of the frame.
type mapBox struct {
	d             *pdfDoc
	fr            orb.Bound
	x, y, size, k float64
}

func (b mapBox) pt(p orb.Point) (float64, float64) {
	return b.x + (p[0]-b.fr.Min[0])*b.k, b.y + (b.fr.Max[1]-p[1])*b.k
}

// path traces a polygonal geometry; false when there was nothing to trace.
func (b mapBox) path(g orb.Geometry) bool {
	f := b.d.f
	rs := rings(g)
	for _, r := range rs {
		for i, p := range r {
			px, py := b.pt(p)
			if i == 0 {
				f.MoveTo(px, py)
			} else {
				f.LineTo(px, py)
			}
		}
		f.ClosePath()
	}
	return len(rs) > 0
}

// constraint draws a constraint: a hatch inside each outer ring (holes
// are not cut out of the hatch: constraint areas with holes are rare),
// a light fill and a dashed outline, in its legend entry's colour.
func (b mapBox) constraint(c MapFeature, it LegendItem) {
	f := b.d.f
	col := it.Colour
	f.SetAlpha(0.12, "Normal")
	f.SetFillColor(col[0], col[1], col[2])
	if b.path(c.Geom) {
		f.DrawPath("f*")
	}
	f.SetAlpha(1, "Normal")
	f.SetDrawColor(col[0], col[1], col[2])
	f.SetLineWidth(0.25)
	for _, r := range outerRings(c.Geom) {
		pts := make([]fpdf.PointType, len(r))
		for i, p := range r {
			pts[i].X, pts[i].Y = b.pt(p)
		}
		f.ClipPolygon(pts, false)
		b.d.hatch(b.x, b.y, b.size, b.size, hatchAngle(it.Hatch), 1.6)
		f.ClipEnd()
	}
	f.SetLineWidth(0.4)
	f.SetDashPattern([]float64{1.2, 0.7}, 0)
	if b.path(c.Geom) {
		f.DrawPath("S")
	}
	f.SetDashPattern(nil, 0)
}

// sheetLines outlines the fogli, thin, in the palette's sheet colour.
func (b mapBox) sheetLines(ss []MapSheet) {
	f := b.d.f
	c := domain.RGB(domain.ColorSheetLine)
	f.SetDrawColor(c[0], c[1], c[2])
	f.SetLineWidth(0.25)
	for _, sh := range ss {
		if b.path(sh.Geom) {
			f.DrawPath("S")
		}
	}
	f.SetDrawColor(0, 0, 0)
}

// sheetLabels writes the fogli's numbers on a halo-coloured ground.
func (b mapBox) sheetLabels(ss []MapSheet) {
	f := b.d.f
	c, h := domain.RGB(domain.ColorSheetLine), domain.RGB(domain.ColorHalo)
	f.SetFont("Helvetica", "B", 7)
	for _, sh := range ss {
		if sh.Label == "" {
			continue
		}
		t := b.d.text(sh.Label)
		w := f.GetStringWidth(t)
		x, y := b.pt(sh.At)
		f.SetFillColor(h[0], h[1], h[2])
		f.Rect(x-w/2-0.6, y-2.6, w+1.2, 3.4, "F")
		f.SetTextColor(c[0], c[1], c[2])
		f.Text(x-w/2, y, t)
	}
	f.SetTextColor(0, 0, 0)
}

// furniture draws the frame, the scale bar and the north arrow.
func (b mapBox) furniture() {
	f := b.d.f
	f.SetLineWidth(0.3)
	f.Rect(b.x, b.y, b.size, b.size, "D")
	sb := scaleBar(b.fr.Max[0] - b.fr.Min[0])
	bx, by := b.x+3, b.y+b.size-4
	f.SetFillColor(255, 255, 255)
	f.Rect(bx-1, by-4.5, sb*b.k+2+10, 6.5, "F")
	f.SetFillColor(0, 0, 0)
	f.Rect(bx, by, sb*b.k, 1, "F")
	f.SetFont("Helvetica", "", 6.5)
	f.Text(bx, by-1, numIT(sb, 0)+" m")
	nx, ny := b.x+b.size-5, b.y+3
	f.Polygon([]fpdf.PointType{{X: nx, Y: ny}, {X: nx - 1.8, Y: ny + 5}, {X: nx + 1.8, Y: ny + 5}}, "F")
	f.SetFont("Helvetica", "B", 7)
	f.Text(nx-1.1, ny+8.5, "N")
	f.SetLineWidth(0.2)
}

// drawMap draws the map in a square box at (x, y): zones filled in their
// legend colours, neighbouring parcels outlined, constraints hatched with
// dashed outlines, the parcel in a heavy line, a scale bar and north.
func (d *pdfDoc) drawMap(m *MapData, x, y, size float64) {
	f := d.f
	b := mapBox{d: d, fr: m.Frame, x: x, y: y, size: size, k: size / (m.Frame.Max[0] - m.Frame.Min[0])}
	f.SetFillColor(250, 250, 250)
	f.Rect(x, y, size, size, "F")
	f.ClipRect(x, y, size, size, false)
	f.SetLineWidth(0.1)
	for _, z := range m.Zones {
		c := legendItem(m.Legend, z, false).Colour
		f.SetFillColor(c[0], c[1], c[2])
		f.SetDrawColor(120, 120, 120)
		if b.path(z.Geom) {
			f.DrawPath("B*")
		}
	}
	f.SetDrawColor(80, 80, 80)
	f.SetLineWidth(0.1)
	for _, n := range m.Neighbours {
		if b.path(n.Geom) {
			f.DrawPath("S")
		}
	}
	for _, c := range m.Constraints {
		b.constraint(c, legendItem(m.Legend, c, true))
	}
	b.sheetLines(m.Sheets)
	f.SetDrawColor(0, 0, 0)
	f.SetLineWidth(0.7)
	if b.path(m.Parcel) {
		f.DrawPath("S")
	}
	b.sheetLabels(m.Sheets)
	f.ClipEnd()
	b.furniture()
}

// hatch draws parallel lines at angle degrees, spacing mm apart, across
// the box (the caller clips them).
func (d *pdfDoc) hatch(x, y, w, h, angle, spacing float64) {
	a := angle * math.Pi / 180
	dx, dy := math.Cos(a), -math.Sin(a) // direction (page y grows down)
	nx, ny := -dy, dx                   // normal
	cx, cy := x+w/2, y+h/2
	r := math.Hypot(w, h) / 2
	for t := -r; t <= r; t += spacing {
		px, py := cx+nx*t, cy+ny*t
		d.f.Line(px-dx*r, py-dy*r, px+dx*r, py+dy*r)
	}
}

// outerRings lists the exterior rings of a polygonal geometry.
func outerRings(g orb.Geometry) []orb.Ring {
	switch g := g.(type) {
	case orb.Polygon:
		if len(g) > 0 {
			return []orb.Ring{g[0]}
		}
	case orb.MultiPolygon:
		var out []orb.Ring
		for _, p := range g {
			if len(p) > 0 {
				out = append(out, p[0])
			}
		}
		return out
	}
	return nil
}

func (d *pdfDoc) sources(rep ZoningReport) {
	f := d.f
	d.ensure(40)
	f.Ln(2)
	d.heading("Fonti dei dati", 10.5)
	rows := [][]string{{"Strato", "Ruolo", "Titolo", "Ver.", "Importato", "File / attribuzione"}}
	for _, s := range rep.Sources {
		title := s.Title
		if s.Synthetic {
			title += " (DATI SINTETICI)"
		}
		rows = append(rows, []string{s.Layer, s.RoleLabel, title, fmt.Sprint(s.Version), dateIT(s.ImportedAt),
			strings.TrimSpace(dash(s.SourceFile) + " – " + dash(s.Attribution))})
	}
	d.table([]float64{26, 18, 46, 10, 18, 64}, "LLLRLL", rows, false)
	f.SetFont("Helvetica", "", 7.5)
	d.ensure(16)
	f.MultiCell(pdfBodyW, 3.5, d.text(fmt.Sprintf("Metodo: superfici sull'ellissoide WGS84 (PostGIS geography), intersezioni calcolate in EPSG:4326; "+
		"arrotondamento a 0,01 m² e 0,01 %%, i totali sono somme delle righe arrotondate. Effetti di bordo: parti inferiori a %s m² "+
		"o a %s %% della particella. Stessi dati (versioni sopra), stessi numeri.", numIT(rep.Slivers.MinAreaM2, 2), numIT(rep.Slivers.MinPct, 2))), "", "L", false)
}
