package query

import (
	"context"
	"maps"
	"sort"
	"strconv"
	"strings"

	"github.com/sit-gis/sit/layers"
)

// obj is a JSON object of the OpenAPI document.
type obj = map[string]any

func ref(kind, name string) obj { return obj{"$ref": "#/components/" + kind + "/" + name} }

func problemResponses(codes ...int) obj {
	out := obj{}
	for _, c := range codes {
		name := map[int]string{400: "BadRequest", 404: "NotFound", 500: "ServerError", 503: "Unavailable"}[c]
		out[strconv.Itoa(c)] = ref("responses", name)
	}
	return out
}

// serverResponses are what any operation may answer because of the
// server's bounds (internal/server), whatever its route: a body larger
// than --max-body-bytes, more requests in progress from one address than
// --max-requests-per-ip, a database outage or the request's deadline.
func serverResponses() map[string]string {
	return map[string]string{"413": "TooLarge", "429": "TooManyRequests", "503": "Unavailable"}
}

// withServerResponses adds serverResponses to every operation of paths
// (the contributed ones too) that does not describe them itself.
func withServerResponses(paths obj) {
	for _, item := range paths {
		ops, _ := item.(obj)
		for method, op := range ops {
			opm, ok := op.(obj)
			if !ok {
				continue
			}
			responses := obj{}
			if old, ok := opm["responses"].(obj); ok {
				maps.Copy(responses, old)
			}
			for code, name := range serverResponses() {
				if _, has := responses[code]; !has {
					responses[code] = ref("responses", name)
				}
			}
			op := maps.Clone(opm)
			op["responses"] = responses
			ops[method] = op
		}
	}
}

func jsonResponse(desc, schema string, mediaTypes ...string) obj {
	content := obj{}
	for _, mt := range mediaTypes {
		content[mt] = obj{"schema": ref("schemas", schema)}
	}
	content[mtHTML] = obj{"schema": obj{"type": "string"}}
	return obj{"description": desc, "content": content}
}

