package vector

// The shapefile reader is written here rather than taken from a library: the
// Go module proxy serves none (jonas-p/go-shp, the usual choice, is
// unmaintained and refused by the proxy; so are twpayne/go-shapefile and
// everystreet/go-shapefile), and the format is small and fully specified by
// the ESRI Shapefile Technical Description (1998). Geometry goes straight into
// orb types; attributes come from dbf.go.

import (
	"archive/zip"
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/crs"
	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/layers"
)

// sniffShapefile recognises a .shp (file code 9994, big-endian) or a zip.
func sniffShapefile(head []byte) bool {
	if len(head) >= 4 && binary.BigEndian.Uint32(head) == 9994 {
		return true
	}
	return len(head) >= 4 && string(head[:4]) == "PK\x03\x04"
}

// shpFileSet names the parts of one shapefile and how to open them, from a
// directory or a zip archive. Part names are "" when the part is missing.
type shpFileSet struct {
	stem                    string
	shp, dbf, prj, cpg, shx string
	// open returns a part's content and its size in bytes.
	open func(name string) (io.ReadCloser, int64, error)
	// display names a part in messages ("/data/x.shp", "/data/a.zip/x.shp").
	display func(name string) string
}

// openShapefile opens a .shp with its sidecar files, or a .zip holding one
// or more shapefiles (one dataset each).
func openShapefile(path string, opt importers.Options) (*importers.Source, error) {
	if strings.EqualFold(filepath.Ext(path), ".zip") {
		return openShapefileZip(path, opt)
	}
	set, err := shapefileInDir(path)
	if err != nil {
		return nil, err
	}
	src := importers.NewSource(path, "shapefile")
	ds, err := shapefileDataset(set, opt, src.Meter)
	if err != nil {
		return nil, err
	}
	src.Datasets = []importers.Dataset{ds}
	return src, nil
}

// shapefileInDir finds the sidecars of a .shp next to it, whatever the case
// of their extensions (X.SHP with x.dbf happens on files from Windows).
func shapefileInDir(shpPath string) (shpFileSet, error) {
	dir := filepath.Dir(shpPath)
	base := filepath.Base(shpPath)
	stem := strings.TrimSuffix(base, filepath.Ext(base))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return shpFileSet{}, fmt.Errorf("open %s: %w", shpPath, err)
	}
	names := map[string]string{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		lower := strings.ToLower(e.Name())
		// Prefer the exact case of the .shp's stem when two files differ only in case.
		if prev, ok := names[lower]; ok && strings.HasPrefix(prev, stem) {
			continue
		}
		names[lower] = e.Name()
	}
	find := func(ext string) string {
		if n, ok := names[strings.ToLower(stem+ext)]; ok {
			return filepath.Join(dir, n)
		}
		return ""
	}
	return shpFileSet{
		stem: stem, shp: shpPath, dbf: find(".dbf"), prj: find(".prj"), cpg: find(".cpg"), shx: find(".shx"),
		open: func(name string) (io.ReadCloser, int64, error) {
			f, err := os.Open(name)
			if err != nil {
				return nil, 0, err
			}
			st, err := f.Stat()
			if err != nil {
				f.Close()
				return nil, 0, err
			}
			return f, st.Size(), nil
		},
		display: func(name string) string { return name },
	}, nil
}

