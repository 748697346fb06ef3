package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
	"sync"
)

// Cache-Control values: hashed assets never change under their name; the
// page and its configuration are revalidated (ETag) on every load, so a new
// binary's page reaches browsers at once.
const (
	CacheImmutable = "public, max-age=31536000, immutable"
	CacheRevalid   = "no-cache"
)

// hashedName matches the content-hashed names the build gives assets
// (app-5XKQ3Z7M.js, maplibre-gl-worker-3f2a9c1d.mjs).
var hashedName = regexp.MustCompile(`-[A-Za-z0-9]{8,}\.[a-z0-9]+$`)

// Options configure the viewer handler.
type Options struct {
	// Assets is the built viewer (index.html, assets/…); nil means the
	// build embedded in the binary.
	Assets fs.FS
	// Prefix is where the handler is mounted ("/map"); requests carry it.
	Prefix string
	// Basemap is the --basemap value; an unusable one is logged and ignored.
	Basemap string
	// Comune and Version are shown by the page.
	Comune  string
	Version string
	// Branding, if set, gives the comune a request is about (an instance
	// hosting several: /c/{comune}/map/); ok false falls back on Comune.
	Branding func(ctx context.Context) (Branding, bool)
	Log      *slog.Logger
}

// Branding is a comune's name, first view and coat of arms, as the viewer
// shows them.
type Branding struct {
	Comune string `json:"comune"`
	Slug   string `json:"comuneSlug,omitempty"`
	// View is the first view: lon, lat, zoom.
	View *[3]float64 `json:"view,omitempty"`
	// CoatOfArms is the image's URL, relative to the page.
	CoatOfArms string `json:"coatOfArms,omitempty"`
}

// Handler serves the viewer: the page, its hashed assets (gzip-encoded
// when the client accepts it, precompressed by the build or once at start)
// and /config.json.
type Handler struct {
	prefix string
	files  map[string]*asset // by path below the prefix, e.g. "assets/app-X.js"
	index  *asset
	config *asset
	cfg    Config // the configuration, whose branding a request may change
	brand  func(ctx context.Context) (Branding, bool)
	built  bool
	csp    string
}

type asset struct {
	body      []byte
	ctype     string
	etag      string // quoted, of the identity body
	cache     string
	status    int
	immutable bool
	// gz is the gzip encoding: a precompressed sibling (NAME.gz), else
	// compressed once, when first asked for, if that makes it smaller;
	// nil when it does not.
	gz     []byte
	gzOnce sync.Once
	gzip   bool // whether to offer gzip at all
}

// gzipped returns the gzip body, nil when the identity body is served.
func (a *asset) gzipped() []byte {
	a.gzOnce.Do(func() {
		if a.gz == nil {
			a.gz = gzipBytes(a.body)
		}
		if len(a.gz) >= len(a.body) {
			a.gz = nil
		}
	})
	return a.gz
}

// Config is the document served at /map/config.json.
type Config struct {
	Branding
	Version string   `json:"version"`
	Basemap *Basemap `json:"basemap"`
	// Built is false when the binary carries the fallback page only.
	Built bool `json:"built"`
}

// New reads the assets once; everything is served from memory.
func New(o Options) (*Handler, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Assets == nil {
		o.Assets = Dist()
	}
	h := &Handler{prefix: strings.TrimSuffix(o.Prefix, "/"), files: map[string]*asset{}}
	raw := map[string][]byte{}
	err := fs.WalkDir(o.Assets, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		b, err := fs.ReadFile(o.Assets, p)
		if err != nil {
			return err
		}
		raw[p] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the viewer assets: %w", err)
	}
	for p, b := range raw {
		if strings.HasSuffix(p, ".gz") || !served(p) {
			continue
		}
		a := newAsset(p, b, raw[p+".gz"])
		if strings.HasPrefix(p, "assets/") && hashedName.MatchString(p) {
			a.cache, a.immutable = CacheImmutable, true
		}
		h.files[p] = a
	}
	h.index, h.built = h.files["index.html"], true
	delete(h.files, "index.html")
	if h.index == nil {
		h.built = false
		h.index = newAsset("index.html", fallbackPage, nil)
		h.index.status = http.StatusServiceUnavailable
		o.Log.Warn("the map viewer was not built: /map/ explains how (cd web && npm ci && npm run build, then go build)")
	}
	bm, err := ParseBasemap(o.Basemap)
	if err != nil {
		o.Log.Warn("base map ignored", "err", err)
		bm = nil
	}
	h.csp = contentSecurityPolicy(bm)
	h.cfg = Config{Branding: Branding{Comune: o.Comune}, Version: o.Version, Basemap: bm, Built: h.built}
	h.brand = o.Branding
	cfg, err := json.Marshal(h.cfg)
	if err != nil {
		return nil, fmt.Errorf("encode the viewer configuration: %w", err)
	}
	h.config = newAsset("config.json", cfg, nil)
	return h, nil
}

// served tells the files of the build that are served: the page, the
// loader of the OGC API pages' map (an unhashed name, revalidated) and the
// assets; not the build's records (build-inputs.sha256, README.txt).
func served(p string) bool {
	return p == "index.html" || p == "page-map.js" || strings.HasPrefix(p, "assets/")
}

// Built reports whether the embedded viewer was built (false: fallback page).
func (h *Handler) Built() bool { return h.built }

func newAsset(name string, body, gz []byte) *asset {
	ctype := mime.TypeByExtension(path.Ext(name))
	switch path.Ext(name) {
	case ".mjs", ".js":
		ctype = "text/javascript; charset=utf-8"
	case ".json":
		ctype = "application/json"
	case ".html":
		ctype = "text/html; charset=utf-8"
	case ".css":
		ctype = "text/css; charset=utf-8"
	case ".svg":
		ctype = "image/svg+xml"
	}
	if ctype == "" {
		ctype = http.DetectContentType(body)
	}
	sum := sha256.Sum256(body)
	return &asset{body: body, gz: gz, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, cache: CacheRevalid, status: http.StatusOK,
		gzip: gz != nil || compressible(ctype) && len(body) >= 512}
}

func compressible(ctype string) bool {
	for _, p := range []string{"text/", "application/json", "application/javascript", "image/svg+xml"} {
		if strings.HasPrefix(ctype, p) {
			return true
		}
	}
	return false
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
	_, _ = zw.Write(b)                                       // writes to memory do not fail
	_ = zw.Close()
	return buf.Bytes()
}

// contentSecurityPolicy allows the page its own origin, the blob: and data:
// URLs MapLibre uses, and the base map's hosts.
func contentSecurityPolicy(bm *Basemap) string {
	extra := ""
	if bm != nil {
		for _, o := range bm.origins {
			if o == "*" {
				extra = " https: http:"
				break
			}
			extra += " " + o
		}
	}
	return "default-src 'self'; script-src 'self'; worker-src 'self' blob:; child-src 'self' blob:; " +
		"img-src 'self' data: blob:" + extra + "; connect-src 'self' data: blob:" + extra + "; " +
		"style-src 'self' 'unsafe-inline'; font-src 'self' data:" + extra + "; frame-src 'self'; " +
		"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
}

// configFor is the configuration of a request: the comune's branding when
// the request is about one.
func (h *Handler) configFor(ctx context.Context) *asset {
	if h.brand == nil {
		return h.config
	}
	b, ok := h.brand(ctx)
	if !ok {
		return h.config
	}
	cfg := h.cfg
	cfg.Branding = b
	body, err := json.Marshal(cfg)
	if err != nil {
		return h.config
	}
	return newAsset("config.json", body, nil)
}
