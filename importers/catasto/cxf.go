package catasto

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/layers"
)

// CXF is the text exchange format of the Italian cadastral map (Agenzia del
// Territorio, now Agenzia delle Entrate: "Specifica tecnica del formato per
// l'Export/Import della cartografia catastale vettoriale CXF"). One file is
// one map sheet; one value a line; a header of three records (map type, map
// name, scale) then sections opened by a keyword (BORDO, TESTO, SIMBOLO,
// FIDUCIALE, LINEA, LIBRETTO, RIFERIMENTO_RASTER) and the EOF record.
//
// The file does not say its CRS: originals are in the local Cassini-Soldner
// system of their "centro di emanazione" or in Gauss-Boaga; converted ones
// in whatever the converter chose. Info.SRID is Options.SRID (0 when not
// given), and the CLI must ask for --srid or a PROJ string.

// CXF record families, one Dataset each.
const (
	cxfBordi   = "bordi"
	cxfTesti   = "testi"
	cxfSimboli = "simboli"
	cxfFiduc   = "fiduciali"
	cxfLinee   = "linee"
	cxfLibr    = "libretti"
	cxfRaster  = "riferimenti_raster"
)

// cxfFamilies lists the families in dataset order. The first five always
// exist (an empty layer says "this sheet has none"); the two raster-map
// families only when a file has them.
func cxfFamilies() []string {
	return []string{cxfBordi, cxfTesti, cxfSimboli, cxfFiduc, cxfLinee, cxfLibr, cxfRaster}
}

func cxfFamilyOf(keyword string) string {
	switch keyword {
	case "BORDO":
		return cxfBordi
	case "TESTO":
		return cxfTesti
	case "SIMBOLO":
		return cxfSimboli
	case "FIDUCIALE":
		return cxfFiduc
	case "LINEA":
		return cxfLinee
	case "LIBRETTO":
		return cxfLibr
	case "RIFERIMENTO_RASTER":
		return cxfRaster
	}
	return ""
}

// cxfSymbolName names the symbol codes of the specification (table 7).
func cxfSymbolName(code int64) string {
	switch code {
	case 1:
		return "punto di controllo per orientamento"
	case 2:
		return "termine catastale particellare"
	case 3:
		return "parametro"
	case 4:
		return "osso di morto"
	case 5:
		return "grande flusso scorrimento acque"
	case 6:
		return "medio flusso scorrimento acque"
	case 7:
		return "piccolo flusso scorrimento acque"
	case 8:
		return "punto fiduciale trigonometrico"
	case 9:
		return "graffa di annessione piccola"
	case 10:
		return "ancora"
	case 11:
		return "termine catastale provinciale"
	case 13:
		return "croce su roccia"
	case 14:
		return "graffa di annessione grande"
	case 15:
		return "baffettatura piccola"
	case 16:
		return "baffettatura grande"
	case 20:
		return "punto fiduciale semplice"
	}
	return ""
}

