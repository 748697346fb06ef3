package vector

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/importers/importertest"
	"github.com/sit-gis/sit/layers"
)

// readGeoJSON drains a reader: features, record errors, and the fatal error.
func readGeoJSON(t *testing.T, path string, opt importers.Options) ([]layers.Feature, []*layers.RecordError, error, int) {
	t.Helper()
	src, err := open(path, opt)
	if err != nil {
		return nil, nil, err, 0
	}
	defer src.Close()
	r, err := src.Datasets[0].Open()
	if err != nil {
		return nil, nil, err, 0
	}
	defer r.Close()
	var fs []layers.Feature
	var res []*layers.RecordError
	for {
		f, err := r.Next()
		if errors.Is(err, io.EOF) {
			return fs, res, nil, src.Datasets[0].Info.SRID
		}
		var re *layers.RecordError
		if errors.As(err, &re) {
			res = append(res, re)
			continue
		}
		if err != nil {
			return fs, res, err, src.Datasets[0].Info.SRID
		}
		fs = append(fs, f)
	}
}

func feature(i int) string {
	return fmt.Sprintf(`{"type":"Feature","id":%d,"properties":{"n":%d,"name":"Città %d","big":12345678901234567,"x":1.5,"o":{"a":[1,2]}},"geometry":{"type":"Point","coordinates":[10.5,43.8]}}`, i, i, i)
}

func TestGeoJSONReaders(t *testing.T) {
	many := make([]string, 1000)
	for i := range many {
		many[i] = feature(i + 1)
	}
	tests := []struct {
		name     string
		file     string
		content  string
		opt      importers.Options
		features int
		rejects  []int64
		fatal    string
		srid     int
	}{
		{"collection", "a.geojson", `{"type":"FeatureCollection","features":[` + strings.Join(many, ",") + `]}`, importers.Options{}, 1000, nil, "", 4326},
		{"sequence with record separators", "a.geojsonl", "\x1e" + strings.Join(many[:300], "\n\x1e") + "\n", importers.Options{}, 300, nil, "", 4326},
		{"legacy crs member", "b.geojson", `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3003"}},"features":[` + feature(1) + `]}`, importers.Options{}, 1, nil, "", 3003},
		{"srid flag wins", "b.geojson", `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3003"}},"features":[` + feature(1) + `]}`, importers.Options{SRID: 6707}, 1, nil, "", 6707},
		{"bad feature in a collection is skipped", "c.geojson", `{"type":"FeatureCollection","features":[` + feature(1) + `,{"type":"Feature","geometry":{"type":"Point","coordinates":"x"}},42,` + feature(4) + `]}`, importers.Options{}, 2, []int64{2, 3}, "", 4326},
		{"bad line in a sequence is skipped", "d.geojsonl", feature(1) + "\n{not json\n" + feature(3) + "\n", importers.Options{}, 2, []int64{2}, "", 4326},
		{"truncated collection", "e.geojson", `{"type":"FeatureCollection","features":[` + feature(1) + `,` + feature(2)[:40], importers.Options{}, 1, nil, "truncated", 4326},
		{"truncated sequence", "f.geojsonl", feature(1) + "\n" + feature(2)[:30], importers.Options{}, 1, nil, "truncated", 4326},
		{"garbage in a collection", "g.geojson", `{"type":"FeatureCollection","features":[` + feature(1) + `,@@@]}`, importers.Options{}, 1, nil, "malformed", 4326},
		{"no features member", "h.geojson", `{"type":"FeatureCollection"}`, importers.Options{}, 0, nil, "no \"features\"", 4326},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := importertest.WriteFile(t, t.TempDir(), tc.file, tc.content)
			fs, res, err, srid := readGeoJSON(t, p, tc.opt)
			if tc.fatal == "" && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if tc.fatal != "" && (err == nil || !strings.Contains(err.Error(), tc.fatal) || !strings.Contains(err.Error(), tc.file)) {
				t.Fatalf("error %v, want one naming %s and %q", err, tc.file, tc.fatal)
			}
			if len(fs) != tc.features {
				t.Fatalf("%d features, want %d", len(fs), tc.features)
			}
			if len(res) != len(tc.rejects) {
				t.Fatalf("record errors %v, want records %v", res, tc.rejects)
			}
			for i, re := range res {
				if re.Record != tc.rejects[i] {
					t.Fatalf("record error %d is record %d, want %d", i, re.Record, tc.rejects[i])
				}
			}
			if tc.fatal == "" && srid != tc.srid {
				t.Fatalf("SRID %d, want %d", srid, tc.srid)
			}
			// Order and values survive the parallel decoding.
			prev := int64(0)
			for _, f := range fs {
				if f.Record <= prev {
					t.Fatalf("records out of order: %d after %d", f.Record, prev)
				}
				prev = f.Record
				if f.ID != fmt.Sprint(f.Props["n"]) || f.Props["big"] != int64(12345678901234567) || f.Props["x"] != 1.5 {
					t.Fatalf("feature %d decoded as %+v", f.Record, f)
				}
				if p, ok := f.Geometry.(orb.Point); !ok || p != (orb.Point{10.5, 43.8}) {
					t.Fatalf("geometry %v", f.Geometry)
				}
			}
		})
	}
}

func TestGeoJSONCloseEarly(t *testing.T) {
	many := make([]string, 5000)
	for i := range many {
		many[i] = feature(i + 1)
	}
	p := importertest.WriteFile(t, t.TempDir(), "big.geojsonl", strings.Join(many, "\n"))
	src, err := open(p, importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := src.Datasets[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	// Closing with most of the file unread must not block or leak a panic.
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	src.Close()
}

func TestGeoJSONNotGeoJSON(t *testing.T) {
	p := importertest.WriteFile(t, t.TempDir(), "x.geojson", `{"type":"Topology","objects":{}}`)
	if _, err := open(p, importers.Options{}); err == nil || !strings.Contains(err.Error(), "Topology") {
		t.Fatalf("err = %v", err)
	}
}

func BenchmarkGeoJSONSequence(b *testing.B) {
	var sb strings.Builder
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&sb, `{"type":"Feature","id":%d,"properties":{"comune":"E715","foglio":"37","particella":"%d","ref":"E715_003700.%d"},"geometry":{"type":"Polygon","coordinates":[[[10.5,43.8],[10.5001,43.8],[10.5001,43.8001],[10.5,43.8001],[10.5,43.8]]]}}`+"\n", i, i, i)
	}
	p := filepath.Join(b.TempDir(), "bench.geojsonl")
	if err := os.WriteFile(p, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(sb.Len()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		src, _ := open(p, importers.Options{})
		r, _ := src.Datasets[0].Open()
		for {
			if _, err := r.Next(); err != nil {
				break
			}
		}
		r.Close()
		src.Close()
	}
}
