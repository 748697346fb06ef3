package query

import (
	"fmt"

	"github.com/sit-gis/sit/internal/l10n"
)

// pageTexts are the words of the HTML pages, Italian and English, by key.
// A page asks for them with {{.T "key"}}; a key missing here renders as
// itself, and TestPageTextsComplete checks that every key the templates
// use is here.
func pageTexts() map[string][2]string {
	return map[string][2]string{
		"nav.home":             {"Inizio", "Home"},
		"nav.collections":      {"Dati", "Data"},
		"nav.map":              {"Mappa", "Map"},
		"nav.api":              {"API", "API"},
		"nav.conformance":      {"Conformità", "Conformance"},
		"nav.other":            {"English", "Italiano"},
		"landing.title":        {"Dati territoriali", "Territorial data"},
		"landing.description":  {"Sistema informativo territoriale: ogni strato del catalogo è una collezione di elementi, consultabile qui, sulla mappa e dai programmi GIS (OGC API Features).", "Territorial information system: every layer of the catalog is a collection of features, to browse here, on the map and from GIS software (OGC API Features)."},
		"landing.map":          {"Apri la mappa", "Open the map"},
		"landing.mapNote":      {"cerca una particella o un indirizzo, leggi le zone e scarica il report urbanistico", "find a parcel or an address, read its zones and download the zoning report"},
		"landing.data":         {"Dati", "Data"},
		"landing.dev":          {"Per i programmi GIS e gli sviluppatori", "For GIS software and developers"},
		"landing.gis":          {"In QGIS: Layer ▸ Aggiungi layer WFS ▸ Nuovo, indirizzo di questa pagina, versione «OGC API - Features».", "In QGIS: Layer ▸ Add WFS Layer ▸ New, this page's address, version “OGC API - Features”."},
		"landing.features":     {"elementi", "features"},
		"link.service-desc":    {"Definizione dell'API (OpenAPI 3.0, JSON)", "API definition (OpenAPI 3.0, JSON)"},
		"link.service-doc":     {"Documentazione dell'API", "API documentation"},
		"link.conformance":     {"Classi di conformità", "Conformance classes"},
		"link.data":            {"Collezioni", "Collections"},
		"link.tiling-schemes":  {"Schemi di tassellatura (TileMatrixSet)", "Tiling schemes (TileMatrixSet)"},
		"link.tilesets-vector": {"Tile vettoriali di tutti gli strati (OGC API Tiles)", "Vector tiles of all layers (OGC API Tiles)"},
		"json":                 {"JSON", "JSON"},
		"conformance.title":    {"Conformità", "Conformance"},
		"conformance.intro":    {"Questo server implementa queste classi di conformità degli standard OGC:", "This server implements these conformance classes of the OGC standards:"},
		"collections.title":    {"Dati", "Data"},
		"col.collection":       {"Collezione", "Collection"},
		"col.kind":             {"Tipo", "Kind"},
		"col.description":      {"Descrizione", "Description"},
		"col.features":         {"Elementi", "Features"},
		"col.browse":           {"sfoglia", "browse"},
		"collections.none":     {"Nessuna collezione: importa uno strato con sit import.", "No collections yet: import a layer with sit import."},
		"coll.id":              {"Identificativo", "Identifier"},
		"coll.attribution":     {"Fonte", "Source"},
		"coll.extent":          {"Estensione (lon/lat WGS84)", "Extent (lon/lat WGS84)"},
		"coll.time":            {"Periodo", "Time"},
		"coll.storage":         {"CRS di archiviazione", "Storage CRS"},
		"coll.crs":             {"CRS disponibili", "Output CRSs"},
		"coll.synthetic":       {"Dati sintetici, non reali.", "Synthetic data, not real."},
		"coll.browse":          {"Sfoglia gli elementi", "Browse the features"},
		"coll.onMap":           {"Vedi sulla mappa", "See on the map"},
		"coll.queryables":      {"Proprietà filtrabili", "Queryables"},
		"q.intro":              {"Filtra con ?nome=valore oppure con un filtro CQL2 (parametro filter).", "Filter with ?name=value or with a CQL2 filter (the filter parameter)."},
		"q.name":               {"Nome", "Name"},
		"q.type":               {"Tipo", "Type"},
		"q.format":             {"Formato", "Format"},
		"items.page":           {"%s elementi in questa pagina", "%s features on this page"},
		"items.of":             {"su %s", "of %s"},
		"items.prev":           {"« precedenti", "« previous"},
		"items.next":           {"successivi »", "next »"},
		"items.feature":        {"Elemento", "Feature"},
		"item.collection":      {"Collezione", "Collection"},
		"item.report":          {"Report urbanistico", "Zoning report"},
		"item.reportPDF":       {"PDF", "PDF"},
		"item.onMap":           {"Apri sulla mappa", "Open on the map"},
		"item.property":        {"Proprietà", "Property"},
		"item.value":           {"Valore", "Value"},
		"map.label":            {"Mappa degli elementi", "Map of the features"},
		"map.scale":            {"Scala", "Scale"},
		"map.noscript":         {"Mappa semplificata (la mappa completa, con la base cartografica, richiede JavaScript e WebGL).", "Simplified map (the full map, with the base map, needs JavaScript and WebGL)."},
		"api.intro":            {"La definizione leggibile dai programmi è in /api (OpenAPI 3.0).", "The machine-readable definition is at /api (OpenAPI 3.0)."},
		"api.param":            {"Parametro", "Parameter"},
		"api.in":               {"In", "In"},
		"api.type":             {"Tipo", "Type"},
		"api.description":      {"Descrizione", "Description"},
		"kind.cadastral":       {"Catasto", "Cadastre"},
		"kind.zoning":          {"Urbanistica", "Zoning"},
		"kind.constraint":      {"Vincoli", "Constraints"},
		"kind.broadband":       {"Banda larga", "Broadband"},
		"kind.boundary":        {"Confini e zone", "Boundaries and zones"},
		"kind.address":         {"Indirizzi", "Addresses"},
		"kind.generic":         {"Altri livelli", "Other layers"},
		"yes":                  {"sì", "yes"},
		"no":                   {"no", "no"},
	}
}

// textOf looks a key up in lang; a missing key is returned as it is.
func textOf(texts map[string][2]string, lang l10n.Lang, key string) string {
	t, ok := texts[key]
	if !ok {
		return key
	}
	if lang == l10n.En {
		return t[1]
	}
	return t[0]
}

// textfOf is textOf with the key's text as a format.
func textfOf(texts map[string][2]string, lang l10n.Lang, key string, args ...any) string {
	return fmt.Sprintf(textOf(texts, lang, key), args...)
}
