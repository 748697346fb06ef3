// Package importers reads the file formats a municipal GIS office receives
// and turns each into a stream of layers.Feature values for the loader.
// Readers stream: memory stays flat whatever the size of the file.
package importers

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/sit-gis/sit/layers"
)

// Options tune how a file is read. The zero value auto-detects everything.
type Options struct {
	// Format forces a reader ("geojson", "shapefile", "gpkg", "csv", ...);
	// empty means detect from the file name and content.
	Format string
	// SRID overrides the CRS the source declares (or fails to declare).
	SRID int
	// Layer picks one layer of a multi-layer source (a GeoPackage table).
	Layer string
	// Encoding overrides the text encoding (dBase, CSV): "utf-8", "windows-1252", "iso-8859-1", ...
	Encoding string
	// CSV options: the columns holding geometry, and the delimiter.
	WKTColumn string
	LonColumn string
	LatColumn string
	Delimiter rune
}

// Info describes one layer of a source before it is read.
type Info struct {
	// Name is the suggested layer name (file stem or table name), not yet laundered.
	Name string
	// SRID of the coordinates, 0 when the source does not say and no --srid was given.
	SRID int
	// Fields declared by the source; empty Type (or no fields at all) means "infer".
	Fields []layers.Field
	// GeometryType declared by the source ("Point", "MultiPolygon", ...), "" if unknown.
	GeometryType string
	// Count of features when the source knows it without reading them, else -1.
	Count int64
}

// Dataset is one readable layer of a source.
type Dataset struct {
	Info Info
	// Open starts a fresh read of the layer.
	Open func() (layers.FeatureReader, error)
}

// Source is an opened file: one or more datasets and a way to report progress.
type Source struct {
	Path     string
	Format   string
	Datasets []Dataset
	// Size is the size in bytes of what is read (the file, or the zip member);
	// Read reports how many of those bytes were consumed so far (progress bars).
	Size int64
	Read func() int64

	closers []io.Closer
}

// Close releases the files the source holds open.
func (s *Source) Close() error {
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i].Close())
	}
	return errors.Join(errs...)
}

// format is one reader: how to recognise its files and how to open them.
type format struct {
	name string
	// exts are lower-case file extensions, with the dot.
	exts []string
	// sniff reports whether the first bytes look like this format; may be nil.
	sniff func(head []byte) bool
	open  func(path string, opt Options) (*Source, error)
}

// formats is the registry of readers, in detection order. A function rather
// than a package variable so that no mutable state lives at package level.
func formats() []format {
	return []format{
		// Readers that share an extension with a generic one come first and
		// hand the file on (claimOr) when its content is not theirs.
		{name: "cxf", exts: []string{".cxf", ".ctf", ".zip"}, sniff: sniffCXF, open: claimOr("cxf", claimsCXF, openCXF)},
		{name: "gml", exts: []string{".gml", ".xml"}, sniff: sniffGML, open: claimOr("gml", claimsGML, openGML)},
		{name: "agcom", exts: []string{".csv"}, sniff: sniffAGCOM, open: claimOr("agcom", claimsAGCOM, openAGCOM)},
		{name: "infratel", exts: []string{".csv", ".txt"}, sniff: sniffInfratel, open: claimOr("infratel", claimsInfratel, openInfratel)},
		{name: "infratel2028", exts: []string{".json"}, sniff: sniffInfratel2028, open: claimOr("infratel2028", claimsInfratel2028, openInfratel2028)},
		{name: "geojson", exts: []string{".geojson", ".json", ".geojsonl", ".geojsons", ".ndjson", ".jsonl"}, sniff: sniffJSON, open: openGeoJSON},
		{name: "shapefile", exts: []string{".shp", ".zip"}, sniff: sniffShapefile, open: openShapefile},
		{name: "gpkg", exts: []string{".gpkg"}, sniff: sniffGPKG, open: openGPKG},
		{name: "csv", exts: []string{".csv", ".tsv", ".txt"}, open: openCSV},
	}
}

// FormatNames lists the supported format names (for --format help).
func FormatNames() []string {
	var names []string
	for _, f := range formats() {
		names = append(names, f.name)
	}
	sort.Strings(names)
	return names
}

// Open detects the format of path and opens it.
func Open(path string, opt Options) (*Source, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("open %s: is a directory, not a file", path)
	}
	all := formats()
	if opt.Format != "" {
		for _, f := range all {
			if f.name == opt.Format {
				return f.open(path, opt)
			}
		}
		return nil, fmt.Errorf("unknown format %q (supported: %s)", opt.Format, strings.Join(FormatNames(), ", "))
	}
	ext := strings.ToLower(filepath.Ext(path))
	for _, f := range all {
		for _, e := range f.exts {
			if e == ext {
				return f.open(path, opt)
			}
		}
	}
	head, err := readHead(path, 4096)
	if err != nil {
		return nil, err
	}
	for _, f := range all {
		if f.sniff != nil && f.sniff(head) {
			return f.open(path, opt)
		}
	}
	return nil, fmt.Errorf("%s: unrecognised file format (extension %q; supported: %s)", path, ext, strings.Join(FormatNames(), ", "))
}

func readHead(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	buf := make([]byte, n)
	m, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return buf[:m], nil
}

// countingReader counts the bytes read through it, for progress reports
// that another goroutine (the progress bar) reads concurrently.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// Count is the number of bytes read so far.
func (c *countingReader) Count() int64 { return c.n.Load() }

// SuggestedKind is the kind a dataset has when the user does not say:
// cadastral formats hold cadastral layers, broadband tables broadband ones.
// CXF texts, symbols and lines are map furniture: generic.
func SuggestedKind(format, dataset string) (layers.Kind, bool) {
	switch format {
	case "cxf":
		if strings.HasSuffix(dataset, "_bordi") || dataset == "bordi" {
			return layers.KindCadastral, true
		}
		return layers.KindGeneric, true
	case "gml":
		return layers.KindCadastral, true
	case "agcom", "infratel", "infratel2028":
		return layers.KindBroadband, true
	}
	return "", false
}
