// Package backup writes and restores SIT's database as one file: a
// pg_dump of the schemas SIT's owner owns (the catalog, the layers' data,
// whatever else SIT keeps) with their grants, taken in one snapshot, and a
// manifest of what it holds (layers, versions, feature counts, the
// migrations applied, the versions of sit, PostgreSQL and PostGIS) read in
// that same snapshot. Restore checks the file, loads it in one transaction
// into a database that holds none of SIT's schemas, applies the
// migrations this sit has and the file lacks, and compares the result with
// the manifest.
//
// A logical dump rather than a physical copy (pg_basebackup): it restores
// into a newer PostgreSQL (the major-version upgrade path) and into a
// database SIT does not manage, it holds no password (the roles are made by
// the target's bootstrap, with the target's own secrets in cluster.json),
// and it is the size of the data without its indexes.
package backup

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// The archive is a tar file: the dump first, then the manifest. The dump's
// header is written last, into the block kept for it, once its size is
// known, so the dump streams to disk once.
const (
	dumpName     = "sit.dump"
	manifestName = "manifest.json"
	blockSize    = 512
)

// archiveWriter writes an archive to a temporary file beside its path and
// renames it into place when complete: a backup file is whole or absent.
type archiveWriter struct {
	path string
	f    *os.File
	hash hashCounter
	done bool
}

type hashCounter struct {
	h interface {
		io.Writer
		Sum([]byte) []byte
	}
	n int64
}

func (c *hashCounter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return c.h.Write(p)
}

func createArchive(path string) (*archiveWriter, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("backup file: %w", err)
	}
	// The dump holds every account and layer: for the owner only.
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("backup file: %w", err)
	}
	if _, err := f.Seek(blockSize, io.SeekStart); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &archiveWriter{path: path, f: f, hash: hashCounter{h: sha256.New()}}, nil
}

// dumpWriter is where the dump streams to.
func (a *archiveWriter) dumpWriter() io.Writer { return io.MultiWriter(a.f, &a.hash) }

// finish completes the archive with the manifest (given the dump's size
// and checksum) and renames it into place.
func (a *archiveWriter) finish(m *Manifest) error {
	m.Dump = DumpInfo{Name: dumpName, Bytes: a.hash.n, SHA256: hex.EncodeToString(a.hash.h.Sum(nil))}
	if pad := a.hash.n % blockSize; pad != 0 {
		if _, err := a.f.Write(make([]byte, blockSize-pad)); err != nil {
			return err
		}
	}
	body, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tw := tar.NewWriter(a.f)
	if err := tw.WriteHeader(&tar.Header{Name: manifestName, Mode: 0o600, Size: int64(len(body)), ModTime: m.Created, Format: tar.FormatGNU}); err != nil {
		return err
	}
	if _, err := tw.Write(body); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	head, err := dumpHeader(a.hash.n, m.Created)
	if err != nil {
		return err
	}
	if _, err := a.f.WriteAt(head, 0); err != nil {
		return err
	}
	if err := a.f.Sync(); err != nil {
		return fmt.Errorf("backup file: %w", err)
	}
	if err := a.f.Close(); err != nil {
		return err
	}
	if err := os.Rename(a.f.Name(), a.path); err != nil {
		return fmt.Errorf("backup file: %w", err)
	}
	a.done = true
	if d, err := os.Open(filepath.Dir(a.path)); err == nil {
		_ = d.Sync() // the rename itself on disk
		d.Close()
	}
	return nil
}

// abort removes the temporary file of an archive not finished.
func (a *archiveWriter) abort() {
	if a.done {
		return
	}
	a.f.Close()
	os.Remove(a.f.Name())
}

// dumpHeader is the one tar block that announces the dump (GNU format:
// sizes past 8 GiB fit in the one block).
func dumpHeader(size int64, mod time.Time) ([]byte, error) {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	if err := tw.WriteHeader(&tar.Header{Name: dumpName, Mode: 0o600, Size: size, ModTime: mod, Format: tar.FormatGNU}); err != nil {
		return nil, err
	}
	if b.Len() != blockSize {
		return nil, fmt.Errorf("backup: dump header of %d bytes", b.Len())
	}
	return b.Bytes(), nil
}

// ReadManifest reads a backup file's manifest and checks that the dump it
// holds is whole (size and SHA-256).
func ReadManifest(path string) (Manifest, error) {
	var m Manifest
	f, err := os.Open(path)
	if err != nil {
		return m, fmt.Errorf("backup file: %w", err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	hdr, err := tr.Next()
	if err != nil || hdr.Name != dumpName {
		return m, fmt.Errorf("%s is not a SIT backup (no %s at its start)", path, dumpName)
	}
	h := sha256.New()
	n, err := io.Copy(h, tr)
	if err != nil {
		return m, fmt.Errorf("%s: read the dump: %w", path, err)
	}
	hdr, err = tr.Next()
	if err != nil || hdr.Name != manifestName {
		return m, fmt.Errorf("%s is cut short or not a SIT backup (no %s after the dump)", path, manifestName)
	}
	if err := json.NewDecoder(io.LimitReader(tr, 16<<20)).Decode(&m); err != nil {
		return m, fmt.Errorf("%s: manifest: %w", path, err)
	}
	if m.Format != formatVersion {
		return m, fmt.Errorf("%s: backup format %d; this sit reads format %d", path, m.Format, formatVersion)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); n != m.Dump.Bytes || sum != m.Dump.SHA256 {
		return m, fmt.Errorf("%s is damaged: its dump has %d bytes with SHA-256 %s, the manifest says %d bytes, %s", path, n, sum, m.Dump.Bytes, m.Dump.SHA256)
	}
	return m, nil
}

// openDump returns a reader of the dump inside a backup file.
func openDump(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(f)
	if hdr, err := tr.Next(); err != nil || hdr.Name != dumpName {
		f.Close()
		return nil, errors.New("backup: no dump in " + path)
	}
	return struct {
		io.Reader
		io.Closer
	}{tr, f}, nil
}
