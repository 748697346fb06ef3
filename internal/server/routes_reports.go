package server

import (
	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/cadastre"
	"github.com/sit-gis/sit/reports"
)

// mountReports serves the parcel lookup (/parcels/…), the zoning report
// (/reports/zoning) and the broadband analytics (/analytics/…); the cores
// and the handlers live in packages cadastre and reports.
func mountReports(r chi.Router, d Deps) {
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
