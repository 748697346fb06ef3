// Package vector reads the generic GIS formats a municipal office receives:
// GeoJSON and GeoJSON sequences, Shapefiles (with dBase attributes, alone or
// zipped), GeoPackages and CSV tables with WKT or lon/lat columns.
package vector

import "github.com/sit-gis/sit/importers"

// Formats are this package's readers, in detection order. They come after
// the readers that claim some of the same extensions for specific content
// (CXF zips, AGCOM and Infratel tables).
func Formats() []importers.Format {
	return []importers.Format{
		{Name: "geojson", Exts: []string{".geojson", ".json", ".geojsonl", ".geojsons", ".ndjson", ".jsonl"}, Sniff: sniffJSON, Open: openGeoJSON},
		{Name: "shapefile", Exts: []string{".shp", ".zip"}, Sniff: sniffShapefile, Open: openShapefile},
		{Name: "gpkg", Exts: []string{".gpkg"}, Sniff: sniffGPKG, Open: openGPKG},
		{Name: "csv", Exts: []string{".csv", ".tsv", ".txt"}, Open: openCSV},
	}
}
