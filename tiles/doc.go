// Package tiles serves the catalog's layers as Mapbox Vector Tiles: dynamic
// tiles from PostGIS (one SQL statement per tile), TileJSON 3.0, OGC API
// Tiles documents, a MapLibre style, PMTiles export and serving.
//
// The core is independent of HTTP: Service.Tile, Service.TileJSON and the
// other methods take parsed requests and return a Response (status,
// headers, body) or a *httpx.Problem; the Handle* methods are thin
// adapters, one per file.
//
// # Tiles
//
// A tile of layers a,b at z/x/y is one statement: per layer
// ST_AsMVT(ST_AsMVTGeom(geom_3857, ST_TileEnvelope(z,x,y), 4096, 64)) over
// the rows whose geom_3857 && the envelope grown by the 64-unit buffer (so
// that features just outside the tile, whose buffered part is drawn, are
// not lost, and the GiST index drives the scan); the layers' MVT blobs are
// concatenated (a tile is a sequence of layer messages). Layers outside
// their zoom range are left out; below a layer's detail zoom its geometries
// are simplified by half a tile-grid unit and only a subset of attributes is
// kept (Tiling); a per-layer feature cap bounds the worst tile. Features
// are ordered by fid inside ST_AsMVT, so a tile's bytes do not depend on
// the query plan. At most Options.Concurrency statements run at once.
//
// A published table outside Web Mercator without a stored copy is read
// through its own index and its rows mapped by affine fits of the
// transform for the tile (affine.go): a small query before the statement,
// the fits bound as parameters, ST_Transform where no fit holds.
//
// Label points are a virtual layer, <layer>:labels (cadastral: particella
// from z17; zoning: zone_code from z15): one ST_PointOnSurface per feature,
// only in the tile that holds it, so a polygon cut by tile edges is
// labelled once. They are asked for separately (the style has a second
// source), so polygon tiles stay as light as without labels.
//
// An empty tile answers 204 No Content (with ETag and Cache-Control, so that
// it is cached like any other): MapLibre, OpenLayers and GDAL treat 204 as an
// empty tile, and OGC API Tiles allows it.
//
// # Cache and freshness
//
// The cache key is the layer set, each layer's version and z/x/y; the ETag
// is a hash of the tile's SQL text (which names every layer's version and
// the columns and zoom rules) and z/x/y, so a validator is known before any
// query, and an If-None-Match that matches answers 304 without touching the
// cache or the database. An import bumps the layer's version: new keys, new
// ETags for that layer's tiles only; unchanged layers keep theirs.
//
// The window between an import's COMMIT and its NOTIFY reaching this
// instance's catalog (normally milliseconds): during it the catalog still
// has the old version. A cache hit then serves the tile as it was before
// the import (at most that window late). A cache miss runs the statement,
// which also checks, in the same snapshot, that every layer still has the
// version the key names; when it does not, the (new) tile is served with
// Cache-Control: no-store and no ETag, and is not cached, so no entry can
// hold content that differs from its key's version. After the refresh,
// keys carry the new version and the old entries are never read again (the
// LRU evicts them).
package tiles
