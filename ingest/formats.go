package ingest

import (
	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/importers/broadband"
	"github.com/sit-gis/sit/importers/catasto"
	"github.com/sit-gis/sit/importers/vector"
)

// Formats is the registry of every reader SIT has, built anew on each call
// (no package state). The specific readers come first: they claim, by
// content, some files with the generic formats' extensions (CXF zips,
// AGCOM and Infratel tables, Infratel JSON).
func Formats() *importers.Registry {
	return importers.NewRegistry(catasto.Formats(), broadband.Formats(), vector.Formats())
}
