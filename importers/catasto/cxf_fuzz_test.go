package catasto

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/sit-gis/sit/importers"
)

// FuzzCXF feeds arbitrary bytes to the CXF parser: it must return records
// or an error that names a line, never panic or allocate from a count it
// has not read.
func FuzzCXF(f *testing.F) {
	if b, err := os.ReadFile(sampleCXF); err == nil {
		f.Add(b)
		// The head of the real sheet, cut inside a BORDO.
		f.Add(b[:4096])
	}
	var small []string
	small = append(small, "MAPPA FONDIARIO", "E715_0012A0", "2000.000")
	small = append(small, bordo("E715_0012A0", []string{"1", "5"}, "10", append(square("0", "0", "100"), square("10", "10", "20")...)...)...)
	small = append(small, "TESTO\\", "(731)", "20", "1.5", "3", "4", "SIMBOLO", "14", "4.6", "1", "2",
		"FIDUCIALE", "5", "20", "1", "2", "3", "4", "LINEA\\", "6", "2", "0", "0", "1", "1",
		"LIBRETTO", "0", "1", "2", "0", "0", "1", "1",
		"RIFERIMENTO_RASTER", "r.tif", "0", "1", "0", "0", "1", "0", "1", "1", "EOF")
	f.Add([]byte(cxfText(small...)))
	f.Add([]byte("QUADRO D'UNIONE\nE715_0128QU\n5000\nBORDO\nE715_001200\n1\n0\n0\n0\n0\n0\n0\n4\n0\n0\n1\n0\n1\n1\n0\n0\nEOF\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := newCXFParser("fuzz.cxf", bytes.NewReader(data), importers.DefaultTextDecoder())
		if err != nil {
			if !strings.Contains(err.Error(), "line ") {
				t.Fatalf("header error without a line number: %v", err)
			}
			return
		}
		for {
			rec, err := p.next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				if !strings.Contains(err.Error(), "line ") {
					t.Fatalf("error without a line number: %v", err)
				}
				return
			}
			if rec.geom == nil || rec.props == nil || rec.line <= 0 {
				t.Fatalf("record without geometry, properties or line: %+v", rec)
			}
		}
	})
}
