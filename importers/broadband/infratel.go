package broadband

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/layers"
)

// Infratel Italia publishes two kinds of per-address broadband tables.
//
// 1. The public consultation tables ("allegato A wired", by region): one
//    address a row, ';'-separated, a header row, read by position:
//      0 EGON id (the address in the national street register),
//      1 regione, 2 provincia, 3 comune, 4 via, 5 civico,
//      6 indirizzo completo ("VIA ROMA, 12 A"),
//      7 colore: n = nera (black), g = grigia (grey), blank = bianca (white),
//      8 speed at peak hours, 9 maximum speed: class codes 0 = < 30,
//        1 = 30–300, 2 = ≥ 300 Mbit/s (older consultations write the band
//        in Mbit/s instead: 30, 100, 1000 ...).
//    Columns after the tenth are kept under their header names; a pair of
//    longitude/latitude (lon/lat, x/y, longitudine/latitudine) columns
//    becomes a point geometry, otherwise the feature has none and carries
//    `address` for geocoding or a join to an address layer.
//
// 2. The 2028 list of house numbers not reached by > 300 Mbit/s networks
//    (Mappatura 2025): JSON { "<ODONIMO>": [ {"civico": "12/A", "stato": "B"} ] }
//    per comune, stato A = coordinates of poor quality, B = within 50 m of a
//    > 300 Mbit/s network, C = farther than 50 m. One feature per civico, no
//    geometry.

// infratelSpeed decodes a speed cell: a class code (0, 1, 2) or a speed
// in Mbit/s. floor is the lowest speed the value guarantees, which is what
// max_down_mbps stores (so speed_band is a lower bound for class codes).
func infratelSpeed(v string) (class string, floor float64, ok bool) {
	s := strings.TrimSpace(v)
	if s == "" {
		return "", 0, false
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	if err != nil || !importers.IsFinite(f) || f < 0 {
		return "", 0, false
	}
	switch f {
	case 0:
		return "<30", 0, true
	case 1:
		return "30-300", 30, true
	case 2:
		return ">=300", 300, true
	}
	return s, f, true
}

// sniffInfratel recognises a consultation table: ';'-separated, at least ten
// columns, a numeric EGON id and a colour n/g/blank in the first data row.
func sniffInfratel(head []byte) bool {
	lines := bytes.SplitN(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), []byte("\n"), 3)
	for i, l := range lines {
		if i == 2 {
			break
		}
		f := strings.Split(strings.TrimRight(string(l), "\r"), ";")
		if len(f) < 10 {
			return false
		}
		if _, err := strconv.ParseUint(strings.TrimSpace(f[0]), 10, 64); err != nil {
			continue // the header row
		}
		c := strings.ToLower(strings.TrimSpace(f[7]))
		return c == "" || c == "n" || c == "g" || c == "b"
	}
	return false
}

func claimsInfratel(_ string, head []byte) bool { return sniffInfratel(head) }

// infratelCoordColumns finds longitude/latitude columns among the extra ones.
func infratelCoordColumns(header []string) (lon, lat int) {
	lon, lat = -1, -1
	for i, h := range header {
		if i < 10 {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "lon", "long", "longitude", "longitudine", "x", "coord_x", "coordx":
			lon = i
		case "lat", "latitude", "latitudine", "y", "coord_y", "coordy":
			lat = i
		}
	}
	if lon < 0 || lat < 0 {
		return -1, -1
	}
	return lon, lat
}

