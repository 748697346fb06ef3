package cadastre

// OpenAPIPaths returns the OpenAPI 3.0 path items of the parcel routes,
// keyed by path, for the /api document. Errors are problem+json naming the
// parameter at fault.
func OpenAPIPaths() map[string]any {
	problemOf := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{
			"application/problem+json": map[string]any{"schema": map[string]any{"type": "object", "properties": map[string]any{
				"type": map[string]any{"type": "string"}, "title": map[string]any{"type": "string"}, "status": map[string]any{"type": "integer"},
				"detail": map[string]any{"type": "string"}, "parameter": map[string]any{"type": "string"}}}}}}
	}
	geo := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{GeoJSONType: map[string]any{"schema": map[string]any{"type": "object"}}}}
	}
	query := func(name, desc string, required bool, schema map[string]any) map[string]any {
		return map[string]any{"name": name, "in": "query", "required": required, "description": desc, "schema": schema}
	}
	str := map[string]any{"type": "string"}
	num := map[string]any{"type": "number"}
	limit := query("limit", "Most candidates to return (default 10, at most 100).", false, map[string]any{"type": "integer", "minimum": 1, "maximum": 100})
	at := query("at", "The cadastre as of this date (YYYY-MM-DD: the end of that day, Italian time; or an RFC 3339 instant): each layer's version then. "+
		"A date before the cadastre's history is a 404 naming at.", false, str)
	tags := []string{"Parcels"}
	get := func(id, summary, desc string, params []any, resps map[string]any) map[string]any {
		return map[string]any{"get": map[string]any{"operationId": id, "summary": summary, "description": desc, "tags": tags, "parameters": params, "responses": resps}}
	}
	refHelp := "A cadastral reference as people write it: `foglio 37 particella 125`, `F.37 p.125`, `fg 37 part 125`, `37/125`, `37-125`, " +
		"`E715_003700.125` (national reference), with the comune code, sezione, allegato and sviluppo when given (`E715 sez. A fg 37 all. B part 125`)."
	return map[string]any{
		"/parcels/search": get("searchParcels", "Find parcels by cadastral reference or address.",
			refHelp+" Text that is not a reference is searched in the address layer (`via del fosso 12`; street-type abbreviations such as `v.`, `p.zza` are expanded). "+
				"Several features are candidates to choose from (`ambiguous: true`). Areas are measured on the spheroid.",
			[]any{query("q", "The reference or the address.", true, str), limit, at},
			map[string]any{"200": geo("A FeatureCollection of the matching parcels with cadastral attributes, area_m2, centroid, bbox and links to the zoning report."),
				"400": problemOf("Missing q or bad limit (named in `parameter`)."), "404": problemOf("Nothing matches q.")}),
		"/parcels/suggest": get("suggestParcels", "Completions for a search box.",
			"Parcels of the typed foglio whose particella starts with the typed digits, and addresses having words that start with the typed words, in order. No match is an empty list.",
			[]any{query("q", "What has been typed so far.", true, str), limit, at},
			map[string]any{"200": map[string]any{"description": "The suggestions: label, kind (parcel or address), ref, q to send to /parcels/search, point.",
				"content": map[string]any{JSONType: map[string]any{"schema": map[string]any{"type": "object"}}}},
				"400": problemOf("Missing q or bad limit.")}),
		"/parcels/at": get("parcelAt", "The parcel under a point.",
			"A point on a road or a watercourse (no parcel) is a 404 whose detail names the nearest parcel; a road polygon of the cadastre is returned with `road: true`.",
			[]any{query("lon", "Longitude (or easting x= in a projected crs).", true, num), query("lat", "Latitude (or northing y=).", true, num),
				query("crs", "CRS of the point: EPSG:N, an OGC URI or CRS84 (default).", false, str), at},
			map[string]any{"200": geo("The parcel as a GeoJSON Feature."), "400": problemOf("Bad lon, lat or crs."), "404": problemOf("No parcel at the point.")}),
		"/parcels/{ref}": get("getParcel", "A parcel by reference.", refHelp+" Escape a slash as %2F (or use /parcels/{foglio}/{particella}).",
			[]any{map[string]any{"name": "ref", "in": "path", "required": true, "description": "The reference.", "schema": str}, at},
			map[string]any{"200": geo("The parcel as a GeoJSON Feature."),
				"300": geo("The reference is ambiguous: a FeatureCollection of the candidates, each linked by its national reference."),
				"400": problemOf("The reference cannot be read."), "404": problemOf("No such parcel.")}),
		"/parcels/{foglio}/{particella}": get("getParcelBySheet", "A parcel by foglio and particella.", "The same as /parcels/{foglio}%2F{particella}.",
			[]any{map[string]any{"name": "foglio", "in": "path", "required": true, "description": "The foglio.", "schema": str},
				map[string]any{"name": "particella", "in": "path", "required": true, "description": "The particella.", "schema": str}, at},
			map[string]any{"200": geo("The parcel as a GeoJSON Feature."), "300": geo("Several parcels (sezioni, allegati): the candidates."),
				"400": problemOf("Not a foglio and particella."), "404": problemOf("No such parcel.")}),
	}
}
