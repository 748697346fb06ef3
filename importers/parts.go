package importers

import (
	"time"

	"github.com/sit-gis/sit/layers"
)

// Parted is a dataset made of parts an import may load apart: the members
// of a bulk download, one per comune. A new release then reloads only the
// parts whose content changed and keeps the others' rows as they are.
type Parted struct {
	// Column is the canonical column whose value tells the parts apart
	// (comune): every feature of a part carries its Key there.
	Column string
	// Parts in the order they are read.
	Parts []Part
	// Open reads the parts whose keys are given, in order; the reader's
	// Sums gives the SHA-256 of each part read to its end.
	Open func(keys []string) (PartReader, error)
}

// Part is one independently loadable piece of a dataset.
type Part struct {
	Key      string // the value of Parted.Column: the Belfiore code
	Label    string // for people: E715 LUCCA
	Path     string // where it lies: TOSCANA.zip/LU.zip/E715_LUCCA.zip/E715_LUCCA_ple.gml
	Size     int64  // bytes a read consumes (uncompressed)
	CRC32    uint32 // as its zip declares
	Modified time.Time
	// Sum reads the part whole and returns its SHA-256 (hex).
	Sum func() (string, error)
}

// PartReader reads parts; Sums are the SHA-256 (hex) of the parts read to
// their end, by key.
type PartReader interface {
	layers.FeatureReader
	Sums() map[string]string
}
