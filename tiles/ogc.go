package tiles

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// OGC identifiers of the one tile matrix set served.
const (
	TMSID   = "WebMercatorQuad"
	TMSURI  = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
	CRS3857 = "http://www.opengis.net/def/crs/EPSG/0/3857"
	CRS84   = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
	// RelTilingScheme links a tileset to its tile matrix set.
	RelTilingScheme = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
	// RelTilesetsVector links a collection or the landing page to its vector tilesets.
	RelTilesetsVector = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
)

// ConformanceClasses are the OGC API Tiles and TMS classes this package
// implements, for the /conformance document.
func ConformanceClasses() []string {
	const t = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/"
	return []string{
		t + "core", t + "tileset", t + "tilesets-list", t + "geodata-tilesets", t + "dataset-tilesets",
		t + "mvt", t + "oas30",
		"http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
		"http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
	}
}

// TileMatrix is one zoom of a tile matrix set in the OGC 2D TMS 2.0 JSON
// encoding, with the two members of the TMS 1.0 (OGC 17-083r2) encoding
// that readers of 1.0 need: GDAL 3.6's OGCAPI driver reads `identifier` and
// `topLeftCorner` and fails on a 2.0-only document.
type TileMatrix struct {
	ID               string     `json:"id"`
	Identifier       string     `json:"identifier"`
	ScaleDenominator float64    `json:"scaleDenominator"`
	CellSize         float64    `json:"cellSize"`
	CornerOfOrigin   string     `json:"cornerOfOrigin"`
	PointOfOrigin    [2]float64 `json:"pointOfOrigin"`
	TopLeftCorner    [2]float64 `json:"topLeftCorner"`
	TileWidth        int        `json:"tileWidth"`
	TileHeight       int        `json:"tileHeight"`
	MatrixWidth      int        `json:"matrixWidth"`
	MatrixHeight     int        `json:"matrixHeight"`
}

// TileMatrixSet is the WebMercatorQuad definition, in both JSON encodings
// at once: TMS 2.0 (id, crs, tileMatrices[].id/pointOfOrigin), read by GDAL
// ≥ 3.7, QGIS and web clients, and TMS 1.0 (type, identifier, supportedCRS,
// boundingBox, tileMatrices[].identifier/topLeftCorner), read by GDAL 3.6
// (Debian 12). Neither reader is disturbed by the other's members.
type TileMatrixSet struct {
	Type         string       `json:"type"`
	ID           string       `json:"id"`
	Identifier   string       `json:"identifier"`
	Title        string       `json:"title"`
	URI          string       `json:"uri"`
	CRS          string       `json:"crs"`
	SupportedCRS string       `json:"supportedCRS"`
	BoundingBox  TMSBBox      `json:"boundingBox"`
	OrderedAxes  []string     `json:"orderedAxes"`
	WellKnown    string       `json:"wellKnownScaleSet"`
	TileMatrices []TileMatrix `json:"tileMatrices"`
	Links        []Link       `json:"links,omitempty"`
}

// TMSBBox is a bounding box of a tile matrix set in its own CRS.
type TMSBBox struct {
	Type        string     `json:"type"`
	CRS         string     `json:"crs"`
	LowerCorner [2]float64 `json:"lowerCorner"`
	UpperCorner [2]float64 `json:"upperCorner"`
}

// WebMercatorQuad returns the tile matrix set of the tiles, zooms 0–24.
func WebMercatorQuad() TileMatrixSet {
	tms := TileMatrixSet{Type: "TileMatrixSetType", ID: TMSID, Identifier: TMSID, Title: "Google Maps Compatible for the World",
		URI: TMSURI, CRS: CRS3857, SupportedCRS: CRS3857, OrderedAxes: []string{"X", "Y"},
		BoundingBox: TMSBBox{Type: "BoundingBoxType", CRS: CRS3857,
			LowerCorner: [2]float64{-earthHalf, -earthHalf}, UpperCorner: [2]float64{earthHalf, earthHalf}},
		WellKnown: "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible"}
	origin := [2]float64{-earthHalf, earthHalf}
	for z := 0; z <= MaxZoom; z++ {
		n := 1 << z
		cell := 2 * earthHalf / 256 / float64(n)
		tms.TileMatrices = append(tms.TileMatrices, TileMatrix{ID: strconv.Itoa(z), Identifier: strconv.Itoa(z),
			ScaleDenominator: cell / 0.00028, CellSize: cell, CornerOfOrigin: "topLeft", PointOfOrigin: origin,
			TopLeftCorner: origin, TileWidth: 256, TileHeight: 256, MatrixWidth: n, MatrixHeight: n})
	}
	return tms
}

