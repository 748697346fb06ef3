package bulk_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/importers/broadband"
	"github.com/sit-gis/sit/importers/bulk"
	"github.com/sit-gis/sit/importers/bulk/bulktest"
	"github.com/sit-gis/sit/importers/catasto"
	"github.com/sit-gis/sit/importers/importertest"
	"github.com/sit-gis/sit/importers/vector"
	"github.com/sit-gis/sit/layers"
)

func registry() *importers.Registry {
	inner := importers.NewRegistry(catasto.Formats(), broadband.Formats(), vector.Formats())
	return importers.NewRegistry(bulk.Formats(inner), catasto.Formats(), broadband.Formats(), vector.Formats())
}

func open(t *testing.T, path string, opt importers.Options) *importers.Source {
	t.Helper()
	src, err := registry().Open(path, opt)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

func TestNestedZipsStoredAndCompressed(t *testing.T) {
	cs := bulktest.Tuscany()
	for _, method := range []uint16{zip.Store, zip.Deflate} {
		t.Run(map[uint16]string{zip.Store: "stored", zip.Deflate: "compressed"}[method], func(t *testing.T) {
			path := bulktest.Write(t, t.TempDir(), bulktest.Layout{Region: "TOSCANA", Nested: method}, cs)
			src := open(t, path, importers.Options{})
			if src.Format != "archive" || !src.Together {
				t.Fatalf("format %s together %v; want the archive reader, one transaction", src.Format, src.Together)
			}
			if want := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC); !src.Released.Equal(want) {
				t.Errorf("released %v, want %v", src.Released, want)
			}
			wantParcels, wantSheets := 0, 0
			for _, c := range cs {
				wantParcels += c.Parcels()
				wantSheets += c.Fogli
			}
			parcels := importertest.Dataset(t, src, bulk.DatasetParcels)
			sheets := importertest.Dataset(t, src, bulk.DatasetSheets)
			if parcels.Info.SRID != 6706 || parcels.Info.Kind != layers.KindCadastral || parcels.Info.Roles[0] != "cadastre" || sheets.Info.Roles[0] != "sheets" {
				t.Fatalf("parcels %+v sheets %+v", parcels.Info, sheets.Info)
			}
			if got := parcels.Parted.Parts[0].Path; got != "TOSCANA.zip/LU.zip/E715_LUCCA.zip/E715_LUCCA_ple.gml" {
				t.Errorf("first part %s", got)
			}
			feats, skipped := importertest.ReadDataset(t, parcels)
			if len(feats) != wantParcels || len(skipped) != 0 {
				t.Fatalf("%d parcels (%d skipped), want %d", len(feats), len(skipped), wantParcels)
			}
			for i, f := range feats {
				if f.Record != int64(i+1) || f.Props["comune"] == "" || f.Props["foglio"] == "" || f.Props["particella"] == "" {
					t.Fatalf("feature %d: record %d props %v", i, f.Record, f.Props)
				}
			}
			// Archive order: Lucca, Capannori, then Pisa.
			if feats[0].Props["comune"] != "E715" || feats[len(feats)-1].Props["comune"] != "G702" {
				t.Errorf("order: first %v last %v", feats[0].Props["comune"], feats[len(feats)-1].Props["comune"])
			}
			sf, _ := importertest.ReadDataset(t, sheets)
			if len(sf) != wantSheets || sf[0].Props["foglio"] != "1" {
				t.Fatalf("%d sheets, want %d; first %v", len(sf), wantSheets, sf[0].Props)
			}
		})
	}
}

func TestSelection(t *testing.T) {
	path := bulktest.Write(t, t.TempDir(), bulktest.Layout{Region: "TOSCANA", Nested: zip.Deflate}, bulktest.Tuscany())
	for _, tc := range []struct {
		name       string
		opt        importers.Options
		want       []string
		wantErrHas string
	}{
		{name: "by code", opt: importers.Options{Comuni: []string{"e715"}}, want: []string{"E715"}},
		{name: "by name", opt: importers.Options{Comuni: []string{"capannori", "Pisa"}}, want: []string{"B648", "G702"}},
		{name: "province", opt: importers.Options{Provinces: []string{"LU"}}, want: []string{"E715", "B648"}},
		{name: "unknown comune", opt: importers.Options{Comuni: []string{"Lucca Sicula"}}, wantErrHas: "--comune: Lucca Sicula: no comune of that Belfiore code or name in TOSCANA.zip (it holds B648 CAPANNORI, E715 LUCCA, G702 PISA)"},
		{name: "unknown province", opt: importers.Options{Provinces: []string{"MS"}}, wantErrHas: "--province: MS: no province zip MS.zip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := registry().Open(path, tc.opt)
			if tc.wantErrHas != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErrHas) {
					t.Fatalf("error %v, want one saying %q", err, tc.wantErrHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			for _, ds := range src.Datasets {
				var keys []string
				for _, p := range ds.Parted.Parts {
					keys = append(keys, p.Key)
				}
				if strings.Join(keys, ",") != strings.Join(tc.want, ",") {
					t.Errorf("%s: parts %v, want %v", ds.Info.Name, keys, tc.want)
				}
			}
		})
	}
}

