package tiles

// OpenAPIPaths returns the OpenAPI 3.0 path items of the tile routes, keyed
// by path, for the /api document that package query assembles. Responses
// name their media types; errors are problem+json.
func OpenAPIPaths() map[string]any {
	problemResp := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{
			"application/problem+json": map[string]any{"schema": map[string]any{"type": "object"}}}}
	}
	jsonResp := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{
			JSONType: map[string]any{"schema": map[string]any{"type": "object"}}}}
	}
	tileResps := map[string]any{
		"200": map[string]any{"description": "A Mapbox Vector Tile (gzip-encoded when the client accepts it).",
			"headers": map[string]any{"ETag": map[string]any{"schema": map[string]any{"type": "string"}}},
			"content": map[string]any{MVTType: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}},
		"204": map[string]any{"description": "The tile is empty: no feature of the layers meets it at this zoom."},
		"304": map[string]any{"description": "Not modified (If-None-Match)."},
		"400": problemResp("A bad tile coordinate, named in the problem's parameter."),
		"404": problemResp("Unknown layer, collection or tile matrix set."),
	}
	pathParam := func(name, desc string, schema map[string]any) map[string]any {
		return map[string]any{"name": name, "in": "path", "required": true, "description": desc, "schema": schema}
	}
	intParam := func(name, desc string, max int) map[string]any {
		s := map[string]any{"type": "integer", "minimum": 0}
		if max > 0 {
			s["maximum"] = max
		}
		return pathParam(name, desc, s)
	}
	str := map[string]any{"type": "string"}
	layersParam := pathParam("layers", "One layer name or a comma-separated list.", str)
	collParam := pathParam("collectionId", "A collection (layer) name.", str)
	tmsParam := pathParam("tileMatrixSetId", "The tile matrix set; only WebMercatorQuad.", map[string]any{"type": "string", "enum": []string{TMSID}})
	ogcTile := []any{
		intParam("tileMatrix", "Zoom level.", MaxZoom),
		intParam("tileRow", "Row (y), from the north.", 0),
		intParam("tileCol", "Column (x), from the west.", 0),
	}
	get := func(id, summary string, tags []string, params []any, resps map[string]any) map[string]any {
		return map[string]any{"get": map[string]any{"operationId": id, "summary": summary, "tags": tags, "parameters": params, "responses": resps}}
	}
	docResps := func(desc string) map[string]any {
		return map[string]any{"200": jsonResp(desc), "304": map[string]any{"description": "Not modified."}, "404": problemResp("Not found.")}
	}
	tags := []string{"Vector Tiles"}
	return map[string]any{
		"/tiles/{layers}/{z}/{x}/{y}.mvt": get("getTile", "A vector tile of one or more layers (XYZ).", tags, []any{
			layersParam, intParam("z", "Zoom level.", MaxZoom), intParam("x", "Column, from the west.", 0),
			pathParam("y", "Row, from the north.", map[string]any{"type": "integer", "minimum": 0}),
		}, tileResps),
		"/tiles/{layers}.json":              get("getTileJSON", "TileJSON 3.0 of one or more layers.", tags, []any{layersParam}, docResps("TileJSON 3.0.0.")),
		"/tileMatrixSets":                   get("getTileMatrixSetsList", "The tile matrix sets.", tags, []any{}, docResps("The list.")),
		"/tileMatrixSets/{tileMatrixSetId}": get("getTileMatrixSet", "A tile matrix set definition (OGC 2D TMS JSON).", tags, []any{tmsParam}, docResps("The definition.")),
		"/tiles":                            get("getDatasetTileSetsList", "The dataset's vector tilesets (every layer).", tags, []any{}, docResps("The list.")),
		"/tiles/" + TMSID:                   get("getDatasetTileSet", "The dataset's tileset metadata.", tags, []any{}, docResps("The tileset.")),
		"/tiles/" + TMSID + "/{tileMatrix}/{tileRow}/{tileCol}": get("getDatasetTile", "A tile of every layer.", tags, ogcTile, tileResps),
		"/collections/{collectionId}/tiles":                     get("getCollectionTileSetsList", "A collection's vector tilesets.", tags, []any{collParam}, docResps("The list.")),
		"/collections/{collectionId}/tiles/{tileMatrixSetId}":   get("getCollectionTileSet", "A collection's tileset metadata.", tags, []any{collParam, tmsParam}, docResps("The tileset.")),
		"/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}": get("getCollectionTile",
			"A tile of one collection.", tags, append([]any{collParam, tmsParam}, ogcTile...), tileResps),
		"/styles/{styleId}.json": get("getStyle", "A MapLibre style: 'default' for the whole catalog, or a layer name.", []string{"Styles"},
			[]any{pathParam("styleId", "default or a layer name.", str)}, docResps("A MapLibre style.")),
		"/fonts/{fontstack}/{range}.pbf": get("getGlyphs", "SDF glyphs of a font stack (the styles' glyphs URL).", []string{"Styles"},
			[]any{pathParam("fontstack", "Comma-separated font names; the first SIT has is used.", str),
				pathParam("range", "START-END, a 256-codepoint range (0-255).", str)}, map[string]any{
				"200": map[string]any{"description": "Glyph protobuf.", "content": map[string]any{"application/x-protobuf": map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}},
				"400": problemResp("Bad range."), "404": problemResp("No such font.")}),
		"/pmtiles/{archive}/{z}/{x}/{y}.mvt": get("getPMTilesTile", "A tile from a PMTiles archive of the archive directory.", []string{"PMTiles"},
			[]any{pathParam("archive", "Archive name (file name without .pmtiles).", str), intParam("z", "Zoom.", MaxZoom),
				intParam("x", "Column.", 0), intParam("y", "Row.", 0)}, tileResps),
		"/pmtiles/{archive}.json": get("getPMTilesTileJSON", "TileJSON of a PMTiles archive.", []string{"PMTiles"},
			[]any{pathParam("archive", "Archive name.", str)}, docResps("TileJSON 3.0.0.")),
		"/pmtiles/{archive}.pmtiles": get("getPMTilesArchive", "The archive itself, with HTTP range requests (pmtiles.js).", []string{"PMTiles"},
			[]any{pathParam("archive", "Archive name.", str)}, map[string]any{
				"200": map[string]any{"description": "The archive.", "content": map[string]any{PMTilesType: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}},
				"206": map[string]any{"description": "The requested byte range."},
				"404": problemResp("No such archive.")}),
	}
}
