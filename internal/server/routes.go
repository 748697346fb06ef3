package server

import "github.com/go-chi/chi/v5"

// mounts lists the route groups. Each feature package adds one entry here
// and its own routes_<name>.go.
func mounts() []func(chi.Router, Deps) {
	return []func(chi.Router, Deps){
		mountLayers,
		mountFeatures,
		mountTiles,
		mountReports,
		mountWeb,
	}
}
