package tiles

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/protomaps/go-pmtiles/pmtiles"

	"github.com/sit-gis/sit/internal/httpx"
)

// archiveName is what may name an archive in a URL: no dots, no slashes,
// so that a name can never leave the directory (go-pmtiles' own path
// pattern admits both).
var archiveName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$`)

// Archives serves the PMTiles archives of a directory or of a bucket on
// object storage (IsBucketURL): tiles through go-pmtiles' Server (which
// caches directories and notices a replaced archive), TileJSON from each
// archive's header and metadata, and the archives themselves for range
// requests.
type Archives struct {
	store        archiveStore
	srv          *pmtiles.Server
	cacheControl string
	// hidden reports a catalog layer the request may not see: an archive
	// holding one (its "sit:layers") does not exist for that request.
	hidden func(ctx context.Context, layer string) bool
	mu     sync.Mutex
	held   map[string]heldLayers // archive name → its layers
}

// heldLayers are the catalog layers an archive was exported from, read
// once per version of the file.
type heldLayers struct {
	size    int64
	modTime time.Time
	names   []string
}

// archiveStore is where the archives are: a directory or a bucket.
type archiveStore interface {
	// stat describes a file; errNoObject when there is none.
	stat(ctx context.Context, name string) (objectInfo, error)
	// list describes the files directly inside whose name ends in suffix.
	list(ctx context.Context, suffix string) ([]objectInfo, error)
	open(ctx context.Context, info objectInfo) (io.ReadSeekCloser, error)
}

// dirStore is a directory on disk.
type dirStore struct{ dir string }

func (d dirStore) stat(_ context.Context, name string) (objectInfo, error) {
	st, err := os.Stat(filepath.Join(d.dir, name))
	if err != nil || !st.Mode().IsRegular() {
		return objectInfo{}, errNoObject
	}
	return objectInfo{name: name, size: st.Size(), modTime: st.ModTime()}, nil
}

func (d dirStore) list(ctx context.Context, suffix string) ([]objectInfo, error) {
	files, err := filepath.Glob(filepath.Join(d.dir, "*"+suffix))
	if err != nil {
		return nil, err
	}
	var out []objectInfo
	for _, f := range files {
		if info, err := d.stat(ctx, filepath.Base(f)); err == nil {
			out = append(out, info)
		}
	}
	return out, nil
}

func (d dirStore) open(_ context.Context, info objectInfo) (io.ReadSeekCloser, error) {
	return os.Open(filepath.Join(d.dir, info.name))
}

// NewArchives serves the archives of location: a directory, or a bucket
// URL (s3://BUCKET[/PREFIX]?…), which is listed once to fail early on a
// wrong name or credentials. go-pmtiles' server runs one goroutine for its
// directory cache, for the life of the process.
func NewArchives(location string, cacheControl string, log *slog.Logger) (*Archives, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var store archiveStore
	var bucket pmtiles.Bucket
	if IsBucketURL(location) {
		b, err := openS3(location)
		if err != nil {
			return nil, fmt.Errorf("pmtiles: %w", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := b.list(ctx, ".pmtiles"); err != nil {
			return nil, fmt.Errorf("pmtiles: %w", err)
		}
		store, bucket = b, b
	} else {
		abs, err := filepath.Abs(location)
		if err != nil {
			return nil, fmt.Errorf("pmtiles dir %s: %w", location, err)
		}
		if st, err := os.Stat(abs); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("pmtiles dir %s is not a directory", location)
		}
		store, bucket = dirStore{abs}, pmtiles.NewFileBucket(abs)
	}
	srv, err := pmtiles.NewServerWithBucket(bucket, "", slog.NewLogLogger(log.Handler(), slog.LevelDebug), 64, "")
	if err != nil {
		return nil, fmt.Errorf("pmtiles %s: %w", location, err)
	}
	srv.Start()
	return &Archives{store: store, srv: srv, cacheControl: cacheControl}, nil
}

// archive describes the archive of a name, or answers a 404 problem.
func (a *Archives) archive(ctx context.Context, name string) (objectInfo, error) {
	if a == nil {
		return objectInfo{}, httpx.NotFound("no PMTiles directory is configured (--pmtiles-dir)")
	}
	notFound := func() error {
		p := httpx.NotFound(fmt.Sprintf("no archive %q", name))
		p.Parameter = "archive"
		return p
	}
	if !archiveName.MatchString(name) {
		return objectInfo{}, notFound()
	}
	info, err := a.store.stat(ctx, name+".pmtiles")
	if errors.Is(err, errNoObject) {
		return info, notFound()
	}
	if err != nil {
		return info, err
	}
	if a.withheld(ctx, info) {
		return info, notFound()
	}
	return info, nil
}

// withheld reports whether an archive holds a layer the request may not
// see (an archive that cannot be read is withheld too).
func (a *Archives) withheld(ctx context.Context, info objectInfo) bool {
	if a.hidden == nil {
		return false
	}
	names, err := a.layersOf(ctx, info)
	if err != nil {
		return true
	}
	for _, n := range names {
		if a.hidden(ctx, n) {
			return true
		}
	}
	return false
}

// layersOf reads the "sit:layers" of an archive's metadata.
func (a *Archives) layersOf(ctx context.Context, info objectInfo) ([]string, error) {
	a.mu.Lock()
	h, ok := a.held[info.name]
	a.mu.Unlock()
	if ok && h.size == info.size && h.modTime.Equal(info.modTime) {
		return h.names, nil
	}
	r, err := a.store.open(ctx, info)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	_, meta, err := readHeader(r, info.name)
	if err != nil {
		return nil, err
	}
	var m struct {
		Layers map[string]any `json:"sit:layers"`
	}
	_ = json.Unmarshal(meta, &m) // an archive made elsewhere holds no catalog layer
	names := make([]string, 0, len(m.Layers))
	for n := range m.Layers {
		names = append(names, n)
	}
	a.mu.Lock()
	if a.held == nil || len(a.held) > 1024 {
		a.held = map[string]heldLayers{}
	}
	a.held[info.name] = heldLayers{size: info.size, modTime: info.modTime, names: names}
	a.mu.Unlock()
	return names, nil
}

// Tile returns a tile of an archive; a tile the archive lacks is an empty
// tile (204).
func (a *Archives) Tile(ctx context.Context, name string, t TileID, acceptEncoding, ifNoneMatch string) (*Response, error) {
	if _, err := a.archive(ctx, name); err != nil {
		return nil, err
	}
	status, hdr, body := a.srv.Get(ctx, fmt.Sprintf("/%s/%d/%d/%d.mvt", name, t.Z, t.X, t.Y))
	h := http.Header{}
	h.Set("Cache-Control", a.cacheControl)
	h.Set("Vary", "Accept-Encoding")
	h.Set("Access-Control-Allow-Origin", "*")
	switch {
	case status == http.StatusOK:
	case status == http.StatusNoContent || status == http.StatusNotFound:
		// Not in the archive, or outside its zooms: nothing there.
		return &Response{Status: http.StatusNoContent, Header: h}, nil
	case status == http.StatusBadRequest:
		return nil, httpx.BadParameter("archive", "the archive does not hold vector tiles (.mvt)")
	default:
		return nil, fmt.Errorf("pmtiles %s %s: status %d: %s", name, t, status, body)
	}
	etag := hdr["ETag"]
	etagID := strings.TrimSuffix(etag, `"`) + `-id"`
	if m, ok := httpx.ETagMatch(ifNoneMatch, etag, etagID); ok {
		h.Set("ETag", m)
		return &Response{Status: http.StatusNotModified, Header: h}, nil
	}
	h.Set("Content-Type", MVTType)
	if hdr["Content-Encoding"] == "gzip" {
		if httpx.AcceptsGzip(acceptEncoding) {
			h.Set("Content-Encoding", "gzip")
		} else {
			raw, err := httpx.Gunzip(body)
			if err != nil {
				return nil, fmt.Errorf("pmtiles %s %s: %w", name, t, err)
			}
			body, etag = raw, etagID
		}
	} else if enc := hdr["Content-Encoding"]; enc != "" {
		h.Set("Content-Encoding", enc)
	}
	h.Set("ETag", etag)
	return &Response{Status: http.StatusOK, Header: h, Body: body}, nil
}

// readHeader reads an archive's header and (decompressed) metadata.
func readHeader(r io.ReadSeeker, name string) (pmtiles.HeaderV3, []byte, error) {
	b := make([]byte, pmtiles.HeaderV3LenBytes)
	if _, err := io.ReadFull(r, b); err != nil {
		return pmtiles.HeaderV3{}, nil, fmt.Errorf("%s: not a PMTiles archive: %w", name, err)
	}
	h, err := pmtiles.DeserializeHeader(b)
	if err != nil {
		return h, nil, fmt.Errorf("%s: %w", name, err)
	}
	if _, err := r.Seek(int64(h.MetadataOffset), io.SeekStart); err != nil {
		return h, nil, fmt.Errorf("%s: %w", name, err)
	}
	meta, err := pmtiles.DeserializeMetadataBytes(io.LimitReader(r, int64(h.MetadataLength)), h.InternalCompression)
	if err != nil {
		return h, nil, fmt.Errorf("%s: metadata: %w", name, err)
	}
	return h, meta, nil
}

// TileJSON is the TileJSON 3.0 of an archive, its tiles under base.
func (a *Archives) TileJSON(ctx context.Context, base, name string) (json.RawMessage, error) {
	info, err := a.archive(ctx, name)
	if err != nil {
		return nil, err
	}
	r, err := a.store.open(ctx, info)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	h, meta, err := readHeader(r, info.name)
	if err != nil {
		return nil, err
	}
	b, err := pmtiles.CreateTileJSON(h, meta, base+"/pmtiles/"+name)
	if err != nil {
		return nil, fmt.Errorf("tilejson of %s: %w", name, err)
	}
	return json.RawMessage(b), nil
}

// List describes the archives.
func (a *Archives) List(ctx context.Context, base string) (map[string]any, error) {
	if a == nil {
		return map[string]any{"archives": []any{}}, nil
	}
	files, err := a.store.list(ctx, ".pmtiles")
	if err != nil {
		return nil, err
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	out := []any{}
	for _, f := range files {
		name := strings.TrimSuffix(f.name, ".pmtiles")
		if !archiveName.MatchString(name) || a.withheld(ctx, f) {
			continue
		}
		out = append(out, map[string]any{"name": name, "bytes": f.size, "links": []Link{
			{Href: base + "/pmtiles/" + name + ".pmtiles", Rel: "enclosure", Type: PMTilesType},
			{Href: base + "/pmtiles/" + name + ".json", Rel: "describedby", Type: JSONType, Title: "TileJSON"},
			{Href: base + "/pmtiles/" + name + "/{z}/{x}/{y}.mvt", Rel: "item", Type: MVTType, Templated: true},
		}})
	}
	return map[string]any{"archives": out}, nil
}

// ServeFile sends an archive with Range, If-Range and conditional
// requests, as pmtiles.js needs.
func (a *Archives) ServeFile(w http.ResponseWriter, r *http.Request, name string) error {
	info, err := a.archive(r.Context(), name)
	if err != nil {
		return err
	}
	f, err := a.store.open(r.Context(), info)
	if err != nil {
		return err
	}
	defer f.Close()
	w.Header().Set("Access-Control-Expose-Headers", "ETag, Content-Range, Accept-Ranges, Content-Length")
	httpx.ServeContent(w, r, httpx.Content{Type: PMTilesType, Body: f, Size: info.size, ModTime: info.modTime, CacheControl: a.cacheControl,
		ETag: `"` + strconv.FormatInt(info.modTime.UnixNano(), 36) + "-" + strconv.FormatInt(info.size, 36) + `"`})
	return nil
}

// headerBytes is used by tests to read back an archive.
func headerBytes(file string) (pmtiles.HeaderV3, map[string]any, error) {
	f, err := os.Open(file)
	if err != nil {
		return pmtiles.HeaderV3{}, nil, err
	}
	defer f.Close()
	h, meta, err := readHeader(f, filepath.Base(file))
	if err != nil {
		return h, nil, err
	}
	var m map[string]any
	if err := json.NewDecoder(bytes.NewReader(meta)).Decode(&m); err != nil {
		return h, nil, err
	}
	return h, m, nil
}
