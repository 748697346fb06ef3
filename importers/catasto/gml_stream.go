package catasto

import (
	"bufio"
	"encoding/xml"
	"io"
	"regexp"

	"github.com/sit-gis/sit/layers"
)

// NewGMLStream reads the features of one INSPIRE type (local name
// CadastralParcel or CadastralZoning, any namespace) from a GML document
// read once, front to back: the members of a bulk download, which are
// not files and whose type their name tells (no scanning pass). name
// prefixes every message (the member's path inside its archive). srid is
// the layer's CRS: a geometry in another is a rejected record unless
// forced (--srid given).
func NewGMLStream(name string, r io.Reader, local string, srid int, forced bool) layers.FeatureReader {
	return newGMLReader(name, nil, bufio.NewReaderSize(r, 1<<20), xml.Name{Local: local}, srid, forced)
}

// wants tells the features of the reader's type: by full name, or by local
// name alone when the type was given without a namespace (NewGMLStream).
func (g *gmlReader) wants(n xml.Name) bool {
	if g.typ.Space == "" {
		return n.Local == g.typ.Local
	}
	return n == g.typ
}

var srsNameRe = regexp.MustCompile(`srsName\s*=\s*["']([^"']+)["']`)

// GMLSRID is the EPSG code of the first srsName in the head of a GML
// document, 0 when it names none.
func GMLSRID(head []byte) int {
	m := srsNameRe.FindSubmatch(head)
	if m == nil {
		return 0
	}
	code, _ := gmlAxis(string(m[1]))
	return code
}