func TestDamagedMemberNamesItsPath(t *testing.T) {
	path := bulktest.Write(t, t.TempDir(), bulktest.Layout{Region: "TOSCANA", Nested: zip.Store}, bulktest.Tuscany())
	// The local header comes first: the last occurrence of the name is in
	// the comune zip's central directory, so look for the header's copy.
	b, _ := os.ReadFile(path)
	name := "E715_LUCCA_ple.gml"
	first := bytes.Index(b, []byte(name))
	b[first+len(name)+300] ^= 0xff
	b[first+len(name)+301] ^= 0xff
	os.WriteFile(path, b, 0o644)
	// Opening reads the head of the first member (its CRS): the damage
	// shows there, or while reading.
	err := readAll(path)
	want := "TOSCANA.zip/LU.zip/E715_LUCCA.zip/E715_LUCCA_ple.gml: damaged member"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %v, want one starting %q", err, want)
	}
}

func TestMalformedGMLNamesItsPath(t *testing.T) {
	edit := func(member string, b []byte) []byte {
		if strings.HasSuffix(member, "B648_CAPANNORI_map.gml") {
			return b[:len(b)/2]
		}
		return b
	}
	path := bulktest.Write(t, t.TempDir(), bulktest.Layout{Region: "TOSCANA", Nested: zip.Deflate, Edit: edit}, bulktest.Tuscany())
	src := open(t, path, importers.Options{})
	r, _ := importertest.Dataset(t, src, bulk.DatasetSheets).Open()
	defer r.Close()
	_, _, err := importertest.ReadAll(t, r)
	if err == nil || !strings.HasPrefix(err.Error(), "TOSCANA.zip/LU.zip/B648_CAPANNORI.zip/B648_CAPANNORI_map.gml: line ") {
		t.Fatalf("error %v", err)
	}
}

func TestOtherFilesInAZip(t *testing.T) {
	geo, err := os.ReadFile("../../data/sources/ade_wfs_particelle_esempio_L439_C209.geojson")
	if err != nil {
		t.Fatal(err)
	}
	gml, err := os.ReadFile("../../data/sources/ade_wfs_particella_A000W000200.gml")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for name, data := range map[string][]byte{"dati/particelle.geojson": geo, "A000_TEST_ple.gml": gml, "LEGGIMI.txt": []byte("not data")} {
		w, _ := z.Create(name)
		w.Write(data)
	}
	z.Close()
	path := filepath.Join(t.TempDir(), "A000_TEST.zip")
	os.WriteFile(path, buf.Bytes(), 0o644)
	src := open(t, path, importers.Options{})
	var names []string
	for _, ds := range src.Datasets {
		names = append(names, ds.Info.Name)
	}
	if strings.Join(names, ",") != "particelle,particelle" {
		t.Fatalf("datasets %v, want the parcels of the _ple.gml and the GeoJSON's", names)
	}
	feats, _ := importertest.ReadDataset(t, src.Datasets[0])
	if len(feats) != 1 || feats[0].Props["comune"] != "A000" || feats[0].Props["tipo"] != "strada" {
		t.Fatalf("GML in a zip: %v", feats)
	}
	geoFeats, _ := importertest.ReadDataset(t, src.Datasets[1])
	if len(geoFeats) == 0 {
		t.Fatal("the GeoJSON in the zip gave no features")
	}
}

// readAll opens an archive and reads every dataset: an error is fine, a
// panic or a hang is not.
func readAll(path string) error {
	src, err := registry().Open(path, importers.Options{})
	if err != nil {
		return err
	}
	defer src.Close()
	for _, ds := range src.Datasets {
		r, err := ds.Open()
		if err != nil {
			return err
		}
		for {
			_, err := r.Next()
			var re *layers.RecordError
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil && !errors.As(err, &re) {
				r.Close()
				return err
			}
		}
		r.Close()
	}
	return nil
}

// FuzzTruncatedArchive cuts a stored and a compressed archive anywhere:
// opening or reading must fail cleanly, never panic or hang.
func FuzzTruncatedArchive(f *testing.F) {
	cs := bulktest.Tuscany()[:2]
	var archives [][]byte
	for _, m := range []uint16{zip.Store, zip.Deflate} {
		p := bulktest.Write(f, f.TempDir(), bulktest.Layout{Region: "TOSCANA", Nested: m}, cs)
		b, _ := os.ReadFile(p)
		archives = append(archives, b)
	}
	for _, n := range []uint{0, 22, 100, 1000, 5000, 20000} {
		f.Add(n, false, uint8(0))
		f.Add(n, true, uint8(7))
	}
	f.Fuzz(func(t *testing.T, cut uint, compressed bool, flip uint8) {
		b := archives[0]
		if compressed {
			b = archives[1]
		}
		b = append([]byte(nil), b...)
		if flip != 0 && len(b) > 0 {
			b[int(cut)%len(b)] ^= flip
		} else if int(cut) < len(b) {
			b = b[:len(b)-int(cut)%len(b)-1]
		}
		path := filepath.Join(t.TempDir(), "TOSCANA.zip")
		os.WriteFile(path, b, 0o644)
		_ = readAll(path)
	})
}

func TestTruncatedArchives(t *testing.T) {
	p := bulktest.Write(t, t.TempDir(), bulktest.Layout{Region: "TOSCANA", Nested: zip.Store}, bulktest.Tuscany()[:1])
	b, _ := os.ReadFile(p)
	for _, keep := range []int{len(b) - 1, len(b) - 30, len(b) / 2, 10} {
		path := filepath.Join(t.TempDir(), "TOSCANA.zip")
		os.WriteFile(path, b[:keep], 0o644)
		if err := readAll(path); err == nil {
			t.Errorf("archive cut to %d of %d bytes read without error", keep, len(b))
		}
	}
}
