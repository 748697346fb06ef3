package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/auth"
	"github.com/sit-gis/sit/cadastre"
	"github.com/sit-gis/sit/certificates"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/layers/catalogapi"
	"github.com/sit-gis/sit/planning"
	"github.com/sit-gis/sit/query"
	"github.com/sit-gis/sit/reports"
	"github.com/sit-gis/sit/tiles"
	"github.com/sit-gis/sit/web"
)

// dataMounts are the feature packages that serve data, each built from
// the dependencies and mounted the same way. They share the per-address
// bound; the viewer's static files do not.
func dataMounts() []func(Deps) httpx.Mounter {
	return []func(Deps) httpx.Mounter{catalogAPI, features, tileAPI, parcels, reportAPI, plans, certificatesAPI}
}

// catalogAPI serves /layers.
func catalogAPI(d Deps) httpx.Mounter {
	return catalogapi.New(access.NewCatalog(d.Catalog), d.Catalog, d.Log)
}

// features serves OGC API Features (landing page, conformance, OpenAPI,
// collections, items, queryables).
func features(d Deps) httpx.Mounter {
	svc, err := query.New(access.NewCatalog(d.Catalog), query.PGData{Pool: d.reads(), Timeout: d.Config.StatementTimeout}, query.Options{
		PublicURL:        d.Config.PublicURL,
		Version:          d.Version,
		DefaultLimit:     d.Config.DefaultLimit,
		MaxLimit:         d.Config.MaxLimit,
		LargePages:       d.Config.LargePages,
		StatementTimeout: d.Config.StatementTimeout,
		Conformance:      query.TilesConformance,
		// The other packages describe their own operations in /api.
		Paths: []query.PathContributor{tiles.OpenAPIPaths, cadastre.OpenAPIPaths, reports.OpenAPIPaths, planning.OpenAPIPaths, certificates.OpenAPIPaths},
		LandingLinks: []query.Link{
			{Href: "/tileMatrixSets", Rel: "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes", Type: "application/json", Title: "Tile matrix sets"},
			{Href: "/tiles/WebMercatorQuad", Rel: "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", Type: "application/json", Title: "Vector tiles of all layers (WebMercatorQuad)"},
			{Href: "/map/", Rel: "alternate", Type: "text/html", Title: "Map viewer"},
		},
		// The HTML pages link features to the viewer and to a parcel's report.
		Viewer: "/map/", ReportPath: "/reports/zoning",
		CollectionLinks: func(base string, l layers.Layer) []query.Link {
			return []query.Link{{Href: base + "/collections/" + url.PathEscape(l.Name) + "/tiles", Rel: "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
				Type: "application/json", Title: "Vector tiles of " + l.Name}}
		},
	}, d.Log)
	if err != nil {
		d.Log.Error("features API disabled", "err", err)
		return broken{}
	}
	return svc
}

// tileAPI serves vector tiles, TileJSON, OGC API Tiles, styles, glyphs and
// PMTiles archives.
func tileAPI(d Deps) httpx.Mounter {
	return tiles.New(d.reads(), access.NewCatalog(d.Catalog), tiles.Options{
		CacheBytes:   d.Config.TileCacheBytes,
		Cache:        d.TileCache,
		CacheControl: d.Config.TileCacheControl,
		Concurrency:  d.Config.TileConcurrency,
		Version:      d.Version,
		PublicURL:    d.Config.PublicURL,
		PMTilesDir:   d.Config.PMTilesDir,
		Log:          d.Log,
	})
}

// parcels serves the parcel lookup (/parcels/…).
func parcels(d Deps) httpx.Mounter {
	return cadastre.New(d.reads(), access.NewCatalog(d.Catalog), cadastre.Options{PublicURL: d.Config.PublicURL, Log: d.Log})
}

// reportAPI serves the zoning report and the broadband analytics.
func reportAPI(d Deps) httpx.Mounter { return reportService(d) }

// reportService computes the reports (and the certificates' content).
func reportService(d Deps) *reports.Service {
	return reports.New(d.reads(), access.NewCatalog(d.Catalog), reports.Options{
		Comune:          d.Config.Comune,
		SliverMinAreaM2: d.Config.SliverMinAreaM2,
		SliverMinPct:    d.Config.SliverMinPct,
		MaxParcels:      d.Config.MaxReportParcels,
		Header: func(ctx context.Context) string {
			if c, ok := d.Catalog.Comune(access.ViewFrom(ctx).Comune); ok {
				return c.Header()
			}
			return ""
		},
		PublicURL: d.Config.PublicURL,
		Log:       d.Log,
		Planning:  planning.NewStore(d.Pool),
	})
}

// certificatesAPI issues zoning certificates and keeps their register
// (/certificates, the office) with the web role, and verifies them by
// code (/verify/{code}); without that role both answer 503.
func certificatesAPI(d Deps) httpx.Mounter {
	opt := certificates.Options{PublicURL: d.Config.PublicURL, Software: "sit " + d.Version, Log: d.Log}
	var db certificates.DB
	if d.Web != nil {
		db = d.Web
		opt.Audit = auditCertificate(auth.NewStore(d.Web, auth.Options{}), d.Log)
	}
	return certificates.New(db, reportService(d), opt)
}

// auditCertificate writes each certificate issued to the audit log.
func auditCertificate(store *auth.Store, log *slog.Logger) func(*http.Request, certificates.Entry) {
	return func(r *http.Request, e certificates.Entry) {
		err := store.Record(r.Context(), auth.Entry{Actor: access.PrincipalFrom(r.Context()).Actor(), Comune: e.Comune,
			Action: "certificate.issue", Target: e.Number, RemoteAddr: auth.RemoteAddr(r), Result: auth.ResultOK, Status: http.StatusCreated,
			Detail: map[string]any{"protocol": e.Protocol, "code": e.Code, "parcels": e.Parcels}})
		if err != nil {
			log.Warn("audit: certificate issued but not logged", "number", e.Number, "err", err)
		}
	}
}

// plans serves the register of planning instruments (/plans).
func plans(d Deps) httpx.Mounter {
	return planning.NewService(d.Pool, planning.Options{Log: d.Log})
}

// viewer serves the map viewer embedded in the binary at /map/.
func viewer(d Deps) httpx.Mounter {
	h, err := web.New(web.Options{Prefix: "/map", Basemap: d.Config.Basemap, Comune: d.Config.Comune, Version: d.Version, Log: d.Log,
		Branding: func(ctx context.Context) (web.Branding, bool) {
			c, ok := d.Catalog.Comune(access.ViewFrom(ctx).Comune)
			if !ok {
				return web.Branding{}, false
			}
			b := web.Branding{Comune: c.Name, Slug: c.Slug, View: c.DefaultView}
			if len(c.CoatOfArms) > 0 {
				b.CoatOfArms = "../comune/coat-of-arms"
			}
			return b, true
		}})
	if err != nil {
		d.Log.Error("map viewer unavailable", "err", err)
		return broken{prefix: "/map"}
	}
	return h
}

// broken stands for a feature package that could not start: its paths
// answer 500 (logged once at start), not 404.
type broken struct{ prefix string }

func (b broken) Mount(r chi.Router) {
	if b.prefix == "" {
		return
	}
	httpx.Get(r, b.prefix+"/*", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteProblem(w, r, httpx.New(http.StatusInternalServerError, "this part of the server could not be started; see its log"))
	})
}
