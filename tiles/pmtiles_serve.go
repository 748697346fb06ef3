package tiles

import (
	"bytes"
	"context"
	"encoding/json"
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

	"github.com/protomaps/go-pmtiles/pmtiles"

	"github.com/sit-gis/sit/internal/httpx"
)

// archiveName is what may name an archive in a URL: no dots, no slashes,
// so that a name can never leave the directory (go-pmtiles' own path
// pattern admits both).
var archiveName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$`)

// Archives serves the PMTiles archives of a directory: tiles through
// go-pmtiles' Server (which caches directories and notices a replaced
// file), TileJSON from each archive's header and metadata, and the files
// themselves for range requests.
type Archives struct {
	dir          string
	srv          *pmtiles.Server
	cacheControl string
}

// NewArchives serves dir. go-pmtiles' server runs one goroutine for its
// directory cache, for the life of the process.
func NewArchives(dir string, cacheControl string, log *slog.Logger) (*Archives, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("pmtiles dir %s: %w", dir, err)
	}
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("pmtiles dir %s is not a directory", dir)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	srv, err := pmtiles.NewServerWithBucket(pmtiles.NewFileBucket(abs), "", slog.NewLogLogger(log.Handler(), slog.LevelDebug), 64, "")
	if err != nil {
		return nil, fmt.Errorf("pmtiles dir %s: %w", dir, err)
	}
	srv.Start()
	return &Archives{dir: abs, srv: srv, cacheControl: cacheControl}, nil
}

// path returns the archive file of a name, or a 404 problem.
func (a *Archives) path(name string) (string, error) {
	if a == nil {
		return "", httpx.NotFound("no PMTiles directory is configured (--pmtiles-dir)")
	}
	if !archiveName.MatchString(name) {
		p := httpx.NotFound(fmt.Sprintf("no archive %q", name))
		p.Parameter = "archive"
		return "", p
	}
	f := filepath.Join(a.dir, name+".pmtiles")
	if st, err := os.Stat(f); err != nil || !st.Mode().IsRegular() {
		p := httpx.NotFound(fmt.Sprintf("no archive %q", name))
		p.Parameter = "archive"
		return "", p
	}
	return f, nil
}

// Tile returns a tile of an archive; a tile the archive lacks is an empty
// tile (204).
func (a *Archives) Tile(ctx context.Context, name string, t TileID, acceptEncoding, ifNoneMatch string) (*Response, error) {
	if _, err := a.path(name); err != nil {
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
func readHeader(file string) (pmtiles.HeaderV3, []byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return pmtiles.HeaderV3{}, nil, err
	}
	defer f.Close()
	b := make([]byte, pmtiles.HeaderV3LenBytes)
	if _, err := io.ReadFull(f, b); err != nil {
		return pmtiles.HeaderV3{}, nil, fmt.Errorf("%s: not a PMTiles archive: %w", filepath.Base(file), err)
	}
	h, err := pmtiles.DeserializeHeader(b)
	if err != nil {
		return h, nil, fmt.Errorf("%s: %w", filepath.Base(file), err)
	}
	meta, err := pmtiles.DeserializeMetadataBytes(io.NewSectionReader(f, int64(h.MetadataOffset), int64(h.MetadataLength)), h.InternalCompression)
	if err != nil {
		return h, nil, fmt.Errorf("%s: metadata: %w", filepath.Base(file), err)
	}
	return h, meta, nil
}

// TileJSON is the TileJSON 3.0 of an archive, its tiles under base.
func (a *Archives) TileJSON(base, name string) (json.RawMessage, error) {
	file, err := a.path(name)
	if err != nil {
		return nil, err
	}
	h, meta, err := readHeader(file)
	if err != nil {
		return nil, err
	}
	b, err := pmtiles.CreateTileJSON(h, meta, base+"/pmtiles/"+name)
	if err != nil {
		return nil, fmt.Errorf("tilejson of %s: %w", name, err)
	}
	return json.RawMessage(b), nil
}

// List describes the archives of the directory.
func (a *Archives) List(base string) (map[string]any, error) {
	if a == nil {
		return map[string]any{"archives": []any{}}, nil
	}
	files, err := filepath.Glob(filepath.Join(a.dir, "*.pmtiles"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	out := []any{}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".pmtiles")
		if !archiveName.MatchString(name) {
			continue
		}
		st, err := os.Stat(f)
		if err != nil {
			continue
		}
		out = append(out, map[string]any{"name": name, "bytes": st.Size(), "links": []Link{
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
	file, err := a.path(name)
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	w.Header().Set("Access-Control-Expose-Headers", "ETag, Content-Range, Accept-Ranges, Content-Length")
	httpx.ServeContent(w, r, httpx.Content{Type: PMTilesType, Body: f, Size: st.Size(), ModTime: st.ModTime(), CacheControl: a.cacheControl,
		ETag: `"` + strconv.FormatInt(st.ModTime().UnixNano(), 36) + "-" + strconv.FormatInt(st.Size(), 36) + `"`})
	return nil
}

// headerBytes is used by tests to read back an archive.
func headerBytes(file string) (pmtiles.HeaderV3, map[string]any, error) {
	h, meta, err := readHeader(file)
	if err != nil {
		return h, nil, err
	}
	var m map[string]any
	if err := json.NewDecoder(bytes.NewReader(meta)).Decode(&m); err != nil {
		return h, nil, err
	}
	return h, m, nil
}