// cxfFields declares the attributes of each family.
func cxfFields(family string) []layers.Field {
	sheet := []layers.Field{
		{Name: "comune", Type: layers.TypeText}, {Name: "sezione", Type: layers.TypeText},
		{Name: "foglio", Type: layers.TypeText}, {Name: "allegato", Type: layers.TypeText},
		{Name: "sviluppo", Type: layers.TypeText}, {Name: "mappa", Type: layers.TypeText},
		{Name: "tipo_mappa", Type: layers.TypeText}, {Name: "scala", Type: layers.TypeDouble},
	}
	ext := layers.Field{Name: "esterno", Type: layers.TypeBoolean}
	switch family {
	case cxfBordi:
		return append(sheet,
			layers.Field{Name: "particella", Type: layers.TypeText}, layers.Field{Name: "ref", Type: layers.TypeText},
			layers.Field{Name: "tipo", Type: layers.TypeText}, layers.Field{Name: "codice", Type: layers.TypeText},
			layers.Field{Name: "dimensione", Type: layers.TypeInteger}, layers.Field{Name: "angolo", Type: layers.TypeDouble},
			layers.Field{Name: "pos_x", Type: layers.TypeDouble}, layers.Field{Name: "pos_y", Type: layers.TypeDouble},
			layers.Field{Name: "interno_x", Type: layers.TypeDouble}, layers.Field{Name: "interno_y", Type: layers.TypeDouble},
			layers.Field{Name: "isole", Type: layers.TypeInteger})
	case cxfTesti:
		return append(sheet,
			layers.Field{Name: "testo", Type: layers.TypeText}, layers.Field{Name: "dimensione", Type: layers.TypeInteger},
			layers.Field{Name: "angolo", Type: layers.TypeDouble}, ext,
			layers.Field{Name: "diritto_superficie", Type: layers.TypeBoolean}, layers.Field{Name: "particella", Type: layers.TypeText})
	case cxfSimboli:
		return append(sheet,
			layers.Field{Name: "codice", Type: layers.TypeInteger}, layers.Field{Name: "descrizione", Type: layers.TypeText},
			layers.Field{Name: "angolo", Type: layers.TypeDouble}, ext)
	case cxfFiduc:
		return append(sheet,
			layers.Field{Name: "numero", Type: layers.TypeText}, layers.Field{Name: "codice_simbolo", Type: layers.TypeInteger},
			layers.Field{Name: "rappr_x", Type: layers.TypeDouble}, layers.Field{Name: "rappr_y", Type: layers.TypeDouble}, ext)
	case cxfLinee:
		return append(sheet, layers.Field{Name: "tratto", Type: layers.TypeInteger}, ext)
	case cxfLibr:
		return append(sheet, layers.Field{Name: "protocollo", Type: layers.TypeText}, layers.Field{Name: "tratto", Type: layers.TypeInteger})
	case cxfRaster:
		return append(sheet, layers.Field{Name: "raster", Type: layers.TypeText})
	}
	return sheet
}

func cxfGeometryType(family string) string {
	switch family {
	case cxfBordi, cxfRaster:
		return "Polygon"
	case cxfLinee, cxfLibr:
		return "LineString"
	}
	return "Point"
}

// cxfHeader is the three-record header of a sheet.
type cxfHeader struct {
	mapType string
	name    string
	scale   float64
	// sheet is the parsed map name (or, failing that, file name); ok=false
	// when neither is a CCCCZFFFFAS code.
	sheet   domain.CadastralRef
	sheetOK bool
}

// cxfParser reads the records of one CXF file.
type cxfParser struct {
	name string // file name for messages
	sc   *bufio.Scanner
	line int64
	hdr  cxfHeader
	text importers.TextDecoder
	done bool
}

func newCXFParser(name string, r io.Reader, text importers.TextDecoder) (*cxfParser, error) {
	sc := bufio.NewScanner(r)
	// One value a line: a line longer than this is not CXF.
	sc.Buffer(make([]byte, 0, 4096), 64*1024)
	p := &cxfParser{name: name, sc: sc, text: text}
	if err := p.readHeader(); err != nil {
		return nil, err
	}
	return p, nil
}

// errorf reports a fatal problem at the current line.
func (p *cxfParser) errorf(format string, args ...any) error {
	return fmt.Errorf("%s: line %d: %s", p.name, p.line, fmt.Sprintf(format, args...))
}

// readLine returns the next line without its CR/LF.
func (p *cxfParser) readLine(what string) (string, error) {
	if !p.sc.Scan() {
		if err := p.sc.Err(); err != nil {
			if errors.Is(err, bufio.ErrTooLong) {
				return "", fmt.Errorf("%s: line %d: line too long (over 64 KiB): not a CXF file", p.name, p.line+1)
			}
			return "", fmt.Errorf("%s: line %d: %w", p.name, p.line+1, err)
		}
		return "", fmt.Errorf("%s: line %d: unexpected end of file while reading %s (truncated file, no EOF record)", p.name, p.line, what)
	}
	p.line++
	return strings.TrimRight(p.sc.Text(), "\r"), nil
}

