package reports

// OpenAPIPaths returns the OpenAPI 3.0 path items of the report and
// analytics routes, keyed by path, for the /api document. Errors are
// problem+json naming the parameter at fault.
func OpenAPIPaths() map[string]any {
	str := map[string]any{"type": "string"}
	date := map[string]any{"type": "string", "format": "date"}
	zoningDesc := "For each parcel, every zone of the zoning layers (role zoning) and every constraint (role constraints) it intersects: " +
		"intersected area in m² on the WGS84 spheroid (PostGIS geography, the same method as the parcel's area) and % of the parcel, zone class, " +
		"description, rule reference, plan name, version and import date. Pieces under the border-effect thresholds (default < 1 m² or < 0.1 %) " +
		"are listed apart; totals are sums of the rounded rows (zones + border effects + unzoned = the parcel). HTML is a self-contained printable " +
		"page, PDF an A4 document with a vector map of the parcel, zones and constraints. Informative: not a certificato di destinazione urbanistica (DPR 380/2001 art. 30)."
	zoningResps := map[string]any{
		"200": apiContent("The report.", JSONType, HTMLType, PDFType),
		"400": apiProblem("Missing, unreadable or ambiguous parcel (the detail lists the candidates), too many parcels, or a bad f."),
		"404": apiProblem("No such parcel, or no cadastre or zoning layer."),
	}
	tagsR := []string{"Reports"}
	tagsA := []string{"Analytics"}
	snap := apiQuery("snapshot", "Snapshot date (default: the latest).", false, date)
	cmp := apiQuery("compare", "An earlier (or other) snapshot to compare with.", false, date)
	return map[string]any{
		"/reports/zoning": map[string]any{
			"get": apiOp("zoningReport", "Zoning report of one or more parcels.", zoningDesc, tagsR, []any{
				map[string]any{"name": "parcel", "in": "query", "required": true, "description": "A cadastral reference in any spelling /parcels/search reads; repeat for several parcels.",
					"schema": map[string]any{"type": "array", "items": str}, "style": "form", "explode": true},
				apiQuery("f", "Output format.", false, apiEnum("json", "html", "pdf")),
				apiQuery("at", "The date to report about (YYYY-MM-DD, the end of that day in Italian time, or an RFC 3339 instant): the instruments and their rules as they were then. Default now.", false, str),
			}, zoningResps),
			"post": map[string]any{"operationId": "zoningReportPost", "summary": "Zoning report of a list of parcels.", "description": zoningDesc, "tags": tagsR,
				"requestBody": map[string]any{"required": true, "content": map[string]any{
					"application/json": map[string]any{"schema": map[string]any{"type": "object", "required": []string{"parcels"}, "properties": map[string]any{
						"parcels": map[string]any{"type": "array", "items": str}, "f": apiEnum("json", "html", "pdf")}}},
					"application/x-www-form-urlencoded": map[string]any{"schema": map[string]any{"type": "object", "properties": map[string]any{
						"parcel": map[string]any{"type": "array", "items": str}, "f": apiEnum("json", "html", "pdf")}}}}},
				"responses": zoningResps},
		},
		"/reports/uses": map[string]any{"get": apiOp("admittedUse", "May a use be located on a parcel? (SUAP)",
			"yes, no or conditional: the zones of the parcel under the registered instruments that apply (in force, and adopted under safeguard measures, "+
				"whose stricter answer holds), what each zone's table of admitted uses says, the condition and the article. A use the table does not list is not admitted.", tagsR, []any{
				apiQuery("parcel", "One cadastral reference.", true, str), apiQuery("use", "A use code or label of the tables (commerciale.vicinato).", true, str),
				apiQuery("at", "The date to answer about (default now).", false, str), apiQuery("f", "Output format.", false, apiEnum("json")),
			}, map[string]any{"200": apiContent("The answer with its reasons.", JSONType), "400": apiProblem("Missing or unknown use or parcel, bad at, named."),
				"404": apiProblem("No such parcel, or no zone of a registered plan with a table of uses.")})},
		"/analytics/broadband": map[string]any{"get": apiOp("broadbandByZone", "Broadband coverage by zone.",
			"Per zone of any polygon layer: addresses and households by speed band (<30, 30-100, 100-1000, >=1000 Mbit/s) and by area class "+
				"(white, grey, black), with shares; the addresses outside every zone and the total. With compare: the previous counts, the change, "+
				"and which zones improved (share at >=100 Mbit/s up or white share down, neither the other way).", tagsA, []any{
				apiQuery("zones", "The polygon layer to aggregate by (default: the one layer with the role zones).", false, str),
				snap, cmp, apiQuery("coverage", "The broadband layer (default: role coverage).", false, str), apiQuery("f", "Output format.", false, apiEnum("json", "csv")),
			}, map[string]any{"200": apiContent("The analytics.", JSONType, CSVType), "400": apiProblem("A bad parameter, named."), "404": apiProblem("Unknown layer or snapshot.")})},
		"/analytics/broadband/white": map[string]any{"get": apiOp("whiteAreas", "Addresses of white areas.",
			"The addresses without an NGA network (area class white, < 30 Mbit/s) at a snapshot, with their zone: the list for intervention planning.", tagsA, []any{
				apiQuery("zones", "A polygon layer naming each address's zone.", false, str), apiQuery("zone", "The fid of one zone of zones.", false, str),
				snap, apiQuery("coverage", "The broadband layer (default: role coverage).", false, str),
				apiQuery("limit", "Page size (default 1000).", false, map[string]any{"type": "integer", "minimum": 1}),
				apiQuery("offset", "Rows to skip.", false, map[string]any{"type": "integer", "minimum": 0}),
				apiQuery("f", "Output format.", false, apiEnum("json", "csv", "geojson")),
			}, map[string]any{"200": apiContent("The addresses.", JSONType, CSVType, GeoJSONType), "400": apiProblem("A bad parameter, named."), "404": apiProblem("Unknown layer or snapshot.")})},
		"/analytics/agcom": map[string]any{"get": apiOp("agcomComuni", "AGCOM FTTH coverage per comune (choropleth).",
			"The AGCOM Broadband map figures per comune (role agcom), counts exactly as published, with the FTTH share of addresses and of households; "+
				"with compare, the earlier figures and the changes. GeoJSON features carry the comune boundary.", tagsA, []any{
				snap, cmp, apiQuery("f", "Output format.", false, apiEnum("geojson", "json", "csv")),
			}, map[string]any{"200": apiContent("The comuni.", GeoJSONType, JSONType, CSVType), "400": apiProblem("A bad date, named."), "404": apiProblem("No AGCOM layer, or no such snapshot.")})},
	}
}

