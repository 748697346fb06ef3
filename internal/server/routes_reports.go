package server

import (
	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/cadastre"
)

// mountReports serves the parcel lookup (/parcels/…), the zoning report
// (/reports/zoning) and the broadband analytics (/analytics/…); the cores
// and the handlers live in packages cadastre and reports.
func mountReports(r chi.Router, d Deps) {
	parcels := cadastre.New(d.Pool, d.Catalog, cadastre.Options{PublicURL: d.Config.PublicURL, Log: d.Log})
	parcels.Mount(r)
}