func (p *cxfParser) readText(what string) (string, error) {
	l, err := p.readLine(what)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(p.text.Decode([]byte(l))), nil
}

func (p *cxfParser) readInt(what string) (int64, error) {
	l, err := p.readLine(what)
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseInt(strings.TrimSpace(l), 10, 64)
	if err != nil {
		return 0, p.errorf("%s: %q is not an integer", what, strings.TrimSpace(l))
	}
	return v, nil
}

func (p *cxfParser) readCount(what string) (int64, error) {
	v, err := p.readInt(what)
	if err != nil {
		return 0, err
	}
	if v < 0 {
		return 0, p.errorf("%s: negative count %d", what, v)
	}
	return v, nil
}

func (p *cxfParser) readReal(what string) (float64, error) {
	l, err := p.readLine(what)
	if err != nil {
		return 0, err
	}
	s := strings.TrimSpace(l)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !importers.IsFinite(v) || strings.ContainsAny(s, "xXpP_") {
		return 0, p.errorf("%s: %q is not a number", what, s)
	}
	return v, nil
}

func (p *cxfParser) readPoint(what string) (orb.Point, error) {
	x, err := p.readReal(what + " X")
	if err != nil {
		return orb.Point{}, err
	}
	y, err := p.readReal(what + " Y")
	if err != nil {
		return orb.Point{}, err
	}
	return orb.Point{x, y}, nil
}

// readPoints reads n vertices without trusting n for the allocation.
func (p *cxfParser) readPoints(n int64, what string) ([]orb.Point, error) {
	pts := make([]orb.Point, 0, min(n, 1024))
	for i := int64(0); i < n; i++ {
		pt, err := p.readPoint(fmt.Sprintf("%s vertex %d", what, i+1))
		if err != nil {
			return nil, err
		}
		pts = append(pts, pt)
	}
	return pts, nil
}

