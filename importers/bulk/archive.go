// Package bulk reads archives of supported files as they are published:
// above all the Agenzia delle Entrate INSPIRE bulk download of the
// cadastral map, zips inside zips at any depth
//
//	ITALIA/TOSCANA.zip → LU.zip → E715_LUCCA.zip → E715_LUCCA_ple.gml (particelle)
//	                                              + E715_LUCCA_map.gml (fogli)
//
// but also any zip holding GML, GeoJSON, GeoPackage or CSV files. The
// archive is never extracted: members stream out of their zips, and the
// parcels of every comune make one dataset (one layer), the sheets
// another, each made of parts (one member per comune) that an import can
// load apart (a new release touches only the comuni that changed).
//
// Random access. A zip is read through its central directory, at its end,
// so a zip held inside another needs random access to its bytes:
//   - a nested zip stored (not compressed) inside a zip read from a file is
//     read in place, through a section of the outer file: no copy at all
//     (the generator's layout, and the common one);
//   - a compressed nested zip is inflated once: into memory when it is at
//     most Limits.MemberInMemory bytes and the nested zips held in memory
//     stay within Limits.Memory, else into an unlinked temporary file
//     (os.TempDir, i.e. $TMPDIR), all such files together within
//     Limits.Spool. Past that bound the import fails and says so before
//     anything is loaded. The copies live as long as the import.
package bulk

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"
)

// Limits bound what opening an archive may hold (see the package comment).
type Limits struct {
	// MemberInMemory is the largest compressed nested zip inflated into memory.
	MemberInMemory int64
	// Memory bounds the nested zips held in memory together.
	Memory int64
	// Spool bounds the bytes inflated into temporary files together.
	Spool int64
	// Depth bounds the nesting of zips (a zip bomb nests without end).
	Depth int
}

// DefaultLimits: 64 MiB per nested zip and 512 MiB in all in memory, 64 GiB
// of temporary files (a whole region whose every level is compressed), 8
// levels of zips.
func DefaultLimits() Limits {
	return Limits{MemberInMemory: 64 << 20, Memory: 512 << 20, Spool: 64 << 30, Depth: 8}
}

// Member is one file inside the archive (at any depth) that is not itself
// a zip to descend into.
type Member struct {
	// Path is where it lies, from the archive's own name:
	// TOSCANA.zip/LU.zip/E715_LUCCA.zip/E715_LUCCA_ple.gml.
	Path string
	// Name is its base name: E715_LUCCA_ple.gml.
	Name string
	// Parents are the names of the zips holding it, outermost first:
	// TOSCANA.zip, LU.zip, E715_LUCCA.zip.
	Parents  []string
	Size     int64 // uncompressed bytes, as the zip declares
	CRC32    uint32
	Modified time.Time
	file     *zip.File
}

// Open streams the member's content. The zip reader checks its CRC-32 at
// the end: a damaged member fails there, naming itself (see readError).
func (m *Member) Open() (io.ReadCloser, error) {
	rc, err := m.file.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.Path, err)
	}
	return rc, nil
}

// Archive is an opened archive: its members, in the order of the zips,
// and the copies of nested zips its reading needs until Close.
type Archive struct {
	Path    string
	Members []*Member
	// Skipped are the names of the nested zips not opened (not selected).
	Skipped []string
	lim     Limits
	memUsed int64
	spooled int64
	closers []io.Closer
	// descend says whether a nested zip (by its path) may hold something
	// wanted; nil descends into all.
	descend func(parents []string, name string) bool
}

