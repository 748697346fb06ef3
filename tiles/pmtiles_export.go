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
// PMTiles v3 archive at out. Tiles are made by the same statement as the
// dynamic endpoint (Render) and gzip-compressed the same way, so an archived
// tile is byte for byte the tile the server sends. The archive format is
// go-pmtiles' (header, directories, metadata serialisation); tiles are
// deduplicated and run-length encoded as its converter does. The file is
// written beside out and renamed into place at the end.
func (s *Service) ExportPMTiles(ctx context.Context, out string, o ExportOptions) (ExportResult, error) {
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
		return res, fmt.Errorf("export: metadata: %w", err)
	}
	root, leaves, _ := pmtiles.BuildDirectories(w.entries, 16384-pmtiles.HeaderV3LenBytes, pmtiles.Gzip)
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
	h.RootLength = uint64(len(root))
	h.MetadataOffset = h.RootOffset + h.RootLength
	h.MetadataLength = uint64(len(metaBytes))
	h.LeafDirectoryOffset = h.MetadataOffset + h.MetadataLength
	h.LeafDirectoryLength = uint64(len(leaves))
	h.TileDataOffset = h.LeafDirectoryOffset + h.LeafDirectoryLength
	h.TileDataLength = w.offset

	part, err := os.CreateTemp(dir, ".sit-export-*.pmtiles")
	if err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	defer os.Remove(part.Name()) // a no-op after the rename
	bw := bufio.NewWriterSize(part, 1<<20)
	for _, b := range [][]byte{pmtiles.SerializeHeader(h), root, metaBytes, leaves} {
		if _, err := bw.Write(b); err != nil {
			part.Close()
			return res, fmt.Errorf("export: write %s: %w", out, err)
		}
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		part.Close()
		return res, fmt.Errorf("export: %w", err)
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
		return res, fmt.Errorf("export: write %s: %w", out, err)
	}
	// CreateTemp made it 0600; an archive is for publishing.
	if err := os.Chmod(part.Name(), 0o644); err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(part.Name(), out); err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	st, _ := os.Stat(out)
	res.Addressed, res.Entries, res.Contents = w.addressed, int64(len(w.entries)), int64(len(w.seen))
	res.Bytes, res.MinZoom, res.MaxZoom = st.Size(), int(minZ), int(maxZ)
	res.Duration = time.Since(start)
	return res, nil
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
				z, x, y := pmtiles.IDToZxy(ids[i])
				raw, err := s.Render(ctx, o.Layers, TileID{Z: int(z), X: int(x), Y: int(y)})
				var gz []byte
				if err == nil && len(raw) > 0 {
					gz = httpx.Gzip(raw)
				} else if err != nil {
					err = fmt.Errorf("tile %d/%d/%d: %w", z, x, y, err)
				}
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
