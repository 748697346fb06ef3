package synth

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/ingest"
	"github.com/sit-gis/sit/layers"
)

// unzipMember reads a member of a zip held in memory (or on disk when
// data is nil and path names the file).
func zipEntries(t *testing.T, data []byte) map[string]*zip.File {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*zip.File{}
	for _, f := range z.File {
		out[f.Name] = f
	}
	return out
}

func readEntry(t *testing.T, f *zip.File) []byte {
	t.Helper()
	r, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	return b
}

// bulkGML walks a written bulk download and returns every GML member's
// bytes by its path (REGIONE.zip/PROV.zip/COMUNE.zip/member), checking the
// methods: stored zips, deflated GML.
func bulkGML(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	regions, err := filepath.Glob(filepath.Join(dir, BulkRoot, "*.zip"))
	if err != nil || len(regions) == 0 {
		t.Fatalf("no region zip under %s: %v", dir, err)
	}
	var walk func(prefix string, data []byte)
	walk = func(prefix string, data []byte) {
		for name, f := range zipEntries(t, data) {
			b := readEntry(t, f)
			switch {
			case strings.HasSuffix(name, ".zip"):
				if f.Method != zip.Store {
					t.Errorf("%s%s: method %d, want stored", prefix, name, f.Method)
				}
				walk(prefix+name+"/", b)
			case strings.HasSuffix(name, ".gml"):
				if f.Method != zip.Deflate {
					t.Errorf("%s%s: method %d, want deflate", prefix, name, f.Method)
				}
				out[prefix+name] = b
			default:
				t.Errorf("unexpected member %s%s", prefix, name)
			}
		}
	}
	for _, r := range regions {
		data, err := os.ReadFile(r)
		if err != nil {
			t.Fatal(err)
		}
		walk(filepath.Base(r)+"/", data)
	}
	return out
}

