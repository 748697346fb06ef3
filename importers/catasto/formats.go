// Package catasto reads the maps of the Italian cadastre (Agenzia delle
// Entrate): CXF sheets (alone or zipped by comune) and INSPIRE
// CadastralParcels GML (downloads and WFS responses).
package catasto

import "github.com/sit-gis/sit/importers"

// Formats are this package's readers. They share extensions with generic
// formats (.zip, .xml) and claim only the files whose content is theirs,
// so they come first in a registry.
func Formats() []importers.Format {
	return []importers.Format{
		{Name: "cxf", Exts: []string{".cxf", ".ctf", ".zip"}, Sniff: sniffCXF, Claims: claimsCXF, Open: openCXF},
		{Name: "gml", Exts: []string{".gml", ".xml"}, Sniff: sniffGML, Claims: claimsGML, Open: openGML},
	}
}
