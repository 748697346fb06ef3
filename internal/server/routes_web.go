package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/problem"
	"github.com/sit-gis/sit/web"
)

// mountWeb serves the map viewer embedded in the binary at /map/; the
// handler and the assets live in package web.
func mountWeb(r chi.Router, d Deps) {
	h, err := web.New(web.Options{Prefix: "/map", Basemap: d.Config.Basemap, Comune: d.Config.Comune, Version: d.Version, Log: d.Log})
	if err != nil {
		d.Log.Error("map viewer unavailable", "err", err)
		r.Get("/map/*", func(w http.ResponseWriter, r *http.Request) {
			problem.Write(w, r, problem.New(http.StatusInternalServerError, "the map viewer could not be loaded"))
		})
		return
	}
	r.Get("/map", func(w http.ResponseWriter, r *http.Request) {
		to := "/map/"
		if r.URL.RawQuery != "" {
			to += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, to, http.StatusMovedPermanently)
	})
	r.Handle("/map/*", h)
}
