package tiles

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/protomaps/go-pmtiles/pmtiles"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// ExportOptions configure a PMTiles export.
type ExportOptions struct {
	Layers           []layers.Layer
	MinZoom, MaxZoom int
	// BBox limits the export (west, south, east, north); nil: the layers' extent.
	BBox *[4]float64
	// Workers run tile statements in parallel (default 4).
	Workers int
	// Progress, if set, is called with tiles done and the total.
	Progress func(done, total int64)
	// Name and Description go into the archive's metadata.
	Name, Description string
	// Generator names the software (metadata "generator").
	Generator string
	// CacheControl is the Cache-Control header of an archive uploaded to a
	// bucket (what a CDN in front of it passes on); empty: none.
	CacheControl string
}

// ExportResult summarises an export.
type ExportResult struct {
	Planned   int64 // tiles looked at
	Addressed int64 // non-empty tiles in the archive
	Entries   int64 // directory entries after run-length encoding
	Contents  int64 // distinct tile contents after deduplication
	Bytes     int64 // archive size
	MinZoom   int
	MaxZoom   int
	Duration  time.Duration
}

// ExportPMTiles writes the tiles of layers over a zoom range to a clustered
// PMTiles v3 archive at out: a file, or an object in an S3-compatible
// bucket (s3://BUCKET/[PREFIX/]NAME.pmtiles?…, see IsBucketURL), which is
// written to a temporary file first and uploaded whole at the end, so
// that the bucket never holds a partial archive. The bucket is checked
// before the tiles are made.
func (s *Service) ExportPMTiles(ctx context.Context, out string, o ExportOptions) (ExportResult, error) {
	start := time.Now()
	if !IsBucketURL(out) {
		return s.exportFile(ctx, out, o)
	}
	bucketURL, name, err := bucketKey(out)
	if err != nil {
		return ExportResult{}, fmt.Errorf("export: %w", err)
	}
	b, err := openS3(bucketURL)
	if err != nil {
		return ExportResult{}, fmt.Errorf("export: %w", err)
	}
	if _, err := b.list(ctx, ".pmtiles"); err != nil {
		return ExportResult{}, fmt.Errorf("export: %w", err)
	}
	tmpDir, err := os.MkdirTemp("", "sit-export-")
	if err != nil {
		return ExportResult{}, fmt.Errorf("export: %w", err)
	}
	defer os.RemoveAll(tmpDir)
	local := filepath.Join(tmpDir, name)
	res, err := s.exportFile(ctx, local, o)
	if err != nil {
		return res, err
	}
	if err := b.put(ctx, name, local, PMTilesType, o.CacheControl); err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	res.Duration = time.Since(start)
	return res, nil
}