// TileMatrixSets is the /tileMatrixSets document.
func TileMatrixSets(base string) map[string]any {
	return map[string]any{
		"tileMatrixSets": []map[string]any{{
			"id": TMSID, "title": "Google Maps Compatible for the World", "uri": TMSURI, "crs": CRS3857,
			"links": []Link{{Href: base + "/tileMatrixSets/" + TMSID, Rel: "self", Type: JSONType, Title: TMSID}},
		}},
		"links": []Link{{Href: base + "/tileMatrixSets", Rel: "self", Type: JSONType}},
	}
}

// TileMatrixSetDoc is /tileMatrixSets/{id}; only WebMercatorQuad exists.
func TileMatrixSetDoc(base, id string) (*TileMatrixSet, error) {
	if id != TMSID {
		p := httpx.NotFound(fmt.Sprintf("no tile matrix set %q (only %s)", id, TMSID))
		p.Parameter = "tileMatrixSetId"
		return nil, p
	}
	t := WebMercatorQuad()
	t.Links = []Link{{Href: base + "/tileMatrixSets/" + TMSID, Rel: "self", Type: JSONType}}
	return &t, nil
}

// TilesetSummary is one entry of a tilesets list.
type TilesetSummary struct {
	Title            string `json:"title,omitempty"`
	DataType         string `json:"dataType"`
	CRS              string `json:"crs"`
	TileMatrixSetURI string `json:"tileMatrixSetURI"`
	Links            []Link `json:"links"`
}

// Tileset is an OGC API Tiles tileset metadata document.
type Tileset struct {
	Title              string         `json:"title,omitempty"`
	Description        string         `json:"description,omitempty"`
	Attribution        string         `json:"attribution,omitempty"`
	DataType           string         `json:"dataType"`
	CRS                string         `json:"crs"`
	TileMatrixSetURI   string         `json:"tileMatrixSetURI"`
	TileMatrixSetLimit []MatrixLimit  `json:"tileMatrixSetLimits"`
	BoundingBox        map[string]any `json:"boundingBox"`
	CenterPoint        map[string]any `json:"centerPoint"`
	Layers             []TilesetLayer `json:"layers"`
	Links              []Link         `json:"links"`
}

// MatrixLimit bounds the tiles of one zoom.
type MatrixLimit struct {
	TileMatrix string `json:"tileMatrix"`
	MinTileRow int    `json:"minTileRow"`
	MaxTileRow int    `json:"maxTileRow"`
	MinTileCol int    `json:"minTileCol"`
	MaxTileCol int    `json:"maxTileCol"`
}

// TilesetLayer describes a layer of a vector tileset.
type TilesetLayer struct {
	ID                string         `json:"id"`
	Title             string         `json:"title,omitempty"`
	Description       string         `json:"description,omitempty"`
	DataType          string         `json:"dataType"`
	GeometryDimension int            `json:"geometryDimension"`
	MinTileMatrix     string         `json:"minTileMatrix"`
	MaxTileMatrix     string         `json:"maxTileMatrix"`
	PropertiesSchema  map[string]any `json:"propertiesSchema"`
}

// tilesetPath is where a tileset lives: a collection's or the dataset's.
func tilesetPath(base, collection string) string {
	if collection == "" {
		return base + "/tiles"
	}
	return base + "/collections/" + collection + "/tiles"
}

// TilesetsList is /collections/{id}/tiles (collection != "") or /tiles.
func (s *Service) TilesetsList(ctx context.Context, base, collection string) (map[string]any, error) {
	title := "All layers"
	if collection != "" {
		l, ok := s.cat.Layer(ctx, collection)
		if !ok {
			p := httpx.NotFound(fmt.Sprintf("no collection %q", collection))
			p.Parameter = "collectionId"
			return nil, p
		}
		title = l.Title
	}
	root := tilesetPath(base, collection)
	return map[string]any{
		"links": []Link{{Href: root, Rel: "self", Type: JSONType}},
		"tilesets": []TilesetSummary{{Title: title, DataType: "vector", CRS: CRS3857, TileMatrixSetURI: TMSURI, Links: []Link{
			{Href: root + "/" + TMSID, Rel: "self", Type: JSONType, Title: title + " (" + TMSID + ")"},
			{Href: base + "/tileMatrixSets/" + TMSID, Rel: RelTilingScheme, Type: JSONType},
			{Href: root + "/" + TMSID + "/{tileMatrix}/{tileRow}/{tileCol}", Rel: "item", Type: MVTType, Templated: true},
		}}},
	}, nil
}

