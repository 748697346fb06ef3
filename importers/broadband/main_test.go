package broadband

import "github.com/sit-gis/sit/importers"

// open reads a file with this package's formats, as the import core does
// with the full registry.
func open(path string, opt importers.Options) (*importers.Source, error) {
	return importers.NewRegistry(Formats()).Open(path, opt)
}
