package vector

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/layers"
)

// dbfField is one column of a dBase table.
type dbfField struct {
	name     string
	typ      byte // dBase type letter: C, N, F, L, D, I, ...
	offset   int  // within the record, after the deletion flag
	length   int
	decimals int
	ftype    layers.FieldType
	skip     bool // memo and other columns whose value is not in the .dbf
}

// dbfHeader is the fixed part of a .dbf: record count and layout.
type dbfHeader struct {
	numRecords int64
	headerLen  int
	recordLen  int
	ldid       byte
	fields     []dbfField
	rawNames   [][]byte
}

// readDBFHeader reads and checks the header and field descriptors; name is
// the file name used in messages. It consumes exactly headerLen bytes.
func readDBFHeader(r io.Reader, name string) (*dbfHeader, error) {
	var fixed [32]byte
	if _, err := io.ReadFull(r, fixed[:]); err != nil {
		return nil, fmt.Errorf("%s: not a dBase file: header is shorter than 32 bytes", name)
	}
	h := &dbfHeader{
		numRecords: int64(binary.LittleEndian.Uint32(fixed[4:8])),
		headerLen:  int(binary.LittleEndian.Uint16(fixed[8:10])),
		recordLen:  int(binary.LittleEndian.Uint16(fixed[10:12])),
		ldid:       fixed[29],
	}
	if h.headerLen < 33 || h.recordLen < 1 {
		return nil, fmt.Errorf("%s: not a dBase file: header length %d, record length %d", name, h.headerLen, h.recordLen)
	}
	desc := make([]byte, h.headerLen-32)
	if _, err := io.ReadFull(r, desc); err != nil {
		return nil, fmt.Errorf("%s: truncated dBase header (declared %d bytes)", name, h.headerLen)
	}
	offset := 1 // byte 0 of a record is the deletion flag
	for i := 0; i+32 <= len(desc) && desc[i] != 0x0D; i += 32 {
		d := desc[i : i+32]
		raw := d[:11]
		if j := bytes.IndexByte(raw, 0); j >= 0 {
			raw = raw[:j]
		}
		f := dbfField{typ: d[11], offset: offset, length: int(d[16]), decimals: int(d[17])}
		if f.typ != 'N' && f.typ != 'F' {
			// Clipper and FoxPro store text widths over 255 with the
			// decimal count as the high byte (shapelib reads them so too).
			f.length += f.decimals << 8
			f.decimals = 0
		}
		offset += f.length
		f.ftype, f.skip = dbfFieldType(f)
		h.fields = append(h.fields, f)
		h.rawNames = append(h.rawNames, bytes.TrimSpace(raw))
	}
	if offset > h.recordLen {
		return nil, fmt.Errorf("%s: corrupt dBase header: fields span %d bytes but records are %d bytes", name, offset, h.recordLen)
	}
	return h, nil
}

// dbfFieldType maps a dBase column to a field type; skip is true for
// columns whose values live elsewhere (memo files) or cannot be read.
func dbfFieldType(f dbfField) (layers.FieldType, bool) {
	switch f.typ {
	case 'C':
		return layers.TypeText, false
	case 'N', 'F':
		if f.decimals == 0 && f.length <= 18 {
			return layers.TypeInteger, false
		}
		return layers.TypeDouble, false
	case 'L':
		return layers.TypeBoolean, false
	case 'D':
		return layers.TypeDate, false
	case 'I':
		if f.length == 4 {
			return layers.TypeInteger, false
		}
	}
	return "", true
}

// nameFields decodes the field names with the table's text decoder and
// makes them unique and non-empty (the loader launders them further).
func (h *dbfHeader) nameFields(dec importers.TextDecoder, file string) {
	seen := map[string]int{}
	for i := range h.fields {
		n := strings.TrimSpace(dec.Decode(h.rawNames[i]))
		if n == "" {
			n = fmt.Sprintf("field_%d", i+1)
		}
		key := strings.ToLower(n)
		if c := seen[key]; c > 0 {
			seen[key] = c + 1
			n = fmt.Sprintf("%s_%d", n, c+1)
			key = strings.ToLower(n)
		}
		seen[key]++
		h.fields[i].name = n
		if h.fields[i].skip {
			slog.Warn("skipping dBase column whose type cannot be read", "file", file, "column", n, "type", string(h.fields[i].typ))
		}
	}
}

// layerFields lists the readable columns as declared fields.
func (h *dbfHeader) layerFields() []layers.Field {
	var out []layers.Field
	for _, f := range h.fields {
		if !f.skip {
			out = append(out, layers.Field{Name: f.name, Type: f.ftype})
		}
	}
	return out
}

