package server

import (
	"net/url"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/cadastre"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/query"
	"github.com/sit-gis/sit/reports"
	"github.com/sit-gis/sit/tiles"
)

// mountFeatures serves OGC API Features (landing page, conformance,
// OpenAPI, collections, items, queryables) from package query.
func mountFeatures(r chi.Router, d Deps) {
	svc, err := query.New(d.Catalog, query.PGData{Pool: d.Pool, Timeout: d.Config.StatementTimeout}, query.Options{
		PublicURL:        d.Config.PublicURL,
		DefaultLimit:     d.Config.DefaultLimit,
		MaxLimit:         d.Config.MaxLimit,
		StatementTimeout: d.Config.StatementTimeout,
		Conformance:      query.TilesConformance,
		// The other packages describe their own operations in /api.
		Paths: []query.PathContributor{tiles.OpenAPIPaths, cadastre.OpenAPIPaths, reports.OpenAPIPaths},
		LandingLinks: []query.Link{
			{Href: "/tileMatrixSets", Rel: "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes", Type: "application/json", Title: "Tile matrix sets"},
			{Href: "/tiles/WebMercatorQuad", Rel: "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector", Type: "application/json", Title: "Vector tiles of all layers (WebMercatorQuad)"},
			{Href: "/map/", Rel: "alternate", Type: "text/html", Title: "Map viewer"},
		},
		CollectionLinks: func(base string, l layers.Layer) []query.Link {
			return []query.Link{{Href: base + "/collections/" + url.PathEscape(l.Name) + "/tiles", Rel: "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
				Type: "application/json", Title: "Vector tiles of " + l.Name}}
		},
	}, d.Log)
	if err != nil {
		d.Log.Error("features API disabled", "err", err)
		return
	}
	svc.Routes(r)
}
