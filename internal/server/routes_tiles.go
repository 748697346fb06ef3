package server

import (
	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/tiles"
)

// mountTiles serves vector tiles, TileJSON, OGC API Tiles, styles and
// PMTiles archives; the core and the handlers live in package tiles.
func mountTiles(r chi.Router, d Deps) {
	svc := tiles.New(d.Pool, d.Catalog, tiles.Options{
		CacheBytes:   d.Config.TileCacheBytes,
		CacheControl: d.Config.TileCacheControl,
		Concurrency:  d.Config.TileConcurrency,
		Version:      d.Version,
		PublicURL:    d.Config.PublicURL,
		PMTilesDir:   d.Config.PMTilesDir,
		Log:          d.Log,
	})
	svc.Mount(r)
}
