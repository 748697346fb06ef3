package tiles

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"golang.org/x/sync/singleflight"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// Catalog gives the layers a request may see (*access.Catalog), and
// those it may not.
type Catalog interface {
	layers.View
	// Hidden reports a layer that exists but the request may not see: a
	// PMTiles archive made from it is withheld.
	Hidden(ctx context.Context, name string) bool
}

// DB runs the tile statements: a *pgxpool.Pool (read-only role).
type DB interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Options configure a Service.
type Options struct {
	// CacheBytes bounds the tile cache; 0 disables it. Cache, if set, is
	// used instead (the server shares it with the admin API's purge).
	CacheBytes int64
	Cache      *Cache
	// CacheControl is the Cache-Control header of tiles.
	CacheControl string
	// Version of the software: part of every ETag, since the SQL that makes
	// a tile may change between releases.
	Version string
	// MaxLayers a tile request may name.
	MaxLayers int
	// Concurrency bounds the tile statements running at once; 0 means
	// 4 × GOMAXPROCS. PostgreSQL on a few cores makes more tiles a second
	// with a few busy sessions than with many contending ones (measured:
	// z17 cold, 2 cores, 32 sessions 3 830/s, 8 sessions 4 260/s), and a
	// bound keeps tiles from taking every pool connection from the
	// feature API.
	Concurrency int
	// PublicURL is the external base URL for links; empty: from each request.
	PublicURL string
	// PMTilesDir holds the archives served under /pmtiles/; empty: none.
	PMTilesDir string
	Log        *slog.Logger
}

// Service makes and serves vector tiles.
type Service struct {
	db           DB
	cat          Catalog
	cache        *Cache
	flight       singleflight.Group
	cacheControl string
	version      string
	maxLayers    int
	publicURL    string
	archives     *Archives // nil without a PMTiles directory
	log          *slog.Logger
	plans        sync.Map // planKey → *plan
	planCount    atomic.Int64
	slots        chan struct{}
	// affineBound is the largest error of an affine fit used for a
	// published table's rows (tile units); 0 transforms every row exactly.
	affineBound float64
	// affineScale holds, by SRID, the last wide fit's error times 2^z:
	// what a tile's first fit would measure, to skip it when it would miss.
	affineScale sync.Map
	fits        sync.Map // fitKey → affineFit (a block's under -SRID)
	fitCount    atomic.Int64
}

// New makes a tile service over a database and a catalog. A PMTiles
// directory that cannot be read is logged and left out (the server still
// serves dynamic tiles); config.Server.Validate checks it at start-up.
func New(db DB, cat Catalog, o Options) *Service {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.CacheControl == "" {
		o.CacheControl = "public, max-age=60"
	}
	if o.MaxLayers <= 0 {
		o.MaxLayers = 32
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4 * runtime.GOMAXPROCS(0)
	}
	cache := o.Cache
	if cache == nil {
		cache = NewCache(o.CacheBytes)
	}
	s := &Service{db: db, cat: cat, cache: cache, cacheControl: o.CacheControl,
		version: o.Version, maxLayers: o.MaxLayers, publicURL: o.PublicURL, log: o.Log,
		slots: make(chan struct{}, o.Concurrency), affineBound: affineBound}
	if o.PMTilesDir != "" {
		a, err := NewArchives(o.PMTilesDir, o.CacheControl, o.Log)
		if err != nil {
			o.Log.Error("PMTiles archives not served", "err", err)
		}
		if a != nil {
			a.hidden = cat.Hidden
		}
		s.archives = a
	}
	return s
}

// Cache exposes the tile cache (stats, benchmarks); nil when disabled.
func (s *Service) Cache() *Cache { return s.cache }

// TileRequest is a parsed tile request.
type TileRequest struct {
	// Layers is the comma-separated list of layer names, as in the URL.
	Layers string
	Tile   TileID
	// AcceptEncoding and IfNoneMatch are the request headers.
	AcceptEncoding string
	IfNoneMatch    string
	// Params are the query's values for the parameters of tile functions.
	Params url.Values
}

