package ingest

import (
	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/importers/broadband"
	"github.com/sit-gis/sit/importers/bulk"
	"github.com/sit-gis/sit/importers/catasto"
	"github.com/sit-gis/sit/importers/vector"
)

// Formats is the registry of every reader SIT has, built anew on each call
// (no package state). The specific readers come first: they claim, by
// content, some files with the generic formats' extensions (CXF zips,
// AGCOM and Infratel tables, Infratel JSON).
//
// Archives (the cadastre's bulk download, zips of other files) come first:
// they claim only the zips that hold no shapefile and no CXF sheet, and
// open what they hold with the other readers.
func Formats() *importers.Registry {
	inner := importers.NewRegistry(catasto.Formats(), broadband.Formats(), vector.Formats())
	return importers.NewRegistry(bulk.Formats(inner), catasto.Formats(), broadband.Formats(), vector.Formats())
}
