package bulk

import (
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/layers"
)

// otherExts are the files of an archive read by the other readers; the
// rest (README.txt, PDFs, schemas) is left alone.
var otherExts = map[string]bool{
	".gml": true, ".xml": true, ".geojson": true, ".json": true, ".geojsonl": true, ".ndjson": true,
	".gpkg": true, ".csv": true, ".tsv": true, ".zip": true, ".cxf": true, ".ctf": true,
}

// openOthers copies each other file of the archive into a private
// temporary folder (the readers of those formats need a file: random
// access, sidecar files) within the archive's spool bound, and adds the
// datasets their readers find. The folder goes when the source closes.
func openOthers(src *importers.Source, others []*Member, opt importers.Options, inner *importers.Registry) error {
	var picked []*Member
	for _, m := range others {
		if otherExts[strings.ToLower(path.Ext(m.Name))] {
			picked = append(picked, m)
		}
	}
	if len(picked) == 0 {
		return nil
	}
	dir, err := os.MkdirTemp("", "sit-archive-*")
	if err != nil {
		return fmt.Errorf("temporary folder: %w", err)
	}
	src.OnClose(closerFunc(func() error { return os.RemoveAll(dir) }))
	var spooled int64
	limit := DefaultLimits().Spool
	for i, m := range picked {
		if spooled += m.Size; spooled > limit {
			return fmt.Errorf("%s: copying the archive's files would take the temporary files past their bound of %d MiB", m.Path, limit>>20)
		}
		p, err := spoolMember(m, filepath.Join(dir, fmt.Sprint(i)))
		if err != nil {
			return err
		}
		in, err := inner.Open(p, importers.Options{SRID: opt.SRID, Encoding: opt.Encoding, WKTColumn: opt.WKTColumn,
			LonColumn: opt.LonColumn, LatColumn: opt.LatColumn, Delimiter: opt.Delimiter})
		if err != nil {
			return fmt.Errorf("%s: %w", m.Path, unprefix(err, p))
		}
		src.OnClose(in)
		for _, ds := range in.Datasets {
			src.Datasets = append(src.Datasets, meteredDataset(ds, in.Meter, src.Meter))
		}
		if in.Join != nil && src.Join == nil {
			src.Join = in.Join
		}
	}
	return nil
}

// spoolMember copies a member into dir under its own name.
func spoolMember(m *Member, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("temporary folder: %w", err)
	}
	p := filepath.Join(dir, m.Name)
	rc, err := m.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	f, err := os.Create(p)
	if err != nil {
		return "", fmt.Errorf("%s: temporary copy: %w", m.Path, err)
	}
	if _, err := io.Copy(f, rc); err != nil {
		f.Close()
		return "", fmt.Errorf("%s: damaged member (%v): the archive is corrupt or truncated", m.Path, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("%s: temporary copy: %w", m.Path, err)
	}
	return p, nil
}

// unprefix drops the temporary path from a reader's message: the member's
// path inside the archive says where the problem is.
func unprefix(err error, tmp string) error {
	msg := strings.ReplaceAll(err.Error(), tmp+": ", "")
	return fmt.Errorf("%s", strings.ReplaceAll(msg, tmp, path.Base(tmp)))
}

type closerFunc func() error

func (c closerFunc) Close() error { return c() }

// meteredDataset reports the bytes an inner reader consumes on the
// archive's meter, after what was read before it (one progress bar for
// the whole archive).
func meteredDataset(ds importers.Dataset, inner, outer *importers.Meter) importers.Dataset {
	open := ds.Open
	ds.Open = func() (layers.FeatureReader, error) {
		base := outer.Done()
		r, err := open()
		if err != nil {
			return nil, err
		}
		return &meteredReader{r: r, inner: inner, outer: outer, base: base}, nil
	}
	return ds
}

type meteredReader struct {
	r            layers.FeatureReader
	inner, outer *importers.Meter
	base         int64
}

func (m *meteredReader) Next() (layers.Feature, error) {
	f, err := m.r.Next()
	m.outer.Set(m.base + m.inner.Done())
	return f, err
}

func (m *meteredReader) Close() error { return m.r.Close() }