// openShapefileZip lists the shapefiles in a zip, one dataset each;
// Options.Layer keeps one of them.
func openShapefileZip(zipPath string, opt importers.Options) (*importers.Source, error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable zip archive: %w", zipPath, err)
	}
	members := map[string]*zip.File{}
	groups := map[string]map[string]string{} // lower-case dir/stem → lower-case ext → member name
	var all []string
	for _, f := range zr.File {
		name := f.Name
		if f.FileInfo().IsDir() || strings.Contains(name, "__MACOSX/") || strings.HasPrefix(path.Base(name), "._") {
			continue
		}
		all = append(all, name)
		members[name] = f
		ext := strings.ToLower(path.Ext(name))
		key := strings.ToLower(strings.TrimSuffix(name, path.Ext(name)))
		if groups[key] == nil {
			groups[key] = map[string]string{}
		}
		groups[key][ext] = name
	}
	var keys []string
	for k, g := range groups {
		if g[".shp"] != "" {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		zr.Close()
		if len(all) > 10 {
			all = append(all[:10], "…")
		}
		return nil, fmt.Errorf("%s: the zip holds no shapefile (.shp); it holds: %s", zipPath, strings.Join(all, ", "))
	}
	sort.Strings(keys)
	open := func(name string) (io.ReadCloser, int64, error) {
		f, ok := members[name]
		if !ok {
			return nil, 0, os.ErrNotExist
		}
		rc, err := f.Open()
		if err != nil {
			return nil, 0, err
		}
		return rc, int64(f.UncompressedSize64), nil
	}
	display := func(name string) string { return zipPath + "/" + name }

	// Stems name the datasets; two folders with the same stem get their path.
	stemCount := map[string]int{}
	for _, k := range keys {
		stemCount[path.Base(k)]++
	}
	var sets []shpFileSet
	for _, k := range keys {
		g := groups[k]
		shp := g[".shp"]
		stem := strings.TrimSuffix(path.Base(shp), path.Ext(shp))
		if stemCount[path.Base(k)] > 1 {
			stem = strings.ReplaceAll(strings.TrimSuffix(shp, path.Ext(shp)), "/", "_")
		}
		sets = append(sets, shpFileSet{
			stem: stem, shp: shp, dbf: g[".dbf"], prj: g[".prj"], cpg: g[".cpg"], shx: g[".shx"],
			open: open, display: display,
		})
	}
	src := importers.NewSource(zipPath, "shapefile")
	src.OnClose(zr)
	for _, set := range sets {
		ds, err := shapefileDataset(set, opt, src.Meter)
		if err != nil {
			zr.Close()
			return nil, err
		}
		src.Datasets = append(src.Datasets, ds)
	}
	return src, nil
}

// readSmall reads a sidecar file (.prj, .cpg) whole; they are a few hundred bytes.
func (set shpFileSet) readSmall(name string) (string, error) {
	if name == "" {
		return "", nil
	}
	rc, _, err := set.open(name)
	if err != nil {
		return "", fmt.Errorf("open %s: %w", set.display(name), err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, 1<<16))
	if err != nil {
		return "", fmt.Errorf("read %s: %w", set.display(name), err)
	}
	return string(b), nil
}

// shapefileDataset reads the headers of a shapefile's parts and describes
// its dataset; Info.Size is the bytes of the .shp and .dbf a read consumes.
func shapefileDataset(set shpFileSet, opt importers.Options, meter *importers.Meter) (importers.Dataset, error) {
	shpName := set.display(set.shp)
	rc, shpSize, err := set.open(set.shp)
	if err != nil {
		return importers.Dataset{}, fmt.Errorf("open %s: %w", shpName, err)
	}
	var head [100]byte
	_, err = io.ReadFull(rc, head[:])
	rc.Close()
	if err != nil {
		return importers.Dataset{}, fmt.Errorf("%s: not a shapefile: the file is shorter than its 100-byte header", shpName)
	}
	_, shapeType, err := parseSHPHeader(head[:], shpName)
	if err != nil {
		return importers.Dataset{}, err
	}
	cpg, err := set.readSmall(set.cpg)
	if err != nil {
		return importers.Dataset{}, err
	}
	info := importers.Info{Name: set.stem, GeometryType: shpGeometryType(shapeType), Count: -1}
	info.Size = shpSize
	if set.dbf != "" {
		rc, dbfSize, err := set.open(set.dbf)
		if err != nil {
			return importers.Dataset{}, fmt.Errorf("open %s: %w", set.display(set.dbf), err)
		}
		d, err := newDBFReader(rc, set.display(set.dbf), opt.Encoding, cpg)
		rc.Close()
		if err != nil {
			return importers.Dataset{}, err
		}
		info.Fields = d.hdr.layerFields()
		info.Count = d.hdr.numRecords
		info.Size += dbfSize
	} else {
		slog.Warn("shapefile has no .dbf: reading geometries only", "file", shpName)
	}
	if set.shx != "" {
		if rc, shxSize, err := set.open(set.shx); err == nil {
			rc.Close()
			if shxSize >= 100 && (shxSize-100)%8 == 0 {
				info.Count = (shxSize - 100) / 8
			}
		}
	}
	if set.prj != "" {
		prj, err := set.readSmall(set.prj)
		if err != nil {
			return importers.Dataset{}, err
		}
		if code, ok := crs.FromWKT(prj); ok {
			info.FileSRID = code
		} else if opt.SRID == 0 {
			slog.Warn("unrecognised coordinate system in .prj; pass --srid", "file", set.display(set.prj))
		}
	}
	info.SRID = info.FileSRID
	if opt.SRID != 0 {
		info.SRID = opt.SRID
	}
	ds := importers.Dataset{Info: info}
	ds.Open = func() (layers.FeatureReader, error) {
		return openShapefileReader(set, opt, cpg, meter)
	}
	return ds, nil
}

