package synth

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// defaultTerritory parses the bundled territory once for all the tests of
// the package (2 MB of GeoJSON: seconds under -race), which only read it.
var defaultTerritory = sync.OnceValues(DefaultTerritory)

// territory is the bundled territory (DefaultTerritory).
func territory(t testing.TB) []Comune {
	t.Helper()
	c, err := defaultTerritory()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDefaultTerritory(t *testing.T) {
	t.Parallel()
	cs := territory(t)
	if len(cs) != 273 {
		t.Fatalf("%d comuni, want Tuscany's 273", len(cs))
	}
	perProv := map[string]int{}
	for _, c := range cs {
		perProv[c.Province]++
		if c.Region != "Toscana" || len(c.Belfiore) != 4 || len(c.Istat) != 6 {
			t.Errorf("comune %+v", c.Name)
		}
	}
	if perProv["LU"] != 33 {
		t.Errorf("%d comuni in the province of Lucca, want 33", perProv["LU"])
	}
	// The bundled Lucca of the territory is the demo's boundary.
	for _, c := range cs {
		if c.Belfiore == "E715" && (c.Name != "Lucca" || !orb.Equal(c.Boundary, boundary(t))) {
			t.Errorf("E715 is %s with another boundary than data/lucca_046017_boundary.geojson", c.Name)
		}
	}
}

// The comuni are chosen nearest first, the province before the region, and
// share the parcels by area: the density is the same in every comune.
func TestSelectComuni(t *testing.T) {
	t.Parallel()
	cs := territory(t)
	for _, c := range []struct {
		n                 int
		minComuni, maxCom int
		onlyLU            bool
	}{
		{LuccaCapacity + 1, 1, 1, true},
		{300_000, 2, 2, true},
		{1_000_000, 10, 25, true},
		{10_000_000, 100, 200, false},
	} {
		t.Run(strconv.Itoa(c.n), func(t *testing.T) {
			sel, err := selectComuni(cs, c.n, LuccaCapacity)
			if err != nil {
				t.Fatal(err)
			}
			if len(sel) < c.minComuni || len(sel) > c.maxCom {
				t.Errorf("%d comuni", len(sel))
			}
			if sel[0].Belfiore != "E715" {
				t.Errorf("first comune %s, want Lucca", sel[0].Name)
			}
			sum, seenOther := 0, false
			density := LuccaCapacity / sel[0].area
			for _, s := range sel {
				sum += s.parcels
				if s.Province != "LU" {
					seenOther = true
				} else if seenOther {
					t.Errorf("%s (LU) comes after a comune of another province", s.Name)
				}
				d := float64(s.parcels) / s.area
				if d > density*1.4 || d < density*0.7 {
					t.Errorf("%s: %.0f parcels/km², Lucca at capacity %.0f", s.Name, d*1e6, density*1e6)
				}
				if math.Abs(d-float64(c.n)/sumArea(sel)) > 1e-3*d {
					t.Errorf("%s: density %.2f/km², the territory's %.2f", s.Name, d*1e6, float64(c.n)/sumArea(sel)*1e6)
				}
			}
			if sum != c.n {
				t.Errorf("shares add up to %d, want %d", sum, c.n)
			}
			if seenOther == c.onlyLU {
				t.Errorf("comuni outside the province: %v", seenOther)
			}
		})
	}
	if _, err := selectComuni(cs, 40_000_000, LuccaCapacity); err == nil || !strings.Contains(err.Error(), "km²") {
		t.Errorf("40 M parcels: %v, want an error naming the area needed", err)
	}
	if _, err := selectComuni(cs[:3], 300_000, LuccaCapacity); err == nil || !strings.Contains(err.Error(), "E715") {
		t.Errorf("territory without Lucca: %v", err)
	}
}

func sumArea(sel []placed) float64 {
	var a float64
	for _, s := range sel {
		a += s.area
	}
	return a
}

// A territory written at a low density (so that 30 000 parcels span many
// comuni): exact count, continuous ids, each comune's parcels with its own
// code, fogli and particelle, inside the comune; Lucca's other layers.
func TestTerritoryGenerate(t *testing.T) {
	t.Parallel()
	const n = 30_000
	tr, err := newTerritory(context.Background(), Config{Parcels: n, Seed: 5, Territory: territory(t)}, 4000)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.comuni) < 4 {
		t.Fatalf("%d comuni", len(tr.comuni))
	}
	dir := t.TempDir()
	m, err := tr.Generate(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.Parcels != n || len(m.Comuni) != len(tr.comuni) || m.Fogli != tr.Fogli() {
		t.Fatalf("manifest %d parcels, %d comuni, %d fogli", m.Parcels, len(m.Comuni), m.Fogli)
	}
	feats := readSeq(t, filepath.Join(dir, LayerParcels+".geojsonl"))
	if len(feats) != n {
		t.Fatalf("%d parcels, want %d", len(feats), n)
	}
	k := 0
	refs := map[string]bool{}
	for ci, c := range m.Comuni {
		if c.FirstID != feats[k].id {
			t.Fatalf("%s: first id %d, file %d", c.Name, c.FirstID, feats[k].id)
		}
		bound := tr.comuni[ci].Boundary.Bound().Pad(0.003)
		fogli := map[string]int{}
		for j := 0; j < c.Parcels; j, k = j+1, k+1 {
			f := feats[k]
			if f.id != int64(k+1) || f.str("comune") != c.Belfiore {
				t.Fatalf("parcel %d: id %d comune %s, want %d %s", k+1, f.id, f.str("comune"), k+1, c.Belfiore)
			}
			ref := f.str("ref")
			if !strings.HasPrefix(ref, c.Belfiore+"_") || refs[ref] {
				t.Fatalf("parcel %d: ref %s", f.id, ref)
			}
			refs[ref] = true
			fogli[f.str("foglio")]++
			if got, want := f.str("particella"), strconv.Itoa(fogli[f.str("foglio")]); got != want {
				t.Fatalf("%s: particella %s, want %s", ref, got, want)
			}
			ctr, _ := planar.CentroidArea(f.geom.(orb.Polygon))
			if !bound.Contains(ctr) {
				t.Fatalf("%s: centroid %v outside %s's bounds", ref, ctr, c.Name)
			}
		}
		if len(fogli) != c.Fogli {
			t.Errorf("%s: %d fogli in the file, manifest %d", c.Name, len(fogli), c.Fogli)
		}
	}
	for _, f := range m.Files {
		if f.Layer == LayerParcels {
			if !strings.Contains(f.Description, "constant density") || !strings.Contains(f.Description, "SYNTHETIC") {
				t.Errorf("parcels description %q", f.Description)
			}
			continue
		}
		if f.Features == 0 || !strings.Contains(f.Description, "Comune di Lucca") {
			t.Errorf("%s: %d features, description %q", f.Path, f.Features, f.Description)
		}
	}
	// Addresses only in Lucca.
	lucca := m.Comuni[0]
	for _, a := range readSeq(t, filepath.Join(dir, LayerAddresses+".geojsonl")) {
		if !strings.HasPrefix(a.str("parcel_ref"), "E715_") {
			t.Fatalf("address %d on parcel %s outside Lucca (%d parcels)", a.id, a.str("parcel_ref"), lucca.Parcels)
		}
	}

}

func TestTerritoryDeterministic(t *testing.T) {
	t.Parallel()
	var files [2]map[string][]byte
	for i := range files {
		tr, err := newTerritory(context.Background(), Config{Parcels: 20_000, Seed: 5, Territory: territory(t)}, 4000)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if _, err := tr.Generate(context.Background(), dir, nil); err != nil {
			t.Fatal(err)
		}
		files[i] = map[string][]byte{}
		for _, name := range []string{LayerParcels + ".geojsonl", ManifestName} {
			files[i][name], _ = os.ReadFile(filepath.Join(dir, name))
		}
	}
	for name, a := range files[0] {
		if len(a) == 0 || !bytes.Equal(a, files[1][name]) {
			t.Errorf("%s differs between two runs (or is empty)", name)
		}
	}
}

// Above LuccaCapacity the package Generate goes to the territory (here one
// without Lucca, which it refuses before writing anything); at or below it
// the demo is Lucca alone.
func TestGenerateSwitchesToTerritory(t *testing.T) {
	t.Parallel()
	var noLucca []Comune
	for _, c := range territory(t) {
		if c.Belfiore != "E715" {
			noLucca = append(noLucca, c)
		}
	}
	dir := t.TempDir()
	_, err := Generate(context.Background(), Config{Parcels: LuccaCapacity + 1, Seed: 1, Boundary: boundary(t), Territory: noLucca}, dir, nil)
	if err == nil || !strings.Contains(err.Error(), "E715") {
		t.Errorf("territory without Lucca: %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("%d files written", len(left))
	}
	_, _, small := generated(t, 1000, 1)
	if small.Comuni != nil {
		t.Errorf("Lucca alone lists comuni %+v", small.Comuni)
	}
}