// apiProblem is a problem+json response of the OpenAPI document.
func apiProblem(desc string) map[string]any {
	return map[string]any{"description": desc, "content": map[string]any{
		"application/problem+json": map[string]any{"schema": map[string]any{"type": "object", "properties": map[string]any{
			"type": map[string]any{"type": "string"}, "title": map[string]any{"type": "string"}, "status": map[string]any{"type": "integer"},
			"detail": map[string]any{"type": "string"}, "parameter": map[string]any{"type": "string"}}}}}}
}

// apiContent is a response in the given media types (CSV, PDF and HTML
// are strings, the others objects).
func apiContent(desc string, types ...string) map[string]any {
	c := map[string]any{}
	for _, t := range types {
		s := map[string]any{"type": "object"}
		if t == CSVType || t == PDFType || t == HTMLType {
			s = map[string]any{"type": "string"}
		}
		c[t] = map[string]any{"schema": s}
	}
	return map[string]any{"description": desc, "content": c}
}

// apiQuery is a query parameter.
func apiQuery(name, desc string, required bool, schema map[string]any) map[string]any {
	return map[string]any{"name": name, "in": "query", "required": required, "description": desc, "schema": schema}
}

// apiEnum is a string schema of the values vs, the first the default.
func apiEnum(vs ...string) map[string]any {
	return map[string]any{"type": "string", "enum": vs, "default": vs[0]}
}

// apiOp is an operation.
func apiOp(id, summary, desc string, tags []string, params []any, resps map[string]any) map[string]any {
	return map[string]any{"operationId": id, "summary": summary, "description": desc, "tags": tags, "parameters": params, "responses": resps}
}
