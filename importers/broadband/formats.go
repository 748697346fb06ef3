// Package broadband reads the broadband coverage tables of the Italian
// public sector: AGCOM's Reportistica per comune (joined to municipal
// boundaries) and Infratel's consultation tables and 2028 house-number
// lists. Each claims its files by content, as they share .csv and .json
// with generic formats.
package broadband

import "github.com/sit-gis/sit/importers"

// Formats are this package's readers; they come before the generic ones
// in a registry.
func Formats() []importers.Format {
	return []importers.Format{
		{Name: "agcom", Exts: []string{".csv"}, Sniff: sniffAGCOM, Claims: claimsAGCOM, Open: openAGCOM},
		{Name: "infratel", Exts: []string{".csv", ".txt"}, Sniff: sniffInfratel, Claims: claimsInfratel, Open: openInfratel},
		{Name: "infratel2028", Exts: []string{".json"}, Sniff: sniffInfratel2028, Claims: claimsInfratel2028, Open: openInfratel2028},
	}
}