func operation(id, summary, desc string, tags []string, params []any, ok obj, problems ...int) obj {
	responses := problemResponses(problems...)
	responses["200"] = ok
	op := obj{"operationId": id, "summary": summary, "tags": tags, "responses": responses}
	if desc != "" {
		op["description"] = desc
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	return op
}

// itemsParams are the parameters of every items operation.
func itemsParams() []any {
	var out []any
	for _, n := range []string{"f", "limit", "offset", "after", "before", "bbox", "bbox-crs", "crs", "datetime", "properties",
		"skipGeometry", "sortby", "filter", "filter-lang", "filter-crs", "lang"} {
		out = append(out, ref("parameters", n))
	}
	return out
}

// queryableParam is a queryable as a plain query parameter: written
// inline (no $ref) so that GDAL finds it and pushes -where to the server.
func queryableParam(p layers.Property) obj {
	schema := obj{"type": p.Type.JSONSchemaType()}
	switch p.Type {
	case layers.TypeDate:
		schema["format"] = "date"
	case layers.TypeTimestamp:
		schema["format"] = "date-time"
	case layers.TypeJSON:
		schema = obj{"type": "string"}
	}
	return obj{"name": p.Name, "in": "query", "required": false, "style": "form", "explode": true,
		"description": "Select the features whose " + p.Name + " equals the value (repeat the parameter for any of several values).",
		"schema":      schema}
}

// OpenAPI builds the OpenAPI 3.0 document of the whole server for base.
func (s *Service) OpenAPI(ctx context.Context, base string) obj {
	tags := []string{"Capabilities"}
	data := []string{"Data"}
	paths := obj{
		"/": obj{"get": operation("getLandingPage", "Landing page", "Links to the API definition, the conformance classes and the collections.",
			tags, []any{ref("parameters", "f"), ref("parameters", "lang")}, jsonResponse("The landing page.", "landingPage", mtJSON), 400, 500)},
		"/conformance": obj{"get": operation("getConformance", "Conformance classes", "The OGC conformance classes this server implements.",
			tags, []any{ref("parameters", "f"), ref("parameters", "lang")}, jsonResponse("The conformance declaration.", "confClasses", mtJSON), 400, 500)},
		"/api": obj{"get": operation("getAPI", "This API definition", "", tags, []any{ref("parameters", "f"), ref("parameters", "lang")},
			obj{"description": "The OpenAPI 3.0 document.", "content": obj{mtOpenAPI: obj{"schema": obj{"type": "object"}}, mtHTML: obj{"schema": obj{"type": "string"}}}}, 400)},
		"/api.html": obj{"get": operation("getAPIDocumentation", "This API as a web page", "", tags, []any{ref("parameters", "lang")},
			obj{"description": "The API documentation.", "content": obj{mtHTML: obj{"schema": obj{"type": "string"}}}})},
		"/collections": obj{"get": operation("getCollections", "The collections", "One collection per catalog layer.",
			tags, []any{ref("parameters", "f"), ref("parameters", "lang")}, jsonResponse("The collections.", "collections", mtJSON), 400, 500)},
		"/collections/{collectionId}": obj{"get": operation("describeCollection", "A collection", "Title, extent, CRS and links of a collection.",
			tags, []any{ref("parameters", "collectionId"), ref("parameters", "f"), ref("parameters", "lang")}, jsonResponse("The collection.", "collection", mtJSON), 400, 404, 500)},
		"/collections/{collectionId}/queryables": obj{"get": operation("getQueryables", "The queryables of a collection",
			"A JSON Schema of the properties that filters and plain query parameters may use.",
			tags, []any{ref("parameters", "collectionId"), ref("parameters", "f"), ref("parameters", "lang")},
			obj{"description": "The queryables.", "content": obj{mtSchema: obj{"schema": obj{"type": "object"}}, mtHTML: obj{"schema": obj{"type": "string"}}}}, 400, 404)},
		"/collections/{collectionId}/items": obj{"get": operation("getFeatures", "The features of a collection", itemsDescription,
			data, append([]any{ref("parameters", "collectionId")}, itemsParams()...), itemsResponse(), 400, 404, 500, 503)},
		"/collections/{collectionId}/items/{featureId}": obj{"get": operation("getFeature", "One feature", "",
			data, []any{ref("parameters", "collectionId"), ref("parameters", "featureId"), ref("parameters", "f"), ref("parameters", "crs"), ref("parameters", "lang")},
			obj{"description": "The feature.", "headers": obj{"Content-Crs": ref("headers", "Content-Crs")},
				"content": obj{mtGeoJSON: obj{"schema": ref("schemas", "featureGeoJSON")}, mtHTML: obj{"schema": obj{"type": "string"}}}}, 400, 404, 500)},
	}
	// One literal path per collection, listing its queryables: GDAL pushes
	// a -where down as ?name=value only for parameters listed here.
	for _, l := range s.cat.Layers(ctx) {
		params := itemsParams()
		for _, p := range l.Properties {
			if p.Queryable && !isStandardParam(p.Name) {
				params = append(params, queryableParam(p))
			}
		}
		title := l.Title
		if title == "" {
			title = l.Name
		}
		paths["/collections/"+l.Name+"/items"] = obj{"get": operation("getFeatures_"+l.Name, "The features of "+title,
			itemsDescription, data, params, itemsResponse(), 400, 404, 500, 503)}
	}
	for _, contribute := range s.opt.Paths {
		for k, v := range contribute() {
			if _, taken := paths[k]; !taken {
				paths[k] = v
			}
		}
	}
	withServerResponses(paths)
	return obj{
		"openapi": "3.0.3",
		"info": obj{"title": s.opt.Title, "version": "1.0.0", "description": s.opt.Description,
			"license": obj{"name": "EUPL-1.2", "url": "https://joinup.ec.europa.eu/collection/eupl/eupl-text-eupl-12"}},
		"servers":    []any{obj{"url": base, "description": "this server"}},
		"tags":       []any{obj{"name": "Capabilities", "description": "What the server offers."}, obj{"name": "Data", "description": "The features."}},
		"paths":      paths,
		"components": components(s.opt.DefaultLimit, s.opt.MaxLimit),
	}
}

func isStandardParam(name string) bool {
	for _, p := range standardParams {
		if p == name {
			return true
		}
	}
	return false
}

const itemsDescription = "GeoJSON, streamed as the database returns the rows. Paging: follow the `next` link, which seeks by feature id " +
	"(`after`), so that deep pages cost as little as the first; `offset` is accepted too. `limit` defaults to 10; a limit above the " +
	"maximum is reduced to it and the response carries the `OGC-Limit-Clamped` header with the limit used. `numberMatched` is exact for a whole " +
	"collection (from the catalog), for a last page, and for up to 10 000 matches (a bounded count); above that it is the database " +
	"planner's estimate, and pages reached through `after`/`before` under a filter carry none. Queryables may be given as plain " +
	"parameters (`?foglio=37`). `datetime` applies to the collection's time property, if it has one, and is ignored otherwise."

func itemsResponse() obj {
	return obj{"description": "A page of features.",
		"headers": obj{"Content-Crs": ref("headers", "Content-Crs"), LimitClampedHeader: ref("headers", LimitClampedHeader)},
		"content": obj{mtGeoJSON: obj{"schema": ref("schemas", "featureCollectionGeoJSON")}, mtHTML: obj{"schema": obj{"type": "string"}}}}
}

// components are the shared parts of the document. The limit parameter
// declares the server's default and maximum: GDAL and QGIS size their pages
// from them (without a maximum GDAL pages by 10).
func components(defaultLimit, maxLimit int) obj {
	crsEnum := CRSURIs()
	strSchema := obj{"type": "string"}
	qp := func(name, desc string, schema obj) obj {
		return obj{"name": name, "in": "query", "required": false, "description": desc, "schema": schema, "style": "form", "explode": false}
	}
	problemSchema := obj{"type": "object", "required": []any{"title", "status"}, "properties": obj{
		"type": strSchema, "title": strSchema, "status": obj{"type": "integer"}, "detail": strSchema,
		"instance": strSchema, "parameter": obj{"type": "string", "description": "the parameter at fault"}}}
	problemResp := func(desc string) obj {
		return obj{"description": desc, "content": obj{"application/problem+json": obj{"schema": ref("schemas", "problem")}}}
	}
	retryLater := func(desc string) obj {
		r := problemResp(desc)
		r["headers"] = obj{"Retry-After": ref("headers", "Retry-After")}
		return r
	}
	link := obj{"type": "object", "required": []any{"href", "rel"}, "properties": obj{
		"href": strSchema, "rel": strSchema, "type": strSchema, "title": strSchema, "templated": obj{"type": "boolean"}}}
	links := obj{"type": "array", "items": ref("schemas", "link")}
	return obj{
		"parameters": obj{
			"collectionId": obj{"name": "collectionId", "in": "path", "required": true, "description": "The collection (layer) name.", "schema": strSchema},
			"featureId":    obj{"name": "featureId", "in": "path", "required": true, "description": "The feature id.", "schema": strSchema},
			"f":            qp("f", "The format of the response; overrides the Accept header.", obj{"type": "string", "enum": []any{"json", "html"}}),
			"lang": qp("lang", "The language of the HTML pages (Italian by default, else as Accept-Language asks); JSON documents are the same in every language.",
				obj{"type": "string", "enum": []any{"it", "en"}}),
			"limit": qp("limit", "The number of features per page. A larger limit than the maximum is reduced to it (see the OGC-Limit-Clamped header).",
				obj{"type": "integer", "minimum": 1, "default": defaultLimit, "maximum": maxLimit}),
			"offset": qp("offset", "The number of matching features to skip.", obj{"type": "integer", "minimum": 0, "default": 0}),
			"after":  qp("after", "Key paging: the page starts after the feature with this id (used by next links).", strSchema),
			"before": qp("before", "Key paging: the page ends before the feature with this id (used by prev links).", strSchema),
			"bbox": qp("bbox", "Features whose geometry intersects the box minx,miny,maxx,maxy (in bbox-crs, default CRS84 longitude/latitude).",
				obj{"type": "array", "minItems": 4, "maxItems": 6, "items": obj{"type": "number"}}),
			"bbox-crs": qp("bbox-crs", "The CRS of bbox.", obj{"type": "string", "format": "uri", "enum": toAny(crsEnum)}),
			"crs":      qp("crs", "The CRS of the returned geometries (see Content-Crs).", obj{"type": "string", "format": "uri", "enum": toAny(crsEnum)}),
			"datetime": qp("datetime", "An instant or an interval (RFC 3339, open ends as ..) on the collection's time property.", strSchema),
			"properties": qp("properties", "The properties to return (comma-separated).",
				obj{"type": "array", "items": strSchema}),
			"skipGeometry": qp("skipGeometry", "Leave the geometries out.", obj{"type": "boolean", "default": false}),
			"sortby": qp("sortby", "Sort by properties: +name ascending, -name descending, comma-separated.",
				obj{"type": "array", "items": obj{"type": "string", "pattern": `^[+-]?[A-Za-z_][A-Za-z0-9_]*$`}}),
			"filter":      qp("filter", "A CQL2 filter (text or JSON, see filter-lang) on the queryables.", strSchema),
			"filter-lang": qp("filter-lang", "The encoding of filter (cql-text, the drafts' name GDAL 3.6 sends, is read as cql2-text).", obj{"type": "string", "enum": []any{"cql2-text", "cql2-json", "cql-text"}, "default": "cql2-text"}),
			"filter-crs":  qp("filter-crs", "The CRS of the geometry literals of filter.", obj{"type": "string", "format": "uri", "enum": toAny(crsEnum)}),
		},
		"headers": obj{
			"Content-Crs":      obj{"description": "The CRS of the geometries, as <URI>.", "schema": strSchema},
			LimitClampedHeader: obj{"description": "Present when the limit asked was above the maximum: the limit used.", "schema": obj{"type": "integer"}},
			"Retry-After":      obj{"description": "Seconds to wait before retrying.", "schema": obj{"type": "integer", "minimum": 0}},
		},
		"responses": obj{
			"BadRequest":      problemResp("A parameter is invalid; the problem names it."),
			"NotFound":        problemResp("No such collection or feature."),
			"ServerError":     problemResp("A server fault."),
			"TooLarge":        problemResp("The request body is larger than the server accepts (the problem names `body`)."),
			"TooManyRequests": retryLater("Too many requests in progress from the client's address; retry after Retry-After seconds."),
			"Unavailable": retryLater("The database is unavailable (retry after Retry-After seconds), the request took longer than " +
				"the server allows, or the collection is being replaced."),
		},
		"schemas": obj{
			"problem":     problemSchema,
			"link":        link,
			"landingPage": obj{"type": "object", "required": []any{"links"}, "properties": obj{"title": strSchema, "description": strSchema, "links": links}},
			"confClasses": obj{"type": "object", "required": []any{"conformsTo"}, "properties": obj{"conformsTo": obj{"type": "array", "items": strSchema}}},
			"collection": obj{"type": "object", "required": []any{"id", "links"}, "properties": obj{
				"id": strSchema, "title": strSchema, "description": strSchema, "itemType": strSchema, "links": links,
				"extent": obj{"type": "object"}, "crs": obj{"type": "array", "items": strSchema}, "storageCrs": strSchema}},
			"collections": obj{"type": "object", "required": []any{"links", "collections"}, "properties": obj{
				"links": links, "collections": obj{"type": "array", "items": ref("schemas", "collection")}, "crs": obj{"type": "array", "items": strSchema}}},
			"featureGeoJSON": obj{"type": "object", "required": []any{"type", "geometry", "properties"}, "properties": obj{
				"type": obj{"type": "string", "enum": []any{"Feature"}}, "id": obj{"oneOf": []any{strSchema, obj{"type": "integer"}}},
				"geometry": obj{"type": "object", "nullable": true}, "properties": obj{"type": "object", "nullable": true}, "links": links}},
			"featureCollectionGeoJSON": obj{"type": "object", "required": []any{"type", "features"}, "properties": obj{
				"type": obj{"type": "string", "enum": []any{"FeatureCollection"}}, "features": obj{"type": "array", "items": ref("schemas", "featureGeoJSON")},
				"links": links, "timeStamp": obj{"type": "string", "format": "date-time"},
				"numberMatched": obj{"type": "integer", "minimum": 0}, "numberReturned": obj{"type": "integer", "minimum": 0}}},
		},
	}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// apiOp is one operation of the HTML rendering of the API.
type apiOp struct {
	Method, Path, Summary, Description string
	Params                             []apiParam
}

type apiParam struct {
	Name, In, Type, Description string
	Required                    bool
}

type apiPage struct {
	Description string
	Ops         []apiOp
}

// apiHTML flattens the OpenAPI document into a readable list.
func apiHTML(doc obj) apiPage {
	page := apiPage{}
	if info, ok := doc["info"].(obj); ok {
		page.Description, _ = info["description"].(string)
	}
	paths, _ := doc["paths"].(obj)
	comps, _ := doc["components"].(obj)
	params, _ := comps["parameters"].(obj)
	keys := make([]string, 0, len(paths))
	for k := range paths {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, path := range keys {
		item, _ := paths[path].(obj)
		methods := make([]string, 0, len(item))
		for m := range maps.Keys(item) {
			methods = append(methods, m)
		}
		sort.Strings(methods)
		for _, m := range methods {
			op, ok := item[m].(obj)
			if !ok {
				continue
			}
			ao := apiOp{Method: strings.ToUpper(m), Path: path}
			ao.Summary, _ = op["summary"].(string)
			ao.Description, _ = op["description"].(string)
			list, _ := op["parameters"].([]any)
			for _, p := range list {
				pm, _ := p.(obj)
				if r, ok := pm["$ref"].(string); ok {
					pm, _ = params[strings.TrimPrefix(r, "#/components/parameters/")].(obj)
				}
				if pm == nil {
					continue
				}
				ap := apiParam{}
				ap.Name, _ = pm["name"].(string)
				ap.In, _ = pm["in"].(string)
				ap.Description, _ = pm["description"].(string)
				ap.Required, _ = pm["required"].(bool)
				if sch, ok := pm["schema"].(obj); ok {
					ap.Type, _ = sch["type"].(string)
				}
				ao.Params = append(ao.Params, ap)
			}
			page.Ops = append(page.Ops, ao)
		}
	}
	return page
}
