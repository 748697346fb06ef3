package server

import (
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/sit-gis/sit/cadastre"
	"github.com/sit-gis/sit/reports"
)

// mountReports serves the parcel lookup (/parcels/…), the zoning report
// (/reports/zoning) and the broadband analytics (/analytics/…); the cores
// and the handlers live in packages cadastre and reports.
func mountReports(root chi.Router, d Deps) {
	// Reports and analytics answer with JSON, CSV, HTML and GeoJSON
	// documents of up to a few hundred kB: compress them for clients that
	// accept it (the feature and tile handlers compress by themselves).
	r := root.With(middleware.Compress(5, "application/json", "application/geo+json", "text/csv", "text/html"))
	cadastre.New(d.Pool, d.Catalog, cadastre.Options{PublicURL: d.Config.PublicURL, Log: d.Log}).Mount(r)
	reports.New(d.Pool, d.Catalog, reports.Options{
		Comune:          d.Config.Comune,
		SliverMinAreaM2: d.Config.SliverMinAreaM2,
		SliverMinPct:    d.Config.SliverMinPct,
		MaxParcels:      d.Config.MaxReportParcels,
		PublicURL:       d.Config.PublicURL,
		Log:             d.Log,
	}).Mount(r)
}