func (p *cxfParser) readHeader() error {
	l, err := p.readLine("the header (map type)")
	if err != nil {
		return err
	}
	mt := strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(l, "\xef\xbb\xbf")))
	switch {
	case mt == "MAPPA", mt == "MAPPA FONDIARIO":
	case strings.HasPrefix(mt, "QUADRO D") && strings.HasSuffix(mt, "UNIONE"):
		mt = "QUADRO D'UNIONE"
	default:
		return p.errorf("not a CXF file: the first record is %q, want MAPPA, MAPPA FONDIARIO or QUADRO D'UNIONE", truncate(mt, 40))
	}
	name, err := p.readText("the header (map name)")
	if err != nil {
		return err
	}
	if name == "" {
		return p.errorf("the map name (second header record) is empty")
	}
	scale, err := p.readReal("the header (original scale)")
	if err != nil {
		return err
	}
	p.hdr = cxfHeader{mapType: mt, name: strings.ToUpper(name), scale: scale}
	if r, err := domain.ParseSheetCode(name); err == nil {
		p.hdr.sheet, p.hdr.sheetOK = r, true
	} else {
		stem := strings.TrimSuffix(path.Base(filepath.ToSlash(p.name)), path.Ext(p.name))
		if r, err := domain.ParseSheetCode(stem); err == nil {
			p.hdr.sheet, p.hdr.sheetOK = r, true
		}
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// cxfRecord is one parsed element. A geometry problem that leaves the
// file's structure intact (a ring of two vertices) is reported in bad: the
// record is skipped with a RecordError and the file goes on.
type cxfRecord struct {
	family string
	line   int64
	props  map[string]any
	geom   orb.Geometry
	bad    string
}

// next returns the next record, io.EOF after the EOF record. Structural
// errors (a count that is no number, a missing line) are fatal: the
// positional format cannot be resynchronised after them.
func (p *cxfParser) next() (cxfRecord, error) {
	if p.done {
		return cxfRecord{}, io.EOF
	}
	var kw string
	for {
		l, err := p.readLine("the next record")
		if err != nil {
			return cxfRecord{}, err
		}
		kw = strings.ToUpper(strings.TrimSpace(l))
		if kw != "" {
			break
		}
	}
	if kw == "EOF" {
		// Anything after EOF is ignored, as the specification says.
		p.done = true
		return cxfRecord{}, io.EOF
	}
	external := strings.HasSuffix(kw, "\\")
	base := strings.TrimSpace(strings.TrimSuffix(kw, "\\"))
	fam := cxfFamilyOf(base)
	if fam == "" {
		return cxfRecord{}, p.errorf("expected a record keyword (BORDO, TESTO, SIMBOLO, FIDUCIALE, LINEA, LIBRETTO, RIFERIMENTO_RASTER) or EOF, found %q", truncate(kw, 40))
	}
	rec := cxfRecord{family: fam, line: p.line, props: p.sheetProps()}
	var err error
	switch base {
	case "BORDO":
		err = p.bordo(&rec)
	case "TESTO":
		err = p.testo(&rec)
	case "SIMBOLO":
		err = p.simbolo(&rec)
	case "FIDUCIALE":
		err = p.fiduciale(&rec)
	case "LINEA":
		err = p.linea(&rec)
	case "LIBRETTO":
		err = p.libretto(&rec)
	case "RIFERIMENTO_RASTER":
		err = p.raster(&rec)
	}
	if err != nil {
		return cxfRecord{}, err
	}
	switch base {
	case "TESTO", "SIMBOLO", "FIDUCIALE", "LINEA":
		rec.props["esterno"] = external
	default:
		if external {
			return cxfRecord{}, fmt.Errorf("%s: line %d: keyword %s cannot carry the '\\' (outside the map) mark", p.name, rec.line, base)
		}
	}
	return rec, nil
}

func (p *cxfParser) sheetProps() map[string]any {
	h := p.hdr
	props := map[string]any{"mappa": h.name, "tipo_mappa": h.mapType, "scala": h.scale}
	if h.sheetOK {
		props["comune"] = h.sheet.Comune
		props["sezione"] = importers.NilIfEmpty(h.sheet.Sezione)
		props["foglio"] = h.sheet.Foglio
		props["allegato"] = h.sheet.Allegato
		props["sviluppo"] = h.sheet.Sviluppo
	}
	return props
}

// bordoTipo decodes the CODICE IDENTIFICATIVO of a BORDO (spec table 3).
func (p *cxfParser) bordoTipo(code string) string {
	u := strings.ToUpper(code)
	switch {
	case u == p.hdr.name:
		return "confine"
	case u == "STRADA":
		return "strada"
	case u == "ACQUA":
		return "acqua"
	case strings.HasSuffix(u, "+"):
		return "fabbricato"
	case len(u) == 11 && domain.IsSheetCode(u):
		// The boundary of another sheet: a quadro d'unione.
		return "confine"
	case p.hdr.mapType == "MAPPA FONDIARIO" && len(u) > 1 && (u[0] == 'S' || u[0] == 'A'):
		// Fondiario maps number roads S<code> and waters A<code>.
		if u[0] == 'S' {
			return "strada"
		}
		return "acqua"
	}
	return "particella"
}

// bordo reads a BORDO record: a parcel, building, road, water or sheet
// border, with its islands, label position and attributes.
func (p *cxfParser) bordo(rec *cxfRecord) error {
	code, err := p.readText("BORDO identification code")
	if err != nil {
		return err
	}
	if code == "" {
		return p.errorf("BORDO identification code is empty")
	}
	dim, err := p.readInt("BORDO text size")
	if err != nil {
		return err
	}
	ang, err := p.readReal("BORDO text angle")
	if err != nil {
		return err
	}
	pos, err := p.readPoint("BORDO label position")
	if err != nil {
		return err
	}
	in, err := p.readPoint("BORDO interior point")
	if err != nil {
		return err
	}
	poly, nIsl, err := p.bordoPolygon(code, rec)
	if err != nil {
		return err
	}
	rec.geom = poly
	props := rec.props
	props["codice"] = code
	props["dimensione"] = dim
	props["angolo"] = ang
	props["pos_x"], props["pos_y"] = pos[0], pos[1]
	props["interno_x"], props["interno_y"] = in[0], in[1]
	props["isole"] = nIsl
	p.bordoReference(code, props)
	return nil
}

// bordoPolygon reads the vertex counts and rings of a BORDO: the outer
// ring, then one ring per island. A ring that cannot be closed marks the
// record bad (rec.bad) rather than the file.
func (p *cxfParser) bordoPolygon(code string, rec *cxfRecord) (orb.Polygon, int64, error) {
	nIsl, err := p.readCount("BORDO number of islands")
	if err != nil {
		return nil, 0, err
	}
	nVert, err := p.readCount("BORDO number of vertices")
	if err != nil {
		return nil, 0, err
	}
	islands := make([]int64, 0, min(nIsl, 256))
	var inIslands int64
	for i := int64(0); i < nIsl; i++ {
		n, err := p.readCount(fmt.Sprintf("BORDO vertices of island %d", i+1))
		if err != nil {
			return nil, 0, err
		}
		inIslands += n
		if inIslands > nVert {
			return nil, 0, p.errorf("BORDO %q: the islands have more vertices (%d so far) than the whole border (%d)", code, inIslands, nVert)
		}
		islands = append(islands, n)
	}
	outer, err := p.readPoints(nVert-inIslands, fmt.Sprintf("BORDO %q outer ring", code))
	if err != nil {
		return nil, 0, err
	}
	poly := orb.Polygon{orb.Ring(outer)}
	for i, n := range islands {
		pts, err := p.readPoints(n, fmt.Sprintf("BORDO %q island %d", code, i+1))
		if err != nil {
			return nil, 0, err
		}
		poly = append(poly, orb.Ring(pts))
	}
	for i, r := range poly {
		closed, problem := closeRing(r)
		if problem != "" {
			which := "outer ring"
			if i > 0 {
				which = fmt.Sprintf("island %d", i)
			}
			rec.bad = fmt.Sprintf("BORDO %q: %s %s", code, which, problem)
		}
		poly[i] = closed
	}
	return poly, nIsl, nil
}

// bordoReference sets what a BORDO code says: its kind (tipo), and for a
// parcel or a building its number and national reference, for a sheet
// border the sheet it bounds.
func (p *cxfParser) bordoReference(code string, props map[string]any) {
	tipo := p.bordoTipo(code)
	props["tipo"] = tipo
	switch tipo {
	case "particella", "fabbricato":
		part := strings.TrimSpace(strings.TrimSuffix(code, "+"))
		props["particella"] = importers.NilIfEmpty(part)
		if p.hdr.sheetOK && part != "" {
			props["ref"] = p.hdr.sheet.Sheet() + "." + part
		}
	case "confine":
		if r, err := domain.ParseSheetCode(code); err == nil {
			// A quadro d'unione lists the borders of other sheets: take
			// their own coordinates, not those of the file.
			props["comune"], props["sezione"], props["foglio"] = r.Comune, importers.NilIfEmpty(r.Sezione), r.Foglio
			props["allegato"], props["sviluppo"] = r.Allegato, r.Sviluppo
			props["ref"] = r.Sheet()
		}
	case "strada", "acqua":
		if p.hdr.mapType == "MAPPA FONDIARIO" && len(code) > 1 {
			props["particella"] = code
		}
	}
}

// closeRing closes a ring whose last vertex differs from the first (the
// specification wants them equal, converters sometimes drop it) and reports
// a ring that cannot be a polygon.
func closeRing(r orb.Ring) (orb.Ring, string) {
	if len(r) == 0 {
		return r, "has no vertices"
	}
	if r[0] != r[len(r)-1] {
		r = append(r, r[0])
	}
	if len(r) < 4 {
		return r, fmt.Sprintf("has %d distinct vertices, a ring needs at least 3", len(r)-1)
	}
	return r, ""
}

func (p *cxfParser) testo(rec *cxfRecord) error {
	f := recordReader{p: p}
	txt, dim, ang, pos := f.text("TESTO text"), f.int("TESTO size"), f.real("TESTO angle"), f.point("TESTO position")
	if f.err != nil {
		return f.err
	}
	rec.geom = pos
	rec.props["testo"] = txt
	rec.props["dimensione"] = dim
	rec.props["angolo"] = ang
	// "(731)": a diritto di superficie, which the cadastre treats as a parcel.
	ds := len(txt) > 2 && txt[0] == '(' && txt[len(txt)-1] == ')'
	rec.props["diritto_superficie"] = ds
	if ds {
		rec.props["particella"] = strings.TrimSpace(txt[1 : len(txt)-1])
	}
	return nil
}

func (p *cxfParser) simbolo(rec *cxfRecord) error {
	f := recordReader{p: p}
	code, ang, pos := f.int("SIMBOLO code"), f.real("SIMBOLO angle"), f.point("SIMBOLO position")
	if f.err != nil {
		return f.err
	}
	rec.geom = pos
	rec.props["codice"] = code
	rec.props["descrizione"] = importers.NilIfEmpty(cxfSymbolName(code))
	rec.props["angolo"] = ang
	return nil
}

func (p *cxfParser) fiduciale(rec *cxfRecord) error {
	f := recordReader{p: p}
	num, code := f.text("FIDUCIALE number"), f.int("FIDUCIALE symbol code")
	pos, lab := f.point("FIDUCIALE position"), f.point("FIDUCIALE label position")
	if f.err != nil {
		return f.err
	}
	rec.geom = pos
	rec.props["numero"] = num
	rec.props["codice_simbolo"] = code
	rec.props["rappr_x"], rec.props["rappr_y"] = lab[0], lab[1]
	return nil
}

func (p *cxfParser) linea(rec *cxfRecord) error {
	f := recordReader{p: p}
	tratto := f.int("LINEA stroke type")
	pts := f.points(f.count("LINEA number of vertices"), "LINEA")
	if f.err != nil {
		return f.err
	}
	rec.props["tratto"] = tratto
	rec.geom = orb.LineString(pts)
	if len(pts) < 2 {
		rec.bad = fmt.Sprintf("LINEA has %d vertices, a line needs at least 2", len(pts))
	}
	return nil
}

func (p *cxfParser) libretto(rec *cxfRecord) error {
	f := recordReader{p: p}
	prot, tratto := f.text("LIBRETTO protocol"), f.int("LIBRETTO stroke type")
	pts := f.points(f.count("LIBRETTO number of vertices"), "LIBRETTO")
	if f.err != nil {
		return f.err
	}
	rec.props["protocollo"] = prot
	rec.props["tratto"] = tratto
	rec.geom = orb.LineString(pts)
	if len(pts) < 2 {
		rec.bad = fmt.Sprintf("LIBRETTO has %d vertices, a line needs at least 2", len(pts))
	}
	return nil
}

func (p *cxfParser) raster(rec *cxfRecord) error {
	f := recordReader{p: p}
	name, pts := f.text("RIFERIMENTO_RASTER file name"), f.points(4, "RIFERIMENTO_RASTER corner")
	if f.err != nil {
		return f.err
	}
	rec.props["raster"] = name
	// Corners come top-left, bottom-left, bottom-right, top-right: already
	// a ring in order.
	ring, problem := closeRing(orb.Ring(pts))
	rec.geom = orb.Polygon{ring}
	if problem != "" {
		rec.bad = "RIFERIMENTO_RASTER: " + problem
	}
	return nil
}

// sniffCXF recognises the CXF header: a map type record then an 11-character map name.
func sniffCXF(head []byte) bool {
	h := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	lines := strings.SplitN(string(h), "\n", 3)
	if len(lines) < 3 {
		return false
	}
	mt := strings.ToUpper(strings.TrimSpace(lines[0]))
	if mt != "MAPPA" && mt != "MAPPA FONDIARIO" && !(strings.HasPrefix(mt, "QUADRO D") && strings.HasSuffix(mt, "UNIONE")) {
		return false
	}
	return strings.TrimSpace(lines[1]) != ""
}

// cxfMember is one sheet to read: a plain file or a zip member.
type cxfMember struct {
	name string
	size int64
	open func() (io.ReadCloser, error)
}

func isCXFName(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".cxf", ".ctf":
		return true
	}
	return false
}