func openInfratel(p string, opt importers.Options) (*importers.Source, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", p, err)
	}
	text := importers.DefaultTextDecoder()
	if opt.Encoding != "" {
		if text, err = importers.LookupEncoding(opt.Encoding); err != nil {
			return nil, err
		}
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", p, err)
	}
	header, err := readInfratelHeader(p, newTableCSV(f, ';', opt))
	f.Close()
	if err != nil {
		return nil, err
	}
	lonCol, latCol := infratelCoordColumns(header)
	srid := opt.SRID
	geomType := ""
	if lonCol >= 0 {
		geomType = "Point"
		if srid == 0 {
			srid = 4326
		}
	}
	src := importers.NewSource(p, "infratel")
	fields := []layers.Field{
		{Name: "egon", Type: layers.TypeText}, {Name: "regione", Type: layers.TypeText},
		{Name: "provincia", Type: layers.TypeText}, {Name: "comune", Type: layers.TypeText},
		{Name: "via", Type: layers.TypeText}, {Name: "civico", Type: layers.TypeText},
		{Name: "indirizzo", Type: layers.TypeText}, {Name: "address", Type: layers.TypeText},
		{Name: "colore", Type: layers.TypeText}, {Name: "area_class", Type: layers.TypeText},
		{Name: "velocita_picco", Type: layers.TypeText}, {Name: "velocita_max", Type: layers.TypeText},
		{Name: "max_down_mbps", Type: layers.TypeDouble}, {Name: "speed_band", Type: layers.TypeText},
	}
	info := importers.Info{Name: stemOf(p), SRID: srid, Fields: fields, GeometryType: geomType, Count: -1, Size: st.Size(), Kind: layers.KindBroadband}
	src.Datasets = []importers.Dataset{importers.FileDataset(src, info, func(f io.ReadCloser) (layers.FeatureReader, error) {
		r := &infratelReader{name: p, f: f, csv: newTableCSV(f, ';', opt), text: text, lon: lonCol, lat: latCol}
		header, err := readInfratelHeader(p, r.csv)
		r.header = header
		return r, err
	})}
	return src, nil
}

// readInfratelHeader reads the header row. Infratel always publishes one; a
// file whose first row is data (a numeric EGON id) is rejected with a clear
// message rather than read with its first address taken as the header.
func readInfratelHeader(name string, cr *csv.Reader) ([]string, error) {
	h, err := readHeaderRow(name, cr, "the header row")
	if err != nil {
		return nil, err
	}
	if len(h) < 10 {
		return nil, fmt.Errorf("%s: line 1: %d columns, an Infratel consultation table has at least 10 (EGON id; regione; provincia; comune; via; civico; indirizzo; colore; velocità picco; velocità max)", name, len(h))
	}
	if _, err := strconv.ParseUint(strings.TrimSpace(h[0]), 10, 64); err == nil {
		return nil, fmt.Errorf("%s: line 1 is data (EGON id %s), not the header row: add the header line Infratel publishes", name, strings.TrimSpace(h[0]))
	}
	return append([]string(nil), h...), nil
}

type infratelReader struct {
	name     string
	f        io.ReadCloser
	csv      *csv.Reader
	text     importers.TextDecoder
	header   []string
	lon, lat int
	rec      int64
}

func (r *infratelReader) Next() (layers.Feature, error) {
	for {
		row, err := r.csv.Read()
		if errors.Is(err, io.EOF) {
			return layers.Feature{}, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				r.rec++
				return layers.Feature{}, &layers.RecordError{Record: r.rec, Reason: fmt.Sprintf("%s: line %d: %v", r.name, pe.Line, pe.Err)}
			}
			return layers.Feature{}, fmt.Errorf("%s: %w", r.name, err)
		}
		if isBlankRow(row) {
			continue
		}
		r.rec++
		line, _ := r.csv.FieldPos(0)
		if len(row) < 10 {
			return layers.Feature{}, &layers.RecordError{Record: r.rec, Reason: fmt.Sprintf("%s: line %d: %d columns, want at least 10", r.name, line, len(row))}
		}
		cell := func(i int) string { return strings.TrimSpace(r.text.Decode([]byte(row[i]))) }
		egon := cell(0)
		if _, err := strconv.ParseUint(egon, 10, 64); err != nil {
			return layers.Feature{}, &layers.RecordError{Record: r.rec, Reason: fmt.Sprintf("%s: line %d: EGON id %q is not a number", r.name, line, egon)}
		}
		colour := strings.ToLower(cell(7))
		var class string
		if colour == "" {
			class = domain.AreaWhite // in this layout blank means white
		} else if c, ok := domain.AreaClassFromColour(colour); ok {
			class = c
		} else {
			return layers.Feature{}, &layers.RecordError{Record: r.rec, Reason: fmt.Sprintf("%s: line %d: colour %q is not n, g or blank", r.name, line, colour)}
		}
		comune := cell(3)
		indirizzo := cell(6)
		props := map[string]any{
			"egon": egon, "regione": importers.NilIfEmpty(cell(1)), "provincia": importers.NilIfEmpty(cell(2)),
			"comune": importers.NilIfEmpty(comune), "via": importers.NilIfEmpty(cell(4)), "civico": importers.NilIfEmpty(cell(5)),
			"indirizzo": importers.NilIfEmpty(indirizzo), "address": importers.NilIfEmpty(joinAddress(indirizzo, comune)),
			"colore": importers.NilIfEmpty(colour), "area_class": class,
		}
		peak, _, peakOK := infratelSpeed(cell(8))
		maxClass, floor, maxOK := infratelSpeed(cell(9))
		props["velocita_picco"] = importers.NilIfEmpty(peak)
		props["velocita_max"] = importers.NilIfEmpty(maxClass)
		if !maxOK && peakOK {
			_, floor, maxOK = infratelSpeed(cell(8))
		}
		if maxOK {
			props["max_down_mbps"] = floor
			props["speed_band"] = domain.SpeedBand(floor)
		}
		for i := 10; i < len(row) && i < len(r.header); i++ {
			if i == r.lon || i == r.lat {
				continue
			}
			if k := strings.TrimSpace(r.header[i]); k != "" {
				props[k] = importers.NilIfEmpty(cell(i))
			}
		}
		f := layers.Feature{Record: r.rec, ID: egon, Props: props}
		if r.lon >= 0 && r.lon < len(row) && r.lat < len(row) {
			x, errX := strconv.ParseFloat(strings.ReplaceAll(cell(r.lon), ",", "."), 64)
			y, errY := strconv.ParseFloat(strings.ReplaceAll(cell(r.lat), ",", "."), 64)
			if errX == nil && errY == nil && importers.IsFinite(x) && importers.IsFinite(y) {
				f.Geometry = orb.Point{x, y}
			} else if cell(r.lon) != "" || cell(r.lat) != "" {
				return layers.Feature{}, &layers.RecordError{Record: r.rec, Reason: fmt.Sprintf("%s: line %d: coordinates %q, %q are not numbers", r.name, line, cell(r.lon), cell(r.lat))}
			}
		}
		return f, nil
	}
}