// RestrictedCacheControl is the Cache-Control of anything built from a
// layer that is not public: browsers may keep it (and revalidate it with
// its ETag), shared caches and CDNs may not.
const RestrictedCacheControl = "private, no-cache"

// maxPlans bounds the plan cache (a plan is a few kB of SQL text).
const maxPlans = 4096

// plan is what a tile of a layer set at a zoom needs, computed once per
// catalog state: the statement, and the hash that keys the cache and the
// ETags.
type plan struct {
	layers []planned
	sql    string
	hash   string // hex, from the statement, the software version and the visibilities
	names  string // name@version,... for keys and logs
	// fits are the SRIDs whose affine fits are bound after z, x, y (before
	// the function parameters), args the function parameters, in order.
	fits []int
	args []string
	// restricted: a layer is not public, so no shared cache may keep the tile
	restricted bool
	// weak: a published layer without change tracking changes version on a
	// timer, not with its data, so its tiles claim only weak ETags.
	weak bool
	// direct is the plan that reads the published tables themselves when
	// this one reads tile copies (nil otherwise): a tile whose copy went
	// stale after the catalog read it is made again with it.
	direct *plan
}

// untracked reports whether any of the layers is published without change
// tracking (a materialized view, a foreign table, sit publish --no-track).
func untracked(ls []layers.Layer) bool {
	for _, l := range ls {
		if l.Published() && !l.Source.Tracked {
			return true
		}
	}
	return false
}

// restricted reports whether any of the layers is not public.
func restricted(ls []layers.Layer) bool {
	for _, l := range ls {
		if l.Visibility != layers.Public && l.Visibility != "" {
			return true
		}
	}
	return false
}

// visibilities lists each layer's comune and visibility, for the hash.
func visibilities(ls []layers.Layer) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(l.Comune + ":" + string(l.Visibility) + ",")
	}
	return b.String()
}

// tileData is a produced tile as stored in the cache: gzip-compressed
// once when that makes it smaller, else as is.
type tileData struct {
	body  []byte
	gzip  bool
	fresh bool // the statement saw the versions its key names
}

// functionArgs checks the query's values for the parameters of the tile
// functions among ls (a 400 naming the first wrong one) and returns them
// by name (a parameter of that name goes to every function that has it).
func functionArgs(ls []layers.Layer, q url.Values) (map[string]string, error) {
	var given map[string]string
	for _, l := range ls {
		if l.Source.Function == nil {
			continue
		}
		args, err := l.Source.Function.Args(func(n string) (string, bool) { return q.Get(n), q.Has(n) })
		var pe *layers.ParamError
		if errors.As(err, &pe) {
			return nil, httpx.BadParameter(pe.Param, "layer "+l.Name+": "+pe.Msg)
		}
		for n, v := range args {
			if given == nil {
				given = map[string]string{}
			}
			given[n] = v
		}
	}
	return given, nil
}

// FunctionParams are the names of the tile functions' parameters of a
// layer list, which its tile URLs may carry.
func (s *Service) FunctionParams(ctx context.Context, list string) []string {
	var out []string
	for _, n := range strings.Split(list, ",") {
		if l, ok := s.cat.Layer(ctx, n); ok && l.Source.Function != nil {
			for _, p := range l.Source.Function.Params {
				out = append(out, p.Name)
			}
		}
	}
	return out
}