// readGML reads a GML file with the project's own reader (the one sit
// import uses) and returns its features.
func readGML(t *testing.T, dir, name string, data []byte) []layers.Feature {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := ingest.Formats().Open(p, importers.Options{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer src.Close()
	if len(src.Datasets) != 1 || src.Datasets[0].Info.SRID != 6706 {
		t.Fatalf("%s: datasets %+v", name, src.Datasets)
	}
	r, err := src.Datasets[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []layers.Feature
	for {
		f, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s record %d: %v", name, len(out)+1, err)
		}
		out = append(out, f)
	}
	if c := src.Datasets[0].Info.Count; c != int64(len(out)) {
		t.Errorf("%s: scan counted %d, read %d", name, c, len(out))
	}
	return out
}

func featStr(t *testing.T, f layers.Feature, key string) string {
	t.Helper()
	s, _ := f.Props[key].(string)
	return s
}

// The Lucca demo as the AdE download: the nested layout, and the same
// parcels as the GeoJSON of the same seed, read back by the GML reader.
func TestInspireBulkLucca(t *testing.T) {
	t.Parallel()
	const n = 3000
	dir := t.TempDir()
	m, err := GenerateInspireBulk(context.Background(), Config{Parcels: n, Seed: 4, Boundary: boundary(t)}, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.Parcels != n || len(m.Archives) != 1 || m.Archives[0].Path != "ITALIA/TOSCANA.zip" || len(m.Archives[0].Members) != 2 {
		t.Fatalf("manifest %+v", m)
	}
	members := bulkGML(t, dir)
	ple := members["TOSCANA.zip/LU.zip/E715_LUCCA.zip/E715_LUCCA_ple.gml"]
	mapg := members["TOSCANA.zip/LU.zip/E715_LUCCA.zip/E715_LUCCA_map.gml"]
	if len(members) != 2 || ple == nil || mapg == nil {
		t.Fatalf("members %v", keys(members))
	}
	if int64(len(ple)) != m.Archives[0].Members[0].Bytes {
		t.Errorf("_ple.gml is %d bytes, manifest %d", len(ple), m.Archives[0].Members[0].Bytes)
	}
	tmp := t.TempDir()
	parcels := readGML(t, tmp, "E715_LUCCA_ple.gml", ple)
	fogli := readGML(t, tmp, "E715_LUCCA_map.gml", mapg)

	dirJ, plan, _ := generated(t, n, 4)
	want := readSeq(t, filepath.Join(dirJ, LayerParcels+".geojsonl"))
	if len(parcels) != n || len(want) != n {
		t.Fatalf("%d parcels in the GML, %d in the GeoJSON, want %d", len(parcels), len(want), n)
	}
	for k, f := range parcels {
		w := want[k]
		for _, key := range []string{"comune", "foglio", "particella", "ref"} {
			if got := featStr(t, f, key); got != w.str(key) {
				t.Fatalf("parcel %d: %s %q, GeoJSON %q", k+1, key, got, w.str(key))
			}
		}
		g := polygons(f.Geometry)
		wr := w.geom.(orb.Polygon)[0]
		if len(g) != 1 || len(g[0]) != 1 || len(g[0][0]) != len(wr) {
			t.Fatalf("parcel %d: geometry %v", k+1, f.Geometry)
		}
		for i, pt := range g[0][0] {
			if math.Abs(pt[0]-wr[i][0]) > 1.1e-7 || math.Abs(pt[1]-wr[i][1]) > 1.1e-7 {
				t.Fatalf("parcel %d position %d: GML %v (lon/lat after the axis swap), GeoJSON %v", k+1, i, pt, wr[i])
			}
		}
	}

	checkFogli(t, fogli, parcels, plan.Fogli())

	// Deterministic: the same seed writes the same archive.
	dir2 := t.TempDir()
	if _, err := GenerateInspireBulk(context.Background(), Config{Parcels: n, Seed: 4, Boundary: boundary(t)}, dir2, nil); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(filepath.Join(dir, "ITALIA", "TOSCANA.zip"))
	b, _ := os.ReadFile(filepath.Join(dir2, "ITALIA", "TOSCANA.zip"))
	if !bytes.Equal(a, b) {
		t.Error("two runs with the same seed wrote different archives")
	}
}

// checkFogli: one CadastralZoning per foglio of the plan (want), and the
// parcels of a foglio lie in it.
func checkFogli(t *testing.T, fogli, parcels []layers.Feature, want int) {
	t.Helper()
	if len(fogli) != want {
		t.Fatalf("%d fogli, plan %d", len(fogli), want)
	}
	byFoglio := map[string]orb.MultiPolygon{}
	for _, f := range fogli {
		ref := featStr(t, f, "ref")
		if !strings.HasPrefix(ref, "E715_") || featStr(t, f, "foglio") == "" {
			t.Fatalf("foglio properties %v", f.Props)
		}
		byFoglio[featStr(t, f, "foglio")] = polygons(f.Geometry)
	}
	outside := 0
	for _, f := range parcels {
		c, _ := planar.CentroidArea(f.Geometry)
		if !planar.MultiPolygonContains(byFoglio[featStr(t, f, "foglio")], c) {
			outside++
		}
	}
	if outside > len(parcels)/100 {
		t.Errorf("%d of %d parcel centroids outside their foglio", outside, len(parcels))
	}
}

// A territory over three provinces: one region zip, a zip per province,
// a zip per comune named <BELFIORE>_<NOME>, each member readable.
func TestInspireBulkTerritory(t *testing.T) {
	t.Parallel()
	var terr []Comune
	for _, c := range territory(t) {
		switch c.Belfiore {
		case "E715", "B648", "G702", "G713": // Lucca, Capannori, Pisa, Pistoia
			terr = append(terr, c)
		}
	}
	const n = 4000 // at the density of 1 050 parcels in Lucca: all four comuni
	tr, err := newTerritory(context.Background(), Config{Parcels: n, Seed: 2, Territory: terr}, 1050)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.plans) != 4 {
		t.Fatalf("%d comuni", len(tr.plans))
	}
	var cs []bulkComune
	for i, p := range tr.plans {
		cs = append(cs, bulkComune{p, tr.comuni[i]})
	}
	dir := t.TempDir()
	var last int
	m, err := writeBulk(context.Background(), cs, tr.cfg, dir, func(k int) { last = k })
	if err != nil {
		t.Fatal(err)
	}
	if last != n || m.Parcels != n || m.Fogli != tr.Fogli() {
		t.Errorf("progress %d, manifest %d parcels %d fogli", last, m.Parcels, m.Fogli)
	}
	members := bulkGML(t, dir)
	wantPaths := []string{
		"TOSCANA.zip/LU.zip/B648_CAPANNORI.zip/B648_CAPANNORI_ple.gml",
		"TOSCANA.zip/LU.zip/E715_LUCCA.zip/E715_LUCCA_map.gml",
		"TOSCANA.zip/PI.zip/G702_PISA.zip/G702_PISA_ple.gml",
		"TOSCANA.zip/PT.zip/G713_PISTOIA.zip/G713_PISTOIA_map.gml",
	}
	for _, p := range wantPaths {
		if members[p] == nil {
			t.Errorf("no member %s; have %v", p, keys(members))
		}
	}
	if len(members) != 8 {
		t.Errorf("%d members, want 8", len(members))
	}
	tmp := t.TempDir()
	total := 0
	for _, mem := range m.Archives[0].Members {
		data := members["TOSCANA.zip/"+mem.Path]
		feats := readGML(t, tmp, filepath.Base(mem.Path), data)
		if int64(len(feats)) != mem.Features {
			t.Errorf("%s: %d features, manifest %d", mem.Path, len(feats), mem.Features)
		}
		for _, f := range feats {
			if got := featStr(t, f, "comune"); got != mem.Belfiore {
				t.Fatalf("%s: comune %s", mem.Path, got)
			}
		}
		if mem.Type == "CadastralParcel" {
			total += len(feats)
		}
	}
	if total != n {
		t.Errorf("%d parcels in the members, want %d", total, n)
	}
}

func TestInspireBulkCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	_, err := GenerateInspireBulk(ctx, Config{Parcels: 40000, Seed: 1, Boundary: boundary(t)}, dir, func(int) { cancel() })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, BulkRoot, "*"))
	if len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