// openShapefileReader starts a read of the .shp and the .dbf in lockstep.
func openShapefileReader(set shpFileSet, opt importers.Options, cpg string, meter *importers.Meter) (layers.FeatureReader, error) {
	shpName := set.display(set.shp)
	rc, size, err := set.open(set.shp)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", shpName, err)
	}
	meter.Restart()
	sr, err := newSHPReader(meter.Count(rc), shpName, size)
	if err != nil {
		rc.Close()
		return nil, err
	}
	r := &shapefileReader{shp: sr, closers: []io.Closer{rc}}
	if set.dbf != "" {
		drc, _, err := set.open(set.dbf)
		if err != nil {
			rc.Close()
			return nil, fmt.Errorf("open %s: %w", set.display(set.dbf), err)
		}
		r.closers = append(r.closers, drc)
		r.dbf, err = newDBFReader(meter.Count(drc), set.display(set.dbf), opt.Encoding, cpg)
		if err != nil {
			r.Close()
			return nil, err
		}
	}
	return r, nil
}

// shapefileReader pairs shape i of the .shp with record i of the .dbf.
type shapefileReader struct {
	shp     *shpReader
	dbf     *dbfReader // nil without a .dbf
	closers []io.Closer
}

func (r *shapefileReader) Next() (layers.Feature, error) {
	for {
		geom, gerr := r.shp.next()
		if errors.Is(gerr, io.EOF) {
			if r.dbf != nil && r.dbf.read < r.dbf.hdr.numRecords {
				return layers.Feature{}, fmt.Errorf("%s: ends after %d shapes but %s declares %d records", r.shp.name, r.shp.rec, r.dbf.name, r.dbf.hdr.numRecords)
			}
			return layers.Feature{}, io.EOF
		}
		var recErr *layers.RecordError
		if gerr != nil && !errors.As(gerr, &recErr) {
			return layers.Feature{}, gerr
		}
		f := layers.Feature{Record: r.shp.rec, Geometry: geom}
		if r.dbf != nil {
			raw, deleted, err := r.dbf.next()
			if errors.Is(err, io.EOF) {
				return layers.Feature{}, fmt.Errorf("%s: has only %d records but %s has more shapes (shape %d has no attributes)", r.dbf.name, r.dbf.hdr.numRecords, r.shp.name, r.shp.rec)
			}
			if err != nil {
				return layers.Feature{}, err
			}
			if deleted {
				continue
			}
			props, err := r.dbf.props(raw)
			if err != nil {
				return f, &layers.RecordError{Record: f.Record, Reason: err.Error()}
			}
			f.Props = props
		}
		if recErr != nil {
			return f, recErr
		}
		return f, nil
	}
}