// dbfReader reads the records of a .dbf one at a time.
type dbfReader struct {
	name string
	r    *bufio.Reader
	hdr  *dbfHeader
	dec  importers.TextDecoder
	buf  []byte
	read int64 // records consumed so far, deleted ones included
}

// newDBFReader reads the header from r and prepares to stream records.
// optEncoding and cpg choose the text encoding (see dbfTextDecoder).
func newDBFReader(r io.Reader, name, optEncoding, cpg string) (*dbfReader, error) {
	br := bufio.NewReaderSize(r, 1<<18)
	hdr, err := readDBFHeader(br, name)
	if err != nil {
		return nil, err
	}
	dec, err := importers.DBaseTextDecoder(optEncoding, cpg, hdr.ldid)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	slog.Debug("dBase text encoding", "file", name, "encoding", dec.Name(), "cpg", strings.TrimSpace(cpg), "ldid", hdr.ldid)
	hdr.nameFields(dec, name)
	return &dbfReader{name: name, r: br, hdr: hdr, dec: dec, buf: make([]byte, hdr.recordLen)}, nil
}

// next returns the raw bytes of the next record (valid until the next call)
// and whether it is marked deleted; io.EOF after the declared record count.
func (d *dbfReader) next() ([]byte, bool, error) {
	if d.read >= d.hdr.numRecords {
		return nil, false, io.EOF
	}
	if _, err := io.ReadFull(d.r, d.buf); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, false, fmt.Errorf("%s: truncated: the header declares %d records but the file ends in record %d", d.name, d.hdr.numRecords, d.read+1)
		}
		return nil, false, fmt.Errorf("%s: record %d: %w", d.name, d.read+1, err)
	}
	d.read++
	if d.buf[0] == 0x1A {
		return nil, false, fmt.Errorf("%s: truncated: the header declares %d records but the end-of-file mark comes at record %d", d.name, d.hdr.numRecords, d.read)
	}
	return d.buf, d.buf[0] == '*', nil
}

// props converts one raw record; an error describes a bad value in it.
func (d *dbfReader) props(rec []byte) (map[string]any, error) {
	props := make(map[string]any, len(d.hdr.fields))
	for i := range d.hdr.fields {
		f := &d.hdr.fields[i]
		if f.skip {
			continue
		}
		v, err := d.value(f, rec[f.offset:f.offset+f.length])
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", f.name, err)
		}
		props[f.name] = v
	}
	return props, nil
}

func (d *dbfReader) value(f *dbfField, raw []byte) (any, error) {
	switch f.typ {
	case 'C':
		raw = bytes.TrimRight(raw, " \x00")
		if len(raw) == 0 {
			return nil, nil
		}
		return d.dec.Decode(raw), nil
	case 'N', 'F':
		s := string(bytes.Trim(raw, " \x00"))
		if s == "" || strings.Trim(s, "*") == "" || s == "-" || s == "." {
			return nil, nil // blank, or asterisks for a value too wide for the column
		}
		if strings.Contains(s, ",") && !strings.Contains(s, ".") {
			s = strings.Replace(s, ",", ".", 1)
		}
		if f.ftype == layers.TypeInteger {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return n, nil
			}
			fl, err := strconv.ParseFloat(s, 64)
			if err != nil || fl != math.Trunc(fl) || math.Abs(fl) > 1<<53 {
				return nil, fmt.Errorf("invalid integer %q", s)
			}
			return int64(fl), nil
		}
		fl, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(fl) || math.IsInf(fl, 0) {
			return nil, fmt.Errorf("invalid number %q", s)
		}
		return fl, nil
	case 'L':
		switch c := bytes.TrimSpace(raw); {
		case len(c) == 0:
			return nil, nil
		case bytes.ContainsAny(c[:1], "TtYy"):
			return true, nil
		case bytes.ContainsAny(c[:1], "FfNn"):
			return false, nil
		}
		return nil, nil // '?' = not initialised
	case 'D':
		s := string(bytes.Trim(raw, " \x00"))
		if s == "" || strings.Trim(s, "0") == "" {
			return nil, nil
		}
		t, err := time.Parse("20060102", s)
		if err != nil {
			return nil, fmt.Errorf("invalid date %q (want YYYYMMDD)", s)
		}
		return t, nil
	case 'I':
		return int64(int32(binary.LittleEndian.Uint32(raw))), nil
	}
	return nil, nil
}