// claimsCXFZip reports whether a zip holds CXF sheets, directly or in the
// zips it contains (a municipality's delivery is often a zip of zips).
func claimsCXFZip(p string) bool {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return false
	}
	defer zr.Close()
	return zipHasCXF(&zr.Reader, 0)
}

func zipHasCXF(zr *zip.Reader, depth int) bool {
	for _, f := range zr.File {
		if isCXFName(f.Name) {
			return true
		}
	}
	if depth > 0 {
		return false
	}
	for _, f := range zr.File {
		if strings.EqualFold(path.Ext(f.Name), ".zip") {
			if inner, err := readNestedZip(f); err == nil && zipHasCXF(inner, depth+1) {
				return true
			}
		}
	}
	return false
}

// maxNestedZip bounds the size of a zip inside a zip, which has to be held
// in memory to be read (zip needs random access).
const maxNestedZip = 1 << 30

func readNestedZip(f *zip.File) (*zip.Reader, error) {
	if f.UncompressedSize64 > maxNestedZip {
		return nil, fmt.Errorf("nested zip %s is larger than %d MiB", f.Name, maxNestedZip>>20)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxNestedZip+1))
	if err != nil {
		return nil, err
	}
	return zip.NewReader(bytes.NewReader(b), int64(len(b)))
}