func (r *shapefileReader) Close() error {
	var errs []error
	for _, c := range r.closers {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}

// Shape types of the ESRI specification.
const (
	shpNull        = 0
	shpPoint       = 1
	shpPolyLine    = 3
	shpPolygon     = 5
	shpMultiPoint  = 8
	shpPointZ      = 11
	shpPolyLineZ   = 13
	shpPolygonZ    = 15
	shpMultiPointZ = 18
	shpPointM      = 21
	shpPolyLineM   = 23
	shpPolygonM    = 25
	shpMultiPointM = 28
	shpMultiPatch  = 31
)

// parseSHPHeader checks the 100-byte main file header and returns the
// declared file length in bytes and the shape type.
func parseSHPHeader(h []byte, name string) (int64, int32, error) {
	if code := binary.BigEndian.Uint32(h[0:4]); code != 9994 {
		return 0, 0, fmt.Errorf("%s: not a shapefile: file code is %d, want 9994", name, code)
	}
	length := int64(binary.BigEndian.Uint32(h[24:28])) * 2
	typ := int32(binary.LittleEndian.Uint32(h[32:36]))
	switch typ {
	case shpNull, shpPoint, shpPolyLine, shpPolygon, shpMultiPoint, shpPointZ, shpPolyLineZ, shpPolygonZ,
		shpMultiPointZ, shpPointM, shpPolyLineM, shpPolygonM, shpMultiPointM, shpMultiPatch:
	default:
		return 0, 0, fmt.Errorf("%s: not a shapefile: unknown shape type %d in the header", name, typ)
	}
	return length, typ, nil
}

// shpGeometryType names the geometry a shape type gives. Lines and polygons
// are declared Multi: a shapefile layer mixes one-part and many-part shapes.
func shpGeometryType(t int32) string {
	switch t {
	case shpPoint, shpPointZ, shpPointM:
		return "Point"
	case shpMultiPoint, shpMultiPointZ, shpMultiPointM:
		return "MultiPoint"
	case shpPolyLine, shpPolyLineZ, shpPolyLineM:
		return "MultiLineString"
	case shpPolygon, shpPolygonZ, shpPolygonM:
		return "MultiPolygon"
	}
	return ""
}

// shpReader reads the records of a .shp sequentially.
type shpReader struct {
	name string
	r    *bufio.Reader
	end  int64 // bytes of records and header, from the header's file length
	size int64 // real size of the file, -1 when unknown
	pos  int64
	buf  []byte
	rec  int64 // records read so far
}

func newSHPReader(r io.Reader, name string, size int64) (*shpReader, error) {
	br := bufio.NewReaderSize(r, 1<<18)
	var head [100]byte
	if _, err := io.ReadFull(br, head[:]); err != nil {
		return nil, fmt.Errorf("%s: not a shapefile: the file is shorter than its 100-byte header", name)
	}
	length, _, err := parseSHPHeader(head[:], name)
	if err != nil {
		return nil, err
	}
	if length < 100 {
		// Some writers leave the length at 0; read to the end of the file.
		length = math.MaxInt64
		if size >= 0 {
			length = size
		}
	}
	return &shpReader{name: name, r: br, end: length, size: size, pos: 100}, nil
}

// next returns the geometry of the next record: io.EOF at the end, a
// *layers.RecordError for a record that cannot be decoded (the reader stays
// in step), any other error when the file is truncated or corrupt.
func (s *shpReader) next() (orb.Geometry, error) {
	if s.end-s.pos < 8 {
		return nil, io.EOF
	}
	var hdr [8]byte
	if _, err := io.ReadFull(s.r, hdr[:]); err != nil {
		if errors.Is(err, io.EOF) && s.end == math.MaxInt64 {
			return nil, io.EOF
		}
		return nil, s.truncated(err)
	}
	content := int64(binary.BigEndian.Uint32(hdr[4:8])) * 2
	if content < 4 {
		return nil, fmt.Errorf("%s: corrupt: record %d at byte %d has a content length of %d bytes", s.name, s.rec+1, s.pos, content)
	}
	if s.pos+8+content > s.end || (s.size >= 0 && s.pos+8+content > s.size) {
		if s.size >= 0 && s.pos+8+content > s.size {
			return nil, fmt.Errorf("%s: truncated: record %d at byte %d needs %d bytes but the file ends at byte %d", s.name, s.rec+1, s.pos, content+8, s.size)
		}
		return nil, fmt.Errorf("%s: corrupt: record %d at byte %d runs past the file length declared in the header (%d bytes)", s.name, s.rec+1, s.pos, s.end)
	}
	if int64(cap(s.buf)) < content {
		s.buf = make([]byte, content)
	}
	buf := s.buf[:content]
	if _, err := io.ReadFull(s.r, buf); err != nil {
		return nil, s.truncated(err)
	}
	s.pos += 8 + content
	s.rec++
	g, err := parseShape(buf)
	if err != nil {
		return nil, &layers.RecordError{Record: s.rec, Reason: err.Error()}
	}
	return g, nil
}

func (s *shpReader) truncated(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s: truncated: the file ends inside record %d (byte %d; the header declares %d bytes)", s.name, s.rec+1, s.pos, s.end)
	}
	return fmt.Errorf("%s: reading record %d: %w", s.name, s.rec+1, err)
}