func (r *infratelReader) Close() error { return r.f.Close() }

// joinAddress appends the comune to a street address for geocoding, unless
// the address already ends with it.
func joinAddress(addr, comune string) string {
	addr, comune = strings.TrimSpace(addr), strings.TrimSpace(comune)
	switch {
	case addr == "":
		return ""
	case comune == "" || strings.HasSuffix(strings.ToUpper(addr), strings.ToUpper(comune)):
		return addr
	}
	return addr + ", " + comune
}

// infratel2028StatoDesc describes the stato of the 2028 list.
func infratel2028StatoDesc(stato string) string {
	switch stato {
	case "A":
		return "coordinate di scarsa qualità"
	case "B":
		return "entro 50 m da reti oltre 300 Mbit/s"
	case "C":
		return "oltre 50 m da reti oltre 300 Mbit/s"
	}
	return ""
}

// sniffInfratel2028 recognises { "<street>": [ { "civico": ... } ] }.
func sniffInfratel2028(head []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))))
	want := []func(json.Token) bool{
		func(t json.Token) bool { return t == json.Delim('{') },
		func(t json.Token) bool { _, ok := t.(string); return ok },
		func(t json.Token) bool { return t == json.Delim('[') },
		func(t json.Token) bool { return t == json.Delim('{') },
		func(t json.Token) bool { return t == "civico" || t == "stato" },
	}
	for _, ok := range want {
		t, err := dec.Token()
		if err != nil || !ok(t) {
			return false
		}
	}
	return true
}

func claimsInfratel2028(_ string, head []byte) bool { return sniffInfratel2028(head) }

// infratel2028Place reads provincia and comune from the file name, which
// the published lists write as <PROVINCIA>_<COMUNE>.json
// (LUCCA_CAPANNORI.json; any prefix before them is ignored). Both are ""
// when the name does not end with two upper-case words.
func infratel2028Place(p string) (provincia, comune string) {
	stem := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
	parts := strings.Split(stem, "_")
	if len(parts) < 2 {
		return "", ""
	}
	prov, com := parts[len(parts)-2], parts[len(parts)-1]
	if prov == "" || com == "" || strings.ToUpper(prov) != prov || strings.ToUpper(com) != com {
		return "", ""
	}
	return prov, com
}