// argsTag is the part of a tile's key and ETag the function arguments
// make ("" without).
func argsTag(p *plan, given map[string]string) string {
	if len(p.args) == 0 {
		return ""
	}
	var b strings.Builder
	for _, n := range p.args {
		b.WriteString("\x00" + n + "=" + given[n])
	}
	sum := sha256.Sum256([]byte(b.String()))
	return "-" + hex.EncodeToString(sum[:8])
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ResolveLayers turns a comma list into catalog layers, in order. An
// unknown layer is a 404 naming it; duplicates or too many are 400s.
func (s *Service) ResolveLayers(ctx context.Context, list string) ([]layers.Layer, error) {
	if list == "" {
		return nil, httpx.BadParameter("layers", "no layer named")
	}
	names := strings.Split(list, ",")
	if len(names) > s.maxLayers {
		return nil, httpx.BadParameter("layers", fmt.Sprintf("at most %d layers in one tile, got %d", s.maxLayers, len(names)))
	}
	out := make([]layers.Layer, 0, len(names))
	for i, n := range names {
		for _, prev := range names[:i] {
			if prev == n {
				return nil, httpx.BadParameter("layers", fmt.Sprintf("layer %q is named twice", n))
			}
		}
		base, labels := labelsOf(n)
		l, ok := s.cat.Layer(ctx, base)
		if ok && labels {
			t, err := TilingFor(l)
			ok = err == nil && t.LabelField != ""
			l.Name = n // the table stays the base layer's
		}
		if !ok {
			p := httpx.NotFound(fmt.Sprintf("no layer %q", n))
			p.Parameter = "layers"
			return nil, p
		}
		out = append(out, l)
	}
	return out, nil
}

// planFor returns the plan of a layer set at zoom z, building it on first
// use. Its key changes with each layer's version and metadata.
func (s *Service) planFor(ls []layers.Layer, z int, given map[string]string) (*plan, error) {
	var kb strings.Builder
	kb.WriteString(strconv.Itoa(z))
	for _, n := range sortedKeys(given) {
		kb.WriteString("?" + n)
	}
	for _, l := range ls {
		kb.WriteByte(',')
		kb.WriteString(l.Name)
		kb.WriteByte('@')
		kb.WriteString(strconv.FormatInt(l.Version, 10))
		kb.WriteByte('.')
		kb.WriteString(strconv.FormatInt(l.UpdatedAt.UnixNano(), 36))
		kb.WriteByte('.')
		kb.WriteString(strconv.Itoa(l.MinZoom))
		kb.WriteByte('-')
		kb.WriteString(strconv.Itoa(l.MaxZoom))
		kb.WriteByte('.')
		kb.WriteString(string(l.Visibility))
		kb.WriteByte('.')
		kb.WriteString(l.Comune)
		kb.WriteByte('.')
		kb.WriteString(l.Source.TileCopy)
	}
	key := kb.String()
	if p, ok := s.plans.Load(key); ok {
		return p.(*plan), nil
	}
	p := &plan{}
	var names []string
	all, err := tilingsOf(ls)
	if err != nil {
		return nil, err
	}
	for _, pl := range all {
		names = append(names, pl.layer.Name+"@"+strconv.FormatInt(pl.layer.Version, 10))
		if pl.drawn(z) {
			p.layers = append(p.layers, pl)
		}
	}
	p.names = strings.Join(names, ",")
	p.sql, p.args, p.fits = tileSQL(p.layers, z, given)
	p.restricted = restricted(ls)
	p.weak = untracked(ls)
	if direct, copied := withoutCopies(ls); copied {
		if p.direct, err = s.planFor(direct, z, given); err != nil {
			return nil, err
		}
	}
	// The visibility is part of the hash, so that the ETag (and the cache
	// key) of a tile made before a layer was restricted never matches one
	// made after.
	// The versions are too: a published layer's statement does not name
	// its version, which changes with each committed edit.
	sum := sha256.Sum256([]byte(s.version + "\x00" + p.sql + "\x00" + visibilities(ls) + "\x00" + p.names))
	p.hash = hex.EncodeToString(sum[:12])
	// Keys carry versions, so old plans are never asked for again: start
	// afresh now and then rather than grow without bound.
	if s.planCount.Add(1) > maxPlans {
		s.plans.Clear()
		s.planCount.Store(1)
	}
	s.plans.Store(key, p)
	return p, nil
}

// Tile answers a tile request: 200 with the tile, 204 for an empty tile,
// 304 when If-None-Match holds the tile's ETag; errors are *httpx.Problem
// for bad requests and plain errors for server faults.
func (s *Service) Tile(ctx context.Context, req TileRequest) (*Response, error) {
	if !req.Tile.Valid() {
		return nil, httpx.BadParameter("z", fmt.Sprintf("tile %s is not on the grid", req.Tile))
	}
	ls, err := s.ResolveLayers(ctx, req.Layers)
	if err != nil {
		return nil, err
	}
	return s.tileOf(ctx, ls, req)
}

func (s *Service) tileOf(ctx context.Context, ls []layers.Layer, req TileRequest) (*Response, error) {
	given, err := functionArgs(ls, req.Params)
	if err != nil {
		return nil, err
	}
	p, err := s.planFor(ls, req.Tile.Z, given)
	if err != nil {
		return nil, err
	}
	t := req.Tile
	tag := p.hash + "-" + strconv.Itoa(t.Z) + "-" + strconv.Itoa(t.X) + "-" + strconv.Itoa(t.Y) + argsTag(p, given)
	etag, etagGz := `"`+tag+`"`, `"`+tag+`-gz"`
	if p.weak {
		etag, etagGz = "W/"+etag, "W/"+etagGz
	}
	h := http.Header{}
	h.Set("Cache-Control", s.cacheControl)
	if p.restricted {
		h.Set("Cache-Control", RestrictedCacheControl)
	}
	h.Set("Vary", "Accept-Encoding")
	h.Set("Access-Control-Allow-Origin", "*")
	if m, ok := httpx.ETagMatch(req.IfNoneMatch, etag, etagGz); ok {
		h.Set("ETag", m)
		return &Response{Status: http.StatusNotModified, Header: h}, nil
	}
	key := p.names + "/" + p.hash + "/" + t.String() + argsTag(p, given)
	d, ok := s.cache.Get(key)
	if !ok {
		d, err = s.produce(ctx, key, p, t, given)
		if err != nil {
			return nil, err
		}
	}
	gz := httpx.AcceptsGzip(req.AcceptEncoding)
	if !d.fresh {
		// Made after an import or an edit of a tracked table committed
		// but before the catalog heard: right content, wrong key; serve
		// it once, let nobody keep it.
		h.Set("Cache-Control", "no-store")
	}
	if len(d.body) == 0 {
		if d.fresh {
			h.Set("ETag", etag)
		}
		return &Response{Status: http.StatusNoContent, Header: h}, nil
	}
	h.Set("Content-Type", MVTType)
	body := d.body
	switch {
	case d.gzip && gz:
		h.Set("Content-Encoding", "gzip")
		etag = etagGz
	case d.gzip:
		if body, err = httpx.Gunzip(d.body); err != nil {
			return nil, fmt.Errorf("tile %s %s: %w", p.names, t, err)
		}
	}
	if d.fresh {
		h.Set("ETag", etag)
	}
	return &Response{Status: http.StatusOK, Header: h, Body: body}, nil
}

// produce makes a tile once however many requests ask for it at the same
// time, and caches it.
func (s *Service) produce(ctx context.Context, key string, p *plan, t TileID, given map[string]string) (*tileData, error) {
	v, err, _ := s.flight.Do(key, func() (any, error) {
		// One caller's cancellation must not fail the others waiting on
		// the same tile; the deadline still holds.
		qctx := context.WithoutCancel(ctx)
		if dl, ok := ctx.Deadline(); ok {
			var cancel context.CancelFunc
			qctx, cancel = context.WithDeadline(qctx, dl)
			defer cancel()
		}
		d := &tileData{}
		var err error
		// Compressed while still in the driver's read buffer: the cache
		// keeps one copy of exactly the gzip bytes (or of the raw tile
		// when gzip does not shrink it), and no raw copy becomes garbage.
		if d.fresh, err = s.renderInto(qctx, p, t, given, d, true); err != nil {
			return nil, err
		}
		if d.fresh {
			s.cache.Add(key, d)
		} else {
			s.log.Info("tile made during a catalog refresh: not cached", "layers", p.names, "tile", t.String())
		}
		return d, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*tileData), nil
}

// render runs the tile statement: the raw (uncompressed) MVT.
func (s *Service) render(ctx context.Context, p *plan, t TileID, given map[string]string) ([]byte, bool, error) {
	var d tileData
	fresh, err := s.renderInto(ctx, p, t, given, &d, false)
	return d.body, fresh, err
}

// tileScan receives the tile statement's bytea while it is still the
// driver's buffer (pgx hands a BytesScanner the bytes it read): it keeps
// the gzip form when asked and smaller, else one copy of the raw bytes.
type tileScan struct {
	d        *tileData
	compress bool
}

func (ts tileScan) ScanBytes(v []byte) error {
	if ts.compress && len(v) > 0 {
		if gz := httpx.GzipCopy(v); gz != nil {
			ts.d.body, ts.d.gzip = gz, true
			return nil
		}
	}
	ts.d.body, ts.d.gzip = bytes.Clone(v), false
	return nil
}

// renderInto runs the tile statement into d's body (gzip when compress
// and smaller) and reports whether it saw the versions its plan names.
func (s *Service) renderInto(ctx context.Context, p *plan, t TileID, given map[string]string, d *tileData, compress bool) (bool, error) {
	fresh, err := s.renderOnce(ctx, p, t, given, d, compress)
	var pe *pgconn.PgError
	if p.direct != nil && (errors.Is(err, errStaleCopy) || errors.As(err, &pe) && pe.Code == "42P01") {
		// A tile copy went stale, or away, since the catalog read it:
		// read the tables themselves.
		fresh, err = s.renderOnce(ctx, p.direct, t, given, d, compress)
	}
	if errors.As(err, &pe) && pe.Code == "42P01" {
		// The table went away (layer removed) before the catalog heard.
		return false, httpx.NotFound("layer removed: " + p.names)
	}
	if err != nil {
		return false, fmt.Errorf("tile %s %s: %w", p.names, t, err)
	}
	return fresh, nil
}

// renderOnce runs one plan's statement (renderInto).
func (s *Service) renderOnce(ctx context.Context, p *plan, t TileID, given map[string]string, d *tileData, compress bool) (bool, error) {
	if len(p.layers) == 0 {
		return true, nil
	}
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-ctx.Done():
		return false, fmt.Errorf("waiting for a database slot: %w", ctx.Err())
	}
	var fresh *bool
	start := time.Now()
	args := []any{t.Z, t.X, t.Y}
	for _, srid := range p.fits {
		args = append(args, s.affineFor(ctx, srid, t).args(srid)...)
	}
	for _, n := range p.args {
		args = append(args, given[n])
	}
	if err := s.db.QueryRow(ctx, p.sql, args...).Scan(&fresh, tileScan{d: d, compress: compress}); err != nil {
		return false, err
	}
	if el := time.Since(start); el > 2*time.Second {
		s.log.Warn("slow tile", "layers", p.names, "tile", t.String(), "ms", el.Milliseconds(), "bytes", len(d.body))
	}
	if fresh == nil {
		return false, errStaleCopy
	}
	return *fresh, nil
}

// errStaleCopy: a tile copy the statement read had gone stale (freshSQL).
var errStaleCopy = errors.New("a tile copy went stale")

// withoutCopies is ls with no layer reading a tile copy, and whether one did.
func withoutCopies(ls []layers.Layer) ([]layers.Layer, bool) {
	out := make([]layers.Layer, len(ls))
	copied := false
	for i, l := range ls {
		if l.Source.TileCopy != "" {
			l.Source.TileCopy, copied = "", true
		}
		out[i] = l
	}
	return out, copied
}

// Render returns the raw MVT of layers at a tile, exactly as the dynamic
// endpoint makes it (the PMTiles export uses it, so that archived tiles are
// the same bytes).
func (s *Service) Render(ctx context.Context, ls []layers.Layer, t TileID) ([]byte, error) {
	p, err := s.planFor(ls, t.Z, nil)
	if err != nil {
		return nil, err
	}
	raw, _, err := s.render(ctx, p, t, nil)
	return raw, err
}