// cxfMembers lists the sheets of path: the file itself, or the CXF members
// of a zip (and of the zips inside it), sorted by name.
func cxfMembers(p string) (members []cxfMember, closer io.Closer, err error) {
	if !strings.EqualFold(filepath.Ext(p), ".zip") {
		st, err := os.Stat(p)
		if err != nil {
			return nil, nil, fmt.Errorf("open %s: %w", p, err)
		}
		return []cxfMember{{name: p, size: st.Size(), open: func() (io.ReadCloser, error) {
			f, err := os.Open(p)
			if err != nil {
				return nil, fmt.Errorf("open %s: %w", p, err)
			}
			return f, nil
		}}}, nil, nil
	}
	zr, err := zip.OpenReader(p)
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: not a readable zip: %w", p, err)
	}
	var walk func(zr *zip.Reader, prefix string, depth int) error
	walk = func(zr *zip.Reader, prefix string, depth int) error {
		for _, f := range zr.File {
			name := prefix + f.Name
			switch {
			case isCXFName(f.Name):
				members = append(members, cxfMember{name: name, size: int64(f.UncompressedSize64), open: f.Open})
			case depth == 0 && strings.EqualFold(path.Ext(f.Name), ".zip"):
				inner, err := readNestedZip(f)
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				if err := walk(inner, name+"/", depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(&zr.Reader, filepath.Base(p)+"/", 0); err != nil {
		zr.Close()
		return nil, nil, fmt.Errorf("open %s: %w", p, err)
	}
	if len(members) == 0 {
		zr.Close()
		return nil, nil, fmt.Errorf("open %s: the zip holds no .cxf/.ctf sheet", p)
	}
	sort.Slice(members, func(i, j int) bool { return members[i].name < members[j].name })
	return members, zr, nil
}

// openCXF opens a sheet or a zip of sheets as one Dataset per record family.
// The whole source is parsed once here, so that structural errors surface
// at open (with their line number) and every Info.Count is exact.
func openCXF(p string, opt importers.Options) (*importers.Source, error) {
	text := importers.DefaultTextDecoder()
	if opt.Encoding != "" {
		d, err := importers.LookupEncoding(opt.Encoding)
		if err != nil {
			return nil, err
		}
		text = d
	}
	members, closer, err := cxfMembers(p)
	if err != nil {
		return nil, err
	}
	src := importers.NewSource(p, "cxf")
	if closer != nil {
		src.OnClose(closer)
	}
	var size int64
	for _, m := range members {
		size += m.size
	}
	counts := map[string]int64{}
	for _, m := range members {
		if err := scanCXFMember(m, text, counts); err != nil {
			src.Close()
			return nil, err
		}
	}
	stem := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
	for i, fam := range cxfFamilies() {
		if i >= 5 && counts[fam] == 0 {
			continue
		}
		fam := fam
		// Only the parcels and buildings (BORDO) are the cadastre; texts,
		// symbols, fiducial points and lines are map furniture.
		kind := layers.KindGeneric
		if fam == cxfBordi {
			kind = layers.KindCadastral
		}
		src.Datasets = append(src.Datasets, importers.Dataset{
			Info: importers.Info{Name: stem + "_" + fam, SRID: opt.SRID, Fields: cxfFields(fam), GeometryType: cxfGeometryType(fam),
				Count: counts[fam], Size: size, Kind: kind},
			Open: func() (layers.FeatureReader, error) {
				src.Meter.Restart()
				return &cxfReader{family: fam, members: members, text: text, meter: src.Meter}, nil
			},
		})
	}
	return src, nil
}

func scanCXFMember(m cxfMember, text importers.TextDecoder, counts map[string]int64) error {
	rc, err := m.open()
	if err != nil {
		return fmt.Errorf("%s: %w", m.name, err)
	}
	defer rc.Close()
	p, err := newCXFParser(m.name, rc, text)
	if err != nil {
		return err
	}
	for {
		rec, err := p.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		counts[rec.family]++
	}
}

// cxfReader streams the records of one family across all the sheets.
type cxfReader struct {
	family  string
	members []cxfMember
	text    importers.TextDecoder
	meter   *importers.Meter

	next   int // index of the next member to open
	cur    io.ReadCloser
	parser *cxfParser
	rec    int64
}

func (r *cxfReader) Next() (layers.Feature, error) {
	for {
		if r.parser == nil {
			if r.next >= len(r.members) {
				return layers.Feature{}, io.EOF
			}
			m := r.members[r.next]
			r.next++
			rc, err := m.open()
			if err != nil {
				return layers.Feature{}, fmt.Errorf("%s: %w", m.name, err)
			}
			r.cur = rc
			p, err := newCXFParser(m.name, r.meter.Count(rc), r.text)
			if err != nil {
				return layers.Feature{}, err
			}
			r.parser = p
		}
		rec, err := r.parser.next()
		if errors.Is(err, io.EOF) {
			r.cur.Close()
			r.cur, r.parser = nil, nil
			continue
		}
		if err != nil {
			return layers.Feature{}, err
		}
		if rec.family != r.family {
			continue
		}
		r.rec++
		if rec.bad != "" {
			return layers.Feature{}, &layers.RecordError{Record: r.rec, Reason: fmt.Sprintf("%s: line %d: %s", r.parser.name, rec.line, rec.bad)}
		}
		return layers.Feature{Record: r.rec, Geometry: rec.geom, Props: rec.props}, nil
	}
}

func (r *cxfReader) Close() error {
	if r.cur != nil {
		err := r.cur.Close()
		r.cur, r.parser = nil, nil
		return err
	}
	return nil
}

// claimsCXF: a .cxf/.ctf file is always CXF; a zip only when it holds sheets.
func claimsCXF(p string, head []byte) bool {
	if strings.EqualFold(filepath.Ext(p), ".zip") {
		return claimsCXFZip(p)
	}
	return isCXFName(p) || sniffCXF(head)
}