func openInfratel2028(p string, opt importers.Options) (*importers.Source, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", p, err)
	}
	head, err := importers.ReadHead(p, 4096)
	if err != nil {
		return nil, err
	}
	if !sniffInfratel2028(head) {
		return nil, fmt.Errorf("%s: not an Infratel 2028 house-number list (want {\"<street>\": [{\"civico\": ..., \"stato\": ...}]})", p)
	}
	prov, com := infratel2028Place(p)
	src := importers.NewSource(p, "infratel2028")
	fields := []layers.Field{
		{Name: "address", Type: layers.TypeText}, {Name: "street", Type: layers.TypeText},
		{Name: "civico", Type: layers.TypeText}, {Name: "stato", Type: layers.TypeText},
		{Name: "stato_desc", Type: layers.TypeText}, {Name: "comune", Type: layers.TypeText},
		{Name: "provincia", Type: layers.TypeText},
	}
	info := importers.Info{Name: stemOf(p), SRID: opt.SRID, Fields: fields, Count: -1, Size: st.Size(), Kind: layers.KindBroadband}
	src.Datasets = []importers.Dataset{importers.FileDataset(src, info, func(f io.ReadCloser) (layers.FeatureReader, error) {
		dec := json.NewDecoder(importers.SkipBOM(bufio.NewReaderSize(f, 1<<16)))
		if t, err := dec.Token(); err != nil || t != json.Delim('{') {
			return nil, fmt.Errorf("%s: not a JSON object", p)
		}
		return &infratel2028Reader{name: p, f: f, dec: dec, provincia: prov, comune: com}, nil
	})}
	return src, nil
}

type infratel2028Reader struct {
	name              string
	f                 io.ReadCloser
	dec               *json.Decoder
	provincia, comune string
	street            string
	inArray           bool
	rec               int64
	done              bool
}

func (r *infratel2028Reader) fatal(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s: truncated JSON after %d house numbers", r.name, r.rec)
	}
	return fmt.Errorf("%s: malformed JSON at byte %d (after %d house numbers): %w", r.name, r.dec.InputOffset(), r.rec, err)
}

func (r *infratel2028Reader) Next() (layers.Feature, error) {
	for {
		if r.done {
			return layers.Feature{}, io.EOF
		}
		if !r.inArray {
			t, err := r.dec.Token()
			if err != nil {
				return layers.Feature{}, r.fatal(err)
			}
			if t == json.Delim('}') {
				r.done = true
				continue
			}
			street, ok := t.(string)
			if !ok {
				return layers.Feature{}, r.fatal(fmt.Errorf("want a street name, found %v", t))
			}
			if t, err := r.dec.Token(); err != nil || t != json.Delim('[') {
				if err == nil {
					err = fmt.Errorf("street %q: want a list of house numbers, found %v", street, t)
				}
				return layers.Feature{}, r.fatal(err)
			}
			r.street, r.inArray = strings.TrimSpace(street), true
		}
		if !r.dec.More() {
			if _, err := r.dec.Token(); err != nil { // the closing ']'
				return layers.Feature{}, r.fatal(err)
			}
			r.inArray = false
			continue
		}
		var item struct {
			Civico json.RawMessage `json:"civico"`
			Stato  string          `json:"stato"`
		}
		if err := r.dec.Decode(&item); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				r.rec++
				return layers.Feature{}, &layers.RecordError{Record: r.rec, Reason: fmt.Sprintf("street %q: house number is not an object {civico, stato}: %v", r.street, err)}
			}
			return layers.Feature{}, r.fatal(err)
		}
		r.rec++
		civico := jsonScalarText(item.Civico)
		stato := strings.ToUpper(strings.TrimSpace(item.Stato))
		desc := infratel2028StatoDesc(stato)
		if civico == "" || desc == "" {
			return layers.Feature{}, &layers.RecordError{Record: r.rec, Reason: fmt.Sprintf("street %q: house number %q with stato %q (want a civico and stato A, B or C)", r.street, civico, item.Stato)}
		}
		addr := r.street + " " + civico
		if r.comune != "" {
			addr += ", " + r.comune
		}
		props := map[string]any{
			"address": addr, "street": r.street, "civico": civico, "stato": stato, "stato_desc": desc,
			"comune": importers.NilIfEmpty(r.comune), "provincia": importers.NilIfEmpty(r.provincia),
		}
		return layers.Feature{Record: r.rec, Props: props}, nil
	}
}

// jsonScalarText renders a JSON string or number as text ("" otherwise).
func jsonScalarText(raw json.RawMessage) string {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return strings.TrimSpace(s)
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String()
	}
	return ""
}

func (r *infratel2028Reader) Close() error { return r.f.Close() }
