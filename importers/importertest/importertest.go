// Package importertest holds what the readers' tests share: reading a
// whole dataset, finding one by name, writing a fixture file.
package importertest

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/layers"
)

// ReadAll drains r: the features, the records it skipped (RecordError),
// and the fatal error that stopped it, if any.
func ReadAll(t testing.TB, r layers.FeatureReader) ([]layers.Feature, []*layers.RecordError, error) {
	t.Helper()
	var feats []layers.Feature
	var skipped []*layers.RecordError
	for {
		f, err := r.Next()
		if errors.Is(err, io.EOF) {
			return feats, skipped, nil
		}
		var re *layers.RecordError
		if errors.As(err, &re) {
			skipped = append(skipped, re)
			continue
		}
		if err != nil {
			return feats, skipped, err
		}
		feats = append(feats, f)
	}
}

// ReadDataset opens and reads a whole dataset; a fatal error fails the test.
func ReadDataset(t testing.TB, ds importers.Dataset) ([]layers.Feature, []*layers.RecordError) {
	t.Helper()
	r, err := ds.Open()
	if err != nil {
		t.Fatalf("open %s: %v", ds.Info.Name, err)
	}
	defer r.Close()
	feats, skipped, err := ReadAll(t, r)
	if err != nil {
		t.Fatalf("read %s: %v", ds.Info.Name, err)
	}
	return feats, skipped
}

// Dataset returns the dataset of src named name, failing the test without it.
func Dataset(t testing.TB, src *importers.Source, name string) importers.Dataset {
	t.Helper()
	var names []string
	for _, ds := range src.Datasets {
		if ds.Info.Name == name {
			return ds
		}
		names = append(names, ds.Info.Name)
	}
	t.Fatalf("no dataset %q (have %v)", name, names)
	return importers.Dataset{}
}

// WriteFile writes content to dir/name and returns the path.
func WriteFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// CountBy counts the features by the value of one property.
func CountBy(feats []layers.Feature, key string) map[any]int {
	m := map[any]int{}
	for _, f := range feats {
		m[f.Props[key]]++
	}
	return m
}