// parseShape decodes the content of one record into a 2-D geometry; Z and M
// values are dropped. A null shape gives a nil geometry.
func parseShape(b []byte) (orb.Geometry, error) {
	typ := int32(binary.LittleEndian.Uint32(b[0:4]))
	switch typ {
	case shpNull:
		return nil, nil
	case shpPoint, shpPointZ, shpPointM:
		if len(b) < 20 {
			return nil, fmt.Errorf("point record is %d bytes, too short", len(b))
		}
		p := orb.Point{f64(b[4:]), f64(b[12:])}
		if !importers.Finite(p) {
			return nil, errors.New("invalid geometry: non-finite coordinate")
		}
		return p, nil
	case shpMultiPoint, shpMultiPointZ, shpMultiPointM:
		if len(b) < 40 {
			return nil, fmt.Errorf("multipoint record is %d bytes, too short", len(b))
		}
		n := int64(binary.LittleEndian.Uint32(b[36:40]))
		if 40+16*n > int64(len(b)) {
			return nil, fmt.Errorf("multipoint declares %d points but the record holds %d bytes", n, len(b))
		}
		if n == 0 {
			return nil, nil
		}
		pts, err := readPoints(b[40:], int(n))
		if err != nil {
			return nil, err
		}
		return orb.MultiPoint(pts), nil
	case shpPolyLine, shpPolyLineZ, shpPolyLineM, shpPolygon, shpPolygonZ, shpPolygonM:
		if len(b) < 44 {
			return nil, fmt.Errorf("shape record is %d bytes, too short", len(b))
		}
		nParts := int64(binary.LittleEndian.Uint32(b[36:40]))
		nPoints := int64(binary.LittleEndian.Uint32(b[40:44]))
		if 44+4*nParts+16*nPoints > int64(len(b)) {
			return nil, fmt.Errorf("shape declares %d parts and %d points but the record holds %d bytes", nParts, nPoints, len(b))
		}
		if nParts == 0 || nPoints == 0 {
			return nil, nil
		}
		starts := make([]int, nParts+1)
		for i := range nParts {
			s := int64(int32(binary.LittleEndian.Uint32(b[44+4*i:])))
			if s < 0 || s >= nPoints || (i > 0 && s < int64(starts[i-1])) {
				return nil, fmt.Errorf("part %d starts at point %d, outside 0..%d or before the previous part", i+1, s, nPoints-1)
			}
			starts[i] = int(s)
		}
		starts[nParts] = int(nPoints)
		pts, err := readPoints(b[44+4*nParts:], int(nPoints))
		if err != nil {
			return nil, err
		}
		base := typ % 10
		if base == shpPolyLine {
			return polylineGeometry(pts, starts)
		}
		return polygonGeometry(pts, starts)
	case shpMultiPatch:
		return nil, errors.New("MultiPatch (3-D surface) shapes are not supported")
	}
	return nil, fmt.Errorf("unknown shape type %d", typ)
}

func f64(b []byte) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b)) }

// readPoints decodes n X,Y pairs into one backing array.
func readPoints(b []byte, n int) ([]orb.Point, error) {
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{f64(b[16*i:]), f64(b[16*i+8:])}
		if !importers.Finite(pts[i]) {
			return nil, fmt.Errorf("invalid geometry: non-finite coordinate at point %d", i+1)
		}
	}
	return pts, nil
}

func polylineGeometry(pts []orb.Point, starts []int) (orb.Geometry, error) {
	var mls orb.MultiLineString
	for i := 0; i+1 < len(starts); i++ {
		part := pts[starts[i]:starts[i+1]:starts[i+1]]
		if len(part) >= 2 {
			mls = append(mls, orb.LineString(part))
		}
	}
	switch len(mls) {
	case 0:
		return nil, errors.New("invalid geometry: no line part has two points")
	case 1:
		return mls[0], nil
	}
	return mls, nil
}

// polygonGeometry assembles the rings of a polygon record: clockwise rings
// are outer rings, counter-clockwise rings are holes, each hole belongs to
// the smallest outer ring that contains it. One outer ring gives a Polygon,
// several a MultiPolygon.
func polygonGeometry(pts []orb.Point, starts []int) (orb.Geometry, error) {
	var rings []orb.Ring
	for i := 0; i+1 < len(starts); i++ {
		r := orb.Ring(pts[starts[i]:starts[i+1]:starts[i+1]])
		if len(r) > 0 && r[0] != r[len(r)-1] {
			r = append(r, r[0]) // close it; the cap limit makes append copy
		}
		if len(r) >= 4 {
			rings = append(rings, r)
		}
	}
	if len(rings) == 0 {
		return nil, errors.New("invalid geometry: no polygon ring has three distinct points")
	}
	polys := assembleRings(rings)
	if len(polys) == 1 {
		return polys[0], nil
	}
	return orb.MultiPolygon(polys), nil
}

