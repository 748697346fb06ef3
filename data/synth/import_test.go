package synth_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/sit-gis/sit/data/synth"
	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/ingest"
	"github.com/sit-gis/sit/layers"
)

// The files import as they are: the project's GeoJSON reader takes every
// record, and each layer carries the canonical columns of its kind, so no
// attribute mapping is needed.
func TestOutputImports(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("..", "lucca_046017_boundary.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := synth.ParseBoundary(data)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	m, err := synth.Generate(context.Background(), synth.Config{Parcels: 1000, Seed: 1, Boundary: b}, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Files {
		t.Run(f.Path, func(t *testing.T) {
			src, err := ingest.Formats().Open(filepath.Join(dir, f.Path), importers.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			if len(src.Datasets) != 1 || src.Datasets[0].Info.SRID != 4326 {
				t.Fatalf("datasets %+v", src.Datasets)
			}
			r, err := src.Datasets[0].Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var n int64
			for {
				feat, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("record %d: %v", n+1, err)
				}
				n++
				if feat.ID == "" || feat.Geometry == nil {
					t.Fatalf("record %d: id %q geometry %v", n, feat.ID, feat.Geometry)
				}
				for _, fld := range layers.CanonicalFields(f.Kind) {
					if _, ok := feat.Props[fld.Name]; !ok && !isDerived(f.Kind, fld.Name) {
						t.Fatalf("record %d: no %s column", n, fld.Name)
					}
				}
			}
			if n != f.Features {
				t.Errorf("read %d features, manifest says %d", n, f.Features)
			}
		})
	}
}

// isDerived tells the columns the loader computes (or may leave empty).
func isDerived(k layers.Kind, name string) bool {
	for _, d := range domain.DerivedColumns(k) {
		if d == name {
			return true
		}
	}
	return k == layers.KindBroadband && name == "area_class"
}
