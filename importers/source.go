// Package importers is the core of SIT's file readers: the Source a reader
// opens (datasets streaming layers.Feature values), the registry that picks
// a reader for a file (by --format, extension, content), text encodings and
// byte-order marks, and the one progress meter every reader counts its
// bytes through. The readers live in sub-packages by what the files are
// for: vector (GeoJSON, Shapefile, GeoPackage, CSV), catasto (the Italian
// cadastre's CXF and INSPIRE GML), broadband (AGCOM, Infratel). Readers
// stream: memory stays flat whatever the size of the file.
package importers

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/sit-gis/sit/layers"
)

// Options tune how a file is read. The zero value auto-detects everything.
type Options struct {
	// Format forces a reader ("geojson", "shapefile", "gpkg", "csv", ...);
	// empty means detect from the file name and content.
	Format string
	// SRID overrides the CRS the source declares (or fails to declare).
	SRID int
	// Encoding overrides the text encoding (dBase, CSV): "utf-8", "windows-1252", "iso-8859-1", ...
	Encoding string
	// CSV options: the columns holding geometry, and the delimiter.
	WKTColumn string
	LonColumn string
	LatColumn string
	Delimiter rune
	// Comuni and Provinces select the members of an archive (a bulk
	// download): Belfiore codes or names, province codes. Empty: all.
	Comuni    []string
	Provinces []string
}

// OptionError is an option that does not fit the file, such as a comune
// the archive does not hold: Option is its name (the flag without dashes,
// the form field), so that the caller can name it.
type OptionError struct {
	Option string
	Err    error
}

func (e *OptionError) Error() string { return "--" + e.Option + ": " + e.Err.Error() }
func (e *OptionError) Unwrap() error { return e.Err }

// Info describes one layer of a source before it is read.
type Info struct {
	// Name is the suggested layer name (file stem or table name), not yet laundered.
	Name string
	// SRID of the coordinates: Options.SRID when given, else FileSRID, else
	// the format's default (CRS84 for GeoJSON); 0 when nothing says.
	SRID int
	// FileSRID is the CRS the file itself declares (.prj, GeoPackage SRS,
	// GeoJSON crs member, GML srsName); 0 when it declares none.
	FileSRID int
	// Fields declared by the source; empty Type (or no fields at all) means "infer".
	Fields []layers.Field
	// GeometryType declared by the source ("Point", "MultiPolygon", ...), "" if unknown.
	GeometryType string
	// Count of features when the source knows it without reading them, else -1.
	Count int64
	// Size is how many bytes a full read of the dataset consumes (the unit
	// of Source.Meter), 0 when unknown.
	Size int64
	// Kind is the layer kind the format implies (cadastral for cadastral
	// maps, broadband for coverage tables), "" when it implies none.
	Kind layers.Kind
	// Roles are the roles the format implies (the parcels and the sheets of
	// a cadastral download), nil when it implies none.
	Roles []string
}

// Dataset is one readable layer of a source.
type Dataset struct {
	Info Info
	// Open starts a fresh read of the layer (and restarts Source.Meter).
	Open func() (layers.FeatureReader, error)
	// Parted, when set, says the dataset is made of parts that can be
	// loaded apart (Open reads them all).
	Parted *Parted
}

// BoundaryJoin is how a table without geometry takes it from a boundary
// layer: its Key property equals the boundary layer's BoundaryKey column.
type BoundaryJoin struct {
	Key         string
	BoundaryKey string
}

// Source is an opened file: one or more datasets, read one at a time.
type Source struct {
	Path     string
	Format   string
	Datasets []Dataset
	// Meter counts the bytes consumed by the current dataset read, for
	// progress bars (compare with Info.Size).
	Meter *Meter
	// Join is set for tables that carry no geometry of their own (AGCOM).
	Join *BoundaryJoin
	// Together says the datasets load in one transaction, all or none
	// (the parcels and the sheets of an archive).
	Together bool
	// Released is when the data were published (a bulk download's
	// release), zero when the source does not say.
	Released time.Time

	closers []io.Closer
}

// NewSource starts a Source for path read by format.
func NewSource(path, format string) *Source {
	return &Source{Path: path, Format: format, Meter: &Meter{}}
}

// OnClose registers a resource (a zip, a database handle) that Close releases.
func (s *Source) OnClose(c io.Closer) { s.closers = append(s.closers, c) }

// Close releases the files the source holds open.
func (s *Source) Close() error {
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i].Close())
	}
	return errors.Join(errs...)
}

// Meter counts the bytes the current read of a dataset has consumed, for a
// progress bar reading it from another goroutine. Each Dataset.Open
// restarts it; readers pass what they read through Count (or open their
// file with Open), and readers that cannot count bytes Set an estimate.
type Meter struct{ n atomic.Int64 }

// Restart begins a new read: the count goes back to zero.
func (m *Meter) Restart() { m.n.Store(0) }

// Count returns r counting the bytes read through it.
func (m *Meter) Count(r io.Reader) io.Reader { return &countedReader{r: r, m: m} }

// Open restarts the meter and opens path, counting what is read from it.
func (m *Meter) Open(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	m.Restart()
	return struct {
		io.Reader
		io.Closer
	}{m.Count(f), f}, nil
}

// Set records an estimate of the bytes consumed (readers that see rows, not bytes).
func (m *Meter) Set(n int64) { m.n.Store(n) }

// Done is the number of bytes consumed so far.
func (m *Meter) Done() int64 {
	if m == nil {
		return 0
	}
	return m.n.Load()
}

type countedReader struct {
	r io.Reader
	m *Meter
}

func (c *countedReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.m.n.Add(int64(n))
	return n, err
}

// FileDataset is the dataset of a source read whole on every Open (one
// table or one feature collection in one file): Open restarts the meter,
// opens the file counting its bytes and hands it to start, which reads
// what comes before the records (a header) and returns the reader; on an
// error the file is closed.
func FileDataset(src *Source, info Info, start func(f io.ReadCloser) (layers.FeatureReader, error)) Dataset {
	return Dataset{Info: info, Open: func() (layers.FeatureReader, error) {
		f, err := src.Meter.Open(src.Path)
		if err != nil {
			return nil, err
		}
		r, err := start(f)
		if err != nil {
			f.Close()
			return nil, err
		}
		return r, nil
	}}
}