// Open reads the directory of the archive at p and of every zip inside it
// that descend allows (nil: all), keeping what random access needs.
func Open(p string, lim Limits, descend func(parents []string, name string) bool) (*Archive, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", p, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open %s: %w", p, err)
	}
	a := &Archive{Path: p, lim: lim, descend: descend, closers: []io.Closer{f}}
	if err := checkWhole(f, st.Size()); err != nil {
		a.Close()
		return nil, fmt.Errorf("%s: not a readable zip archive: %w", p, err)
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("%s: not a readable zip archive: %w", p, err)
	}
	name := path.Base(strings.ReplaceAll(p, `\`, "/"))
	if err := a.walk(zr, f, []string{name}); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// Close releases the archive and the copies of its nested zips.
func (a *Archive) Close() error {
	var errs []error
	for i := len(a.closers) - 1; i >= 0; i-- {
		if err := a.closers[i].Close(); !errors.Is(err, errClosed) {
			errs = append(errs, err)
		}
	}
	a.closers = nil
	return errors.Join(errs...)
}

// walk lists the members of zr, descending into nested zips. ra is the
// file zr reads when zr was read from a file (nil for an in-memory one):
// stored nested zips are then read in place.
func (a *Archive) walk(zr *zip.Reader, ra io.ReaderAt, parents []string) error {
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || isJunk(f.Name) {
			continue
		}
		name := path.Base(f.Name)
		where := strings.Join(append(append([]string(nil), parents...), f.Name), "/")
		if !strings.EqualFold(path.Ext(name), ".zip") || !a.wantZip(parents, name) {
			if strings.EqualFold(path.Ext(name), ".zip") {
				a.Skipped = append(a.Skipped, name) // a province or comune not selected
				continue
			}
			a.Members = append(a.Members, &Member{Path: where, Name: name, Parents: append([]string(nil), parents...),
				Size: int64(f.UncompressedSize64), CRC32: f.CRC32, Modified: f.Modified, file: f})
			continue
		}
		if len(parents) >= a.lim.Depth {
			return fmt.Errorf("%s: zips nested more than %d deep", where, a.lim.Depth)
		}
		inner, innerRA, release, err := a.nested(f, ra, where)
		if err != nil {
			return err
		}
		if leafZip(inner) {
			// A zip of shapefiles or CXF sheets is a file of its own format.
			release()
			a.Members = append(a.Members, &Member{Path: where, Name: name, Parents: append([]string(nil), parents...),
				Size: int64(f.UncompressedSize64), CRC32: f.CRC32, Modified: f.Modified, file: f})
			continue
		}
		before := len(a.Members)
		if err := a.walk(inner, innerRA, append(append([]string(nil), parents...), f.Name)); err != nil {
			return err
		}
		if len(a.Members) == before {
			release() // nothing wanted inside: let its copy go now
		}
	}
	return nil
}

func (a *Archive) wantZip(parents []string, name string) bool {
	return a.descend == nil || a.descend(parents, name)
}

// isJunk tells the entries archivers add that are no data (macOS forks).
func isJunk(name string) bool {
	return strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(path.Base(name), "._") || path.Base(name) == ".DS_Store"
}

// leafZip tells a nested zip that is a dataset of another reader (a zip of
// shapefiles or of CXF sheets), not a folder to descend into.
func leafZip(zr *zip.Reader) bool {
	for _, f := range zr.File {
		switch strings.ToLower(path.Ext(f.Name)) {
		case ".shp", ".cxf", ".ctf":
			return true
		}
	}
	return false
}

// nested opens the zip held in f: in place when stored in a file, else
// from a copy in memory or in a temporary file. release drops the copy.
func (a *Archive) nested(f *zip.File, ra io.ReaderAt, where string) (*zip.Reader, io.ReaderAt, func(), error) {
	if f.Method == zip.Store && ra != nil {
		off, err := f.DataOffset()
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", where, err)
		}
		sec := io.NewSectionReader(ra, off, int64(f.CompressedSize64))
		if err := checkWhole(sec, sec.Size()); err != nil {
			return nil, nil, nil, fmt.Errorf("%s: not a readable zip archive: %w", where, err)
		}
		zr, err := zip.NewReader(sec, sec.Size())
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s: not a readable zip archive: %w", where, err)
		}
		return zr, sec, func() {}, nil
	}
	size := int64(f.UncompressedSize64)
	if size <= a.lim.MemberInMemory && a.memUsed+size <= a.lim.Memory {
		return a.inMemory(f, where, size)
	}
	return a.inTempFile(f, where, size)
}

func (a *Archive) inMemory(f *zip.File, where string, size int64) (*zip.Reader, io.ReaderAt, func(), error) {
	rc, err := f.Open()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", where, err)
	}
	defer rc.Close()
	b := make([]byte, 0, size)
	buf := bytes.NewBuffer(b)
	if _, err := io.Copy(buf, io.LimitReader(rc, size+1)); err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", where, err)
	}
	if int64(buf.Len()) != size {
		return nil, nil, nil, fmt.Errorf("%s: holds more than the %d bytes its zip declares", where, size)
	}
	a.memUsed += size
	data := buf.Bytes()
	if err := checkWhole(bytes.NewReader(data), size); err != nil {
		a.memUsed -= size
		return nil, nil, nil, fmt.Errorf("%s: not a readable zip archive: %w", where, err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), size)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: not a readable zip archive: %w", where, err)
	}
	// The bytes stay referenced by zr's files; release only lowers the
	// account when nothing inside was wanted (zr is then dropped).
	return zr, nil, func() { a.memUsed -= size }, nil
}

func (a *Archive) inTempFile(f *zip.File, where string, size int64) (*zip.Reader, io.ReaderAt, func(), error) {
	if a.spooled+size > a.lim.Spool {
		return nil, nil, nil, fmt.Errorf("%s: inflating this compressed zip (%d MiB) would take the temporary files past their bound of %d MiB; free space in %s or import a smaller part of the archive (--province, --comune)",
			where, size>>20, a.lim.Spool>>20, os.TempDir())
	}
	tmp, err := os.CreateTemp("", "sit-bulk-*.zip")
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: temporary copy: %w", where, err)
	}
	// Unlinked at once: the space returns to the system when the file is
	// closed, even if the process is killed.
	os.Remove(tmp.Name())
	rc, err := f.Open()
	if err != nil {
		tmp.Close()
		return nil, nil, nil, fmt.Errorf("%s: %w", where, err)
	}
	n, err := io.Copy(tmp, io.LimitReader(rc, size+1))
	rc.Close()
	if err != nil {
		tmp.Close()
		return nil, nil, nil, fmt.Errorf("%s: %w", where, err)
	}
	if n != size {
		tmp.Close()
		return nil, nil, nil, fmt.Errorf("%s: holds more than the %d bytes its zip declares", where, size)
	}
	if err := checkWhole(tmp, size); err != nil {
		tmp.Close()
		return nil, nil, nil, fmt.Errorf("%s: not a readable zip archive: %w", where, err)
	}
	zr, err := zip.NewReader(tmp, size)
	if err != nil {
		tmp.Close()
		return nil, nil, nil, fmt.Errorf("%s: not a readable zip archive: %w", where, err)
	}
	a.spooled += size
	c := &onceCloser{c: tmp}
	a.closers = append(a.closers, c)
	return zr, tmp, func() {
		if c.Close() == nil {
			a.spooled -= size
		}
	}, nil
}

// onceCloser closes once; later calls are no-ops that report errClosed.
type onceCloser struct {
	c    io.Closer
	done bool
}

var errClosed = errors.New("already closed")

func (o *onceCloser) Close() error {
	if o.done {
		return errClosed
	}
	o.done = true
	return o.c.Close()
}