// ringInfo caches what ring assembly asks of a ring more than once.
type ringInfo struct {
	ring  orb.Ring
	area  float64 // signed: negative = clockwise (y up)
	bound orb.Bound
}

func assembleRings(rings []orb.Ring) []orb.Polygon {
	infos := make([]ringInfo, len(rings))
	for i, r := range rings {
		infos[i] = ringInfo{ring: r, area: signedArea(r), bound: r.Bound()}
	}
	var outers, holes []int
	for i, ri := range infos {
		if ri.area > 0 {
			holes = append(holes, i)
		} else {
			outers = append(outers, i)
		}
	}
	if len(outers) == 0 {
		// Every ring is counter-clockwise: the writer ignored the rule, so
		// tell outer rings from holes by nesting depth instead.
		outers, holes = byNesting(infos)
	}
	members := make(map[int][]int, len(outers))
	for _, h := range holes {
		best := -1
		for _, o := range outers {
			if !infos[o].bound.Contains(infos[h].bound.Min) || !infos[o].bound.Contains(infos[h].bound.Max) {
				continue
			}
			if !ringInside(infos[h].ring, infos[o].ring) {
				continue
			}
			if best < 0 || math.Abs(infos[o].area) < math.Abs(infos[best].area) {
				best = o
			}
		}
		if best < 0 {
			// A hole inside no outer ring is an island drawn the wrong way round.
			outers = append(outers, h)
			continue
		}
		members[best] = append(members[best], h)
	}
	sort.Ints(outers)
	polys := make([]orb.Polygon, 0, len(outers))
	for _, o := range outers {
		p := orb.Polygon{infos[o].ring}
		for _, h := range members[o] {
			p = append(p, infos[h].ring)
		}
		polys = append(polys, p)
	}
	return polys
}

// byNesting splits rings into outer rings (inside an even number of other
// rings) and holes (inside an odd number).
func byNesting(infos []ringInfo) (outers, holes []int) {
	for i := range infos {
		depth := 0
		for j := range infos {
			if i != j && math.Abs(infos[j].area) > math.Abs(infos[i].area) && ringInside(infos[i].ring, infos[j].ring) {
				depth++
			}
		}
		if depth%2 == 0 {
			outers = append(outers, i)
		} else {
			holes = append(holes, i)
		}
	}
	return outers, holes
}

// signedArea is the shoelace area, positive for counter-clockwise rings.
// Coordinates are taken relative to the first vertex to keep precision with
// large projected values.
func signedArea(r orb.Ring) float64 {
	if len(r) < 3 {
		return 0
	}
	x0, y0 := r[0][0], r[0][1]
	var sum float64
	for i := 1; i+1 < len(r); i++ {
		sum += (r[i][0]-x0)*(r[i+1][1]-y0) - (r[i+1][0]-x0)*(r[i][1]-y0)
	}
	return sum / 2
}

// ringInside reports whether ring in lies inside ring out, judged by its
// first vertex that is not on the boundary of out (rings may touch at a vertex).
func ringInside(in, out orb.Ring) bool {
	for _, p := range in {
		switch pointInRing(p, out) {
		case 1:
			return true
		case -1:
			return false
		}
	}
	return true // every vertex on the boundary: the same ring
}

// pointInRing returns 1 inside, -1 outside, 0 on the boundary.
func pointInRing(p orb.Point, r orb.Ring) int {
	inside := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		// On the segment a-b?
		cross := (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])
		if cross == 0 && p[0] >= math.Min(a[0], b[0]) && p[0] <= math.Max(a[0], b[0]) &&
			p[1] >= math.Min(a[1], b[1]) && p[1] <= math.Max(a[1], b[1]) {
			return 0
		}
		if (a[1] > p[1]) != (b[1] > p[1]) {
			x := a[0] + (p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1])
			if p[0] < x {
				inside = !inside
			}
		}
	}
	if inside {
		return 1
	}
	return -1
}