// datasetLayers are the layers of the dataset tileset: every layer the
// request may see.
func (s *Service) datasetLayers(ctx context.Context) []layers.Layer { return s.cat.Layers(ctx) }

// TilesetDoc is /collections/{id}/tiles/{tms} or /tiles/{tms}.
func (s *Service) TilesetDoc(ctx context.Context, base, collection, tms string) (*Tileset, error) {
	if tms != TMSID {
		p := httpx.NotFound(fmt.Sprintf("no tile matrix set %q (only %s)", tms, TMSID))
		p.Parameter = "tileMatrixSetId"
		return nil, p
	}
	var ls []layers.Layer
	title := "All layers"
	if collection != "" {
		l, ok := s.cat.Layer(ctx, collection)
		if !ok {
			p := httpx.NotFound(fmt.Sprintf("no collection %q", collection))
			p.Parameter = "collectionId"
			return nil, p
		}
		ls, title = []layers.Layer{l}, l.Title
	} else {
		ls = s.datasetLayers(ctx)
	}
	ps, err := tilingsOf(ls)
	if err != nil {
		return nil, err
	}
	minZ, maxZ, bounds, attribution := coverage(ps)
	root := tilesetPath(base, collection) + "/" + TMSID
	ts := &Tileset{Title: title, Attribution: attribution, DataType: "vector", CRS: CRS3857, TileMatrixSetURI: TMSURI,
		BoundingBox: map[string]any{"lowerLeft": []float64{bounds[0], bounds[1]}, "upperRight": []float64{bounds[2], bounds[3]}, "crs": CRS84},
		Links: []Link{
			{Href: root, Rel: "self", Type: JSONType},
			{Href: base + "/tileMatrixSets/" + TMSID, Rel: RelTilingScheme, Type: JSONType},
			{Href: root + "/{tileMatrix}/{tileRow}/{tileCol}", Rel: "item", Type: MVTType, Templated: true},
		},
	}
	c := centerOf(bounds, minZ, maxZ)
	ts.CenterPoint = map[string]any{"coordinates": []float64{c[0], c[1]}, "crs": CRS84, "tileMatrix": strconv.Itoa(int(c[2]))}
	for z := minZ; z <= maxZ; z++ {
		x0, y0, x1, y1 := TileRange(z, bounds)
		ts.TileMatrixSetLimit = append(ts.TileMatrixSetLimit, MatrixLimit{TileMatrix: strconv.Itoa(z), MinTileRow: y0, MaxTileRow: y1, MinTileCol: x0, MaxTileCol: x1})
	}
	for _, p := range ps {
		props := map[string]any{}
		for _, prop := range p.tiling.AllAttributes(p.layer) {
			sch := map[string]any{"type": prop.Type.JSONSchemaType()}
			if prop.Title != "" {
				sch["title"] = prop.Title
			}
			props[prop.Name] = sch
		}
		ts.Layers = append(ts.Layers, TilesetLayer{ID: p.layer.Name, Title: p.layer.Title, Description: p.layer.Description,
			DataType: "vector", GeometryDimension: geometryDimension(p.layer.GeometryType),
			MinTileMatrix: strconv.Itoa(p.tiling.MinZoom), MaxTileMatrix: strconv.Itoa(p.tiling.MaxZoom),
			PropertiesSchema: map[string]any{"type": "object", "properties": props}})
	}
	if collection != "" {
		ts.Links = append(ts.Links, Link{Href: base + "/tiles/" + collection + ".json", Rel: "alternate", Type: JSONType, Title: "TileJSON"})
		ts.Description = ls[0].Description
	}
	return ts, nil
}

func geometryDimension(t string) int {
	switch t {
	case "Point", "MultiPoint":
		return 0
	case "LineString", "MultiLineString":
		return 1
	}
	return 2
}

// ParseOGCTile reads tileMatrix/tileRow/tileCol (z/y/x): bad values are
// 400 problems naming the OGC parameter.
func ParseOGCTile(tileMatrix, tileRow, tileCol string) (TileID, error) {
	var t TileID
	var err error
	if t.Z, err = parseCoord("tileMatrix", tileMatrix, MaxZoom); err != nil {
		return t, err
	}
	max := int(math.Pow(2, float64(t.Z))) - 1
	if t.Y, err = parseCoord("tileRow", tileRow, max); err != nil {
		return t, err
	}
	if t.X, err = parseCoord("tileCol", tileCol, max); err != nil {
		return t, err
	}
	return t, nil
}
