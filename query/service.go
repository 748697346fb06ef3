// Package query serves OGC API Features (Parts 1, 2 and 3) over the layer
// catalog: landing page, conformance, collections, items with bbox, CRS,
// datetime, CQL2 filters, sorting and key-based paging, queryables, the
// OpenAPI document and HTML pages. The core (parsing requests, building
// SQL, streaming GeoJSON) is independent of HTTP and of PostgreSQL behind
// two small interfaces, layers.View and Data; the handlers are thin.
package query

import (
	"context"
	"fmt"
	"html/template"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sit-gis/sit/internal/l10n"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/query/cql2"
)

// PathContributor returns OpenAPI path items, keyed by path, that another
// package serves (tiles, reports…), so that /api describes the whole server.
type PathContributor func() map[string]any

// Options configure the service. Zero values take the defaults.
type Options struct {
	// PublicURL is the base of every link; empty derives it from the request.
	PublicURL   string
	Title       string
	Description string
	// DefaultLimit and MaxLimit bound a page of features; a larger limit is
	// clamped to MaxLimit and the response says so in the OGC-Limit-Clamped header.
	DefaultLimit int
	MaxLimit     int
	// StatementTimeout bounds each SQL statement of a request.
	StatementTimeout time.Duration
	// CountCap is how many matching rows numberMatched counts exactly;
	// above it the planner's estimate is reported.
	CountCap int64
	// FilterLimits bound CQL2 filters.
	FilterLimits cql2.Limits
	// LargePages bounds the pages of more than LargePage features produced
	// at once (0: one per CPU); the others wait for a turn, holding no
	// database connection, so that a burst of big downloads leaves
	// PostgreSQL to the small requests.
	LargePages int
	// Conformance lists classes implemented elsewhere (tiles, styles) that
	// the /conformance document declares too.
	Conformance []string
	// Paths contribute other packages' operations to /api.
	Paths []PathContributor
	// LandingLinks are extra links of the landing page (tiles, the viewer).
	LandingLinks []Link
	// CollectionLinks returns extra links of a collection (its tilesets).
	CollectionLinks func(base string, l layers.Layer) []Link
	// Viewer is the path of the map viewer ("/map/"): the HTML pages link
	// features to it and draw their maps with its page-map.js; "" for none.
	Viewer string
	// Version of the software: part of the pages' ETags (its output may
	// change with it).
	Version string
	// ReportPath is the zoning report ("/reports/zoning"): a parcel's page
	// links to its report; "" for none.
	ReportPath string
}

// Service is the OGC API Features core.
type Service struct {
	cat   layers.View
	data  Data
	opt   Options
	log   *slog.Logger
	pages map[string]*template.Template
	texts l10n.Texts
	large chan struct{}
	// counts memoises published layers' feature counts by name@version.
	counts  sync.Map
	nCounts atomic.Int64
	// seeks turns sequential offset pages into key seeks.
	seeks *offsetSeeks
}

// The landing page's title and description unless Options give others
// (the HTML landing page then speaks the reader's language).
const (
	defaultTitle       = "SIT — OGC API Features"
	defaultDescription = "Territorial information system: every catalog layer is a collection of features."
)

// LargePage is the size above which a page waits for one of
// Options.LargePages turns.
const LargePage = 1000

// turn waits for a turn to produce a page of q (at once for small pages);
// release gives it back.
func (s *Service) turn(ctx context.Context, q ItemsRequest) (release func(), err error) {
	if q.Limit <= LargePage {
		return func() {}, nil
	}
	select {
	case s.large <- struct{}{}:
		return func() { <-s.large }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for a turn to produce a page of %d features: %w", q.Limit, ctx.Err())
	}
}

// New makes the service.
func New(cat layers.View, data Data, opt Options, log *slog.Logger) (*Service, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opt.DefaultLimit <= 0 {
		opt.DefaultLimit = 10
	}
	if opt.MaxLimit <= 0 {
		opt.MaxLimit = 10000
	}
	if opt.MaxLimit < opt.DefaultLimit {
		opt.MaxLimit = opt.DefaultLimit
	}
	if opt.StatementTimeout <= 0 {
		opt.StatementTimeout = 30 * time.Second
	}
	if opt.CountCap <= 0 {
		opt.CountCap = 10000
	}
	if opt.Title == "" {
		opt.Title = defaultTitle
	}
	if opt.Description == "" {
		opt.Description = defaultDescription
	}
	opt.PublicURL = strings.TrimRight(opt.PublicURL, "/")
	pages, err := parseTemplates()
	if err != nil {
		return nil, fmt.Errorf("query: HTML templates: %w", err)
	}
	texts, err := pageTexts()
	if err != nil {
		return nil, fmt.Errorf("query: HTML pages: %w", err)
	}
	if opt.LargePages <= 0 {
		opt.LargePages = runtime.GOMAXPROCS(0)
	}
	s := &Service{cat: featureLayers{cat}, data: data, opt: opt, log: log, pages: pages, texts: texts, large: make(chan struct{}, opt.LargePages),
		seeks: newOffsetSeeks()}
	return s, nil
}

// featureLayers is the catalog without the layers that have no features
// (tile functions): they are not collections.
type featureLayers struct{ layers.View }

func (c featureLayers) Layers(ctx context.Context) []layers.Layer {
	all := c.View.Layers(ctx)
	out := make([]layers.Layer, 0, len(all))
	for _, l := range all {
		if l.HasFeatures() {
			out = append(out, l)
		}
	}
	return out
}

func (c featureLayers) Layer(ctx context.Context, name string) (layers.Layer, bool) {
	l, ok := c.View.Layer(ctx, name)
	return l, ok && l.HasFeatures()
}

// collection returns the layer served as collection id.
func (s *Service) collection(ctx context.Context, id string) (layers.Layer, bool) {
	return s.cat.Layer(ctx, id)
}