// exportFile writes the archive to a local file out. Tiles are made by the
// same statement as the dynamic endpoint (Render) and gzip-compressed the same way, so an archived
// tile is byte for byte the tile the server sends. The archive format is
// go-pmtiles' (header, directories, metadata serialisation); tiles are
// deduplicated and run-length encoded as its converter does. The file is
// written beside out and renamed into place at the end.
func (s *Service) exportFile(ctx context.Context, out string, o ExportOptions) (ExportResult, error) {
	start := time.Now()
	var res ExportResult
	if len(o.Layers) == 0 {
		return res, errors.New("export: no layers")
	}
	if o.MinZoom < 0 || o.MaxZoom > MaxZoom || o.MinZoom > o.MaxZoom {
		return res, fmt.Errorf("export: zooms must satisfy 0 <= minzoom (%d) <= maxzoom (%d) <= %d", o.MinZoom, o.MaxZoom, MaxZoom)
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	ps, err := tilingsOf(o.Layers)
	if err != nil {
		return res, err
	}
	_, _, bounds, attribution := coverage(ps)
	if o.BBox != nil {
		b := *o.BBox
		if b[0] >= b[2] || b[1] >= b[3] {
			return res, fmt.Errorf("export: --bbox %v: west must be < east and south < north", b)
		}
		bounds = [4]float64{max(bounds[0], b[0]), max(bounds[1], b[1]), min(bounds[2], b[2]), min(bounds[3], b[3])}
		if bounds[0] >= bounds[2] || bounds[1] >= bounds[3] {
			return res, fmt.Errorf("export: --bbox %v does not meet the layers' extent", b)
		}
	}
	ids := planTiles(ps, o.MinZoom, o.MaxZoom, bounds)
	res.Planned = int64(len(ids))
	if len(ids) == 0 {
		return res, fmt.Errorf("export: no layer is drawn between z%d and z%d", o.MinZoom, o.MaxZoom)
	}

	dir := filepath.Dir(out)
	tmp, err := os.CreateTemp(dir, ".sit-export-*.tiles")
	if err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()

	w := &clusterWriter{data: bufio.NewWriterSize(tmp, 1<<20), seen: map[[16]byte]offLen{}}
	if err := s.renderInOrder(ctx, o, ids, w.add); err != nil {
		return res, err
	}
	if err := w.data.Flush(); err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	if len(w.entries) == 0 {
		return res, errors.New("export: every tile is empty: nothing to write")
	}

	minZ, maxZ, err := writeArchive(out, tmp, w, ps, bounds, attribution, o)
	if err != nil {
		return res, err
	}
	st, _ := os.Stat(out)
	res.Addressed, res.Entries, res.Contents = w.addressed, int64(len(w.entries)), int64(len(w.seen))
	res.Bytes, res.MinZoom, res.MaxZoom = st.Size(), minZ, maxZ
	res.Duration = time.Since(start)
	return res, nil
}

// writeArchive writes the header, directories and metadata of the tiles
// rendered into tmp by w, then the tiles, to a file renamed to out at the
// end; it returns the zooms the archive holds.
func writeArchive(out string, tmp *os.File, w *clusterWriter, ps []planned, bounds [4]float64, attribution string, o ExportOptions) (minZoom, maxZoom int, err error) {
	minZ, _, _ := pmtiles.IDToZxy(w.entries[0].TileID)
	last := w.entries[len(w.entries)-1]
	maxZ, _, _ := pmtiles.IDToZxy(last.TileID + uint64(last.RunLength) - 1)
	meta := map[string]any{
		"name":          o.Name,
		"description":   o.Description,
		"attribution":   attribution,
		"type":          "overlay",
		"format":        "pbf",
		"generator":     o.Generator,
		"vector_layers": vectorLayers(ps),
		"sit:layers":    layerVersions(o.Layers),
	}
	metaBytes, err := pmtiles.SerializeMetadata(meta, pmtiles.Gzip)
	if err != nil {
		return 0, 0, fmt.Errorf("export: metadata: %w", err)
	}
	root, leaves, _ := pmtiles.BuildDirectories(w.entries, 16384-pmtiles.HeaderV3LenBytes, pmtiles.Gzip)
	h := archiveHeader(w, bounds, minZ, maxZ, len(root), len(metaBytes), len(leaves))

	part, err := os.CreateTemp(filepath.Dir(out), ".sit-export-*.pmtiles")
	if err != nil {
		return 0, 0, fmt.Errorf("export: %w", err)
	}
	defer os.Remove(part.Name()) // a no-op after the rename
	bw := bufio.NewWriterSize(part, 1<<20)
	for _, b := range [][]byte{pmtiles.SerializeHeader(h), root, metaBytes, leaves} {
		if _, err := bw.Write(b); err != nil {
			part.Close()
			return 0, 0, fmt.Errorf("export: write %s: %w", out, err)
		}
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		part.Close()
		return 0, 0, fmt.Errorf("export: %w", err)
	}
	n, err := io.Copy(bw, tmp)
	if err == nil && uint64(n) != w.offset {
		err = fmt.Errorf("copied %d tile bytes, wrote %d", n, w.offset)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = part.Sync()
	}
	if cerr := part.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, fmt.Errorf("export: write %s: %w", out, err)
	}
	// CreateTemp made it 0600; an archive is for publishing.
	if err := os.Chmod(part.Name(), 0o644); err != nil {
		return 0, 0, fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(part.Name(), out); err != nil {
		return 0, 0, fmt.Errorf("export: %w", err)
	}
	return int(minZ), int(maxZ), nil
}

// archiveHeader is the header of a clustered, gzip-compressed MVT archive
// of w's tiles: directories, metadata and tiles laid out in that order.
func archiveHeader(w *clusterWriter, bounds [4]float64, minZ, maxZ uint8, rootLen, metaLen, leavesLen int) pmtiles.HeaderV3 {
	c := centerOf(bounds, int(minZ), int(maxZ))
	h := pmtiles.HeaderV3{
		SpecVersion:         3,
		Clustered:           true,
		InternalCompression: pmtiles.Gzip,
		TileCompression:     pmtiles.Gzip,
		TileType:            pmtiles.Mvt,
		MinZoom:             minZ,
		MaxZoom:             maxZ,
		MinLonE7:            e7(bounds[0]),
		MinLatE7:            e7(bounds[1]),
		MaxLonE7:            e7(bounds[2]),
		MaxLatE7:            e7(bounds[3]),
		CenterZoom:          uint8(c[2]),
		CenterLonE7:         e7(c[0]),
		CenterLatE7:         e7(c[1]),
		AddressedTilesCount: uint64(w.addressed),
		TileEntriesCount:    uint64(len(w.entries)),
		TileContentsCount:   uint64(len(w.seen)),
	}
	h.RootOffset = pmtiles.HeaderV3LenBytes
	h.RootLength = uint64(rootLen)
	h.MetadataOffset = h.RootOffset + h.RootLength
	h.MetadataLength = uint64(metaLen)
	h.LeafDirectoryOffset = h.MetadataOffset + h.MetadataLength
	h.LeafDirectoryLength = uint64(leavesLen)
	h.TileDataOffset = h.LeafDirectoryOffset + h.LeafDirectoryLength
	h.TileDataLength = w.offset
	return h
}

func e7(deg float64) int32 { return int32(math.Round(deg * 1e7)) }

func layerVersions(ls []layers.Layer) map[string]int64 {
	m := map[string]int64{}
	for _, l := range ls {
		m[l.Name] = l.Version
	}
	return m
}

// planTiles lists, in PMTiles (Hilbert) order, the tiles over bounds at
// each zoom where at least one layer is drawn.
func planTiles(ps []planned, minZ, maxZ int, bounds [4]float64) []uint64 {
	var ids []uint64
	for z := minZ; z <= maxZ; z++ {
		drawn := false
		for _, p := range ps {
			drawn = drawn || p.drawn(z)
		}
		if !drawn {
			continue
		}
		x0, y0, x1, y1 := TileRange(z, bounds)
		for x := x0; x <= x1; x++ {
			for y := y0; y <= y1; y++ {
				ids = append(ids, pmtiles.ZxyToID(uint8(z), uint32(x), uint32(y)))
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// renderInOrder renders tiles with o.Workers workers and hands them to
// emit in the order of ids (a clustered archive is in tile-ID order); a
// bounded window keeps the workers at most a few hundred tiles ahead.
func (s *Service) renderInOrder(ctx context.Context, o ExportOptions, ids []uint64, emit func(id uint64, gz []byte) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		i   int
		gz  []byte
		err error
	}
	window := o.Workers * 32
	jobs := make(chan int)
	results := make(chan result, window)
	slots := make(chan struct{}, window)
	var wg sync.WaitGroup
	for range o.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				gz, err := s.renderGzip(ctx, o.Layers, ids[i])
				select {
				case results <- result{i: i, gz: gz, err: err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range ids {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	defer wg.Wait()
	pending := map[int][]byte{}
	next := 0
	var done atomic.Int64
	for next < len(ids) {
		var r result
		select {
		case r = <-results:
		case <-ctx.Done():
			return fmt.Errorf("export: %w", ctx.Err())
		}
		if r.err != nil {
			return fmt.Errorf("export: %w", r.err)
		}
		pending[r.i] = r.gz
		for {
			gz, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			if len(gz) > 0 {
				if err := emit(ids[next], gz); err != nil {
					return fmt.Errorf("export: %w", err)
				}
			}
			next++
			<-slots
			if n := done.Add(1); o.Progress != nil {
				o.Progress(n, int64(len(ids)))
			}
		}
	}
	return nil
}

// renderGzip renders one tile of the archive, gzip-compressed; nil when
// the tile is empty.
func (s *Service) renderGzip(ctx context.Context, ls []layers.Layer, id uint64) ([]byte, error) {
	z, x, y := pmtiles.IDToZxy(id)
	raw, err := s.Render(ctx, ls, TileID{Z: int(z), X: int(x), Y: int(y)})
	if err != nil {
		return nil, fmt.Errorf("tile %d/%d/%d: %w", z, x, y, err)
	}
	if len(raw) == 0 {
		return nil, nil
	}
	return httpx.Gzip(raw), nil
}

type offLen struct {
	off uint64
	n   uint32
}

// clusterWriter appends tile contents in tile-ID order, deduplicating
// identical contents and run-length encoding consecutive repeats (as
// go-pmtiles' converter does).
type clusterWriter struct {
	data      *bufio.Writer
	offset    uint64
	seen      map[[16]byte]offLen
	entries   []pmtiles.EntryV3
	addressed int64
}

func (w *clusterWriter) add(id uint64, gz []byte) error {
	h := fnv.New128a()
	h.Write(gz)
	var sum [16]byte
	copy(sum[:], h.Sum(nil))
	w.addressed++
	if ol, ok := w.seen[sum]; ok {
		if n := len(w.entries); n > 0 {
			last := &w.entries[n-1]
			if last.Offset == ol.off && last.TileID+uint64(last.RunLength) == id && last.RunLength < math.MaxUint32 {
				last.RunLength++
				return nil
			}
		}
		w.entries = append(w.entries, pmtiles.EntryV3{TileID: id, Offset: ol.off, Length: ol.n, RunLength: 1})
		return nil
	}
	if _, err := w.data.Write(gz); err != nil {
		return err
	}
	ol := offLen{off: w.offset, n: uint32(len(gz))}
	w.seen[sum] = ol
	w.entries = append(w.entries, pmtiles.EntryV3{TileID: id, Offset: ol.off, Length: ol.n, RunLength: 1})
	w.offset += uint64(len(gz))
	return nil
}
