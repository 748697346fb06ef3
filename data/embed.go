// Package data ships the real sample datasets SIT's demo and tests use,
// with their sources and licences (SOURCES.md files beside them), and the
// synthetic Lucca generator in data/synth.
package data

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed admin/*.geojson admin/SOURCES.md lucca_046017_boundary.geojson sources/SOURCES.md sources/agcom_*.csv planning
var files embed.FS

// LuccaBoundary is the ISTAT boundary of the Comune di Lucca (046017) as
// GeoJSON: the frame of the synthetic demo layers.
func LuccaBoundary() []byte {
	b, _ := files.ReadFile("lucca_046017_boundary.geojson")
	return b
}

// Files is the embedded sample data.
func Files() fs.FS { return files }

// Extract writes the embedded file at name into dir and returns its path.
func Extract(name, dir string) (string, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return "", fmt.Errorf("bundled data %s: %w", name, err)
	}
	out := filepath.Join(dir, filepath.Base(name))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return "", err
	}
	return out, nil
}
