package synth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/sit-gis/sit/layers"
)

func TestDeterministic(t *testing.T) {
	t.Parallel()
	dirA, _, mA := generated(t, 3000, 7)
	dirB, _, mB := generated(t, 3000, 7)
	if len(mA.Files) != 9 || len(mA.Files) != len(mB.Files) {
		t.Fatalf("manifests list %d and %d files, want 9", len(mA.Files), len(mB.Files))
	}
	names := []string{ManifestName}
	for _, f := range mA.Files {
		names = append(names, f.Path)
	}
	for _, name := range names {
		a, err := os.ReadFile(filepath.Join(dirA, name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dirB, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with the same config", name)
		}
		if len(a) == 0 {
			t.Errorf("%s is empty", name)
		}
	}

	dirC, _, _ := generated(t, 3000, 8)
	a, _ := os.ReadFile(filepath.Join(dirA, LayerParcels+".geojsonl"))
	c, _ := os.ReadFile(filepath.Join(dirC, LayerParcels+".geojsonl"))
	if bytes.Equal(a, c) {
		t.Error("seeds 7 and 8 wrote identical parcels")
	}
}

func TestExactParcelCount(t *testing.T) {
	t.Parallel()
	for _, n := range []int{100, 1000, 3001, 12345} {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			t.Parallel()
			dir, p, m := generated(t, n, uint64(n))
			feats := readSeq(t, filepath.Join(dir, LayerParcels+".geojsonl"))
			if len(feats) != n {
				t.Fatalf("%d parcels written, want %d", len(feats), n)
			}
			if m.Files[0].Features != int64(n) || p.Parcels() != n {
				t.Errorf("manifest says %d, plan %d, want %d", m.Files[0].Features, p.Parcels(), n)
			}
			refs := map[string]bool{}
			perFoglio := map[string]int{}
			for k, f := range feats {
				if f.id != int64(k+1) {
					t.Fatalf("feature %d has id %d, want %d", k+1, f.id, k+1)
				}
				ref := f.str("ref")
				if refs[ref] {
					t.Fatalf("duplicate ref %s", ref)
				}
				refs[ref] = true
				perFoglio[f.str("foglio")]++
				// Particelle are numbered 1.. within each foglio, in file order.
				if got, want := f.str("particella"), strconv.Itoa(perFoglio[f.str("foglio")]); got != want {
					t.Fatalf("%s: particella %s, want %s", ref, got, want)
				}
			}
			if len(perFoglio) != p.Fogli() {
				t.Errorf("%d fogli in the file, plan says %d", len(perFoglio), p.Fogli())
			}
		})
	}
}

func TestParcelProperties(t *testing.T) {
	t.Parallel()
	dir, _, _ := generated(t, 2000, 3)
	refRE := regexp.MustCompile(`^E715_(\d{4})00\.(\d+)$`)
	for _, f := range readSeq(t, filepath.Join(dir, LayerParcels+".geojsonl")) {
		want := map[string]string{"comune": "E715", "sezione": "", "allegato": "0", "sviluppo": "0"}
		for k, v := range want {
			if got, ok := f.props[k].(string); !ok || got != v {
				t.Fatalf("parcel %d: %s = %#v, want %q", f.id, k, f.props[k], v)
			}
		}
		m := refRE.FindStringSubmatch(f.str("ref"))
		if m == nil {
			t.Fatalf("parcel %d: bad ref %q", f.id, f.str("ref"))
		}
		if strings.TrimLeft(m[1], "0") != f.str("foglio") || m[2] != f.str("particella") {
			t.Fatalf("parcel %d: ref %s does not match foglio %s particella %s", f.id, f.str("ref"), f.str("foglio"), f.str("particella"))
		}
		if _, ok := f.geom.(orb.Polygon); !ok {
			t.Fatalf("parcel %d: geometry %T", f.id, f.geom)
		}
	}
}

func TestFoglio37Particella125(t *testing.T) {
	t.Parallel()
	// `sit gen` and `sit demo` use seed 1.
	for _, seed := range []uint64{1, 2, 3} {
		p, err := NewPlan(context.Background(), Config{Seed: seed, Boundary: boundary(t)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Parcel(37, 125); err != nil {
			t.Errorf("seed %d: %v", seed, err)
		}
	}
	// The default configuration: Parcels 0 means 50 000, seed 0.
	p, err := NewPlan(context.Background(), Config{Boundary: boundary(t)})
	if err != nil {
		t.Fatal(err)
	}
	if p.Parcels() != 50000 {
		t.Fatalf("default parcels %d", p.Parcels())
	}
	pc, err := p.Parcel(37, 125)
	if err != nil {
		t.Fatal(err)
	}
	if pc.Ref != "E715_003700.125" {
		t.Errorf("ref %s", pc.Ref)
	}
	if !strictlyInside(pc.Polygon, pc.Inside) {
		t.Errorf("inside point %v is not inside %v", pc.Inside, pc.Polygon)
	}
	if _, err := p.Parcel(37, p.FoglioParcels(37)+1); !errors.Is(err, ErrNoParcel) {
		t.Errorf("particella past the end: %v, want ErrNoParcel", err)
	}
	if _, err := p.Parcel(p.Fogli()+1, 1); !errors.Is(err, ErrNoParcel) {
		t.Errorf("foglio past the end: %v, want ErrNoParcel", err)
	}

	// The file holds the same parcel, with the same geometry.
	dir := t.TempDir()
	if _, err := p.Generate(context.Background(), dir, nil); err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, f := range readSeq(t, filepath.Join(dir, LayerParcels+".geojsonl")) {
		if f.str("ref") != pc.Ref {
			continue
		}
		found = true
		if f.id != pc.ID || f.str("foglio") != "37" || f.str("particella") != "125" {
			t.Errorf("file: id %d foglio %s particella %s; plan: id %d", f.id, f.str("foglio"), f.str("particella"), pc.ID)
		}
		got := f.geom.(orb.Polygon)
		if len(got[0]) != len(pc.Polygon[0]) {
			t.Fatalf("file ring has %d positions, plan %d", len(got[0]), len(pc.Polygon[0]))
		}
		for k := range got[0] {
			if math.Abs(got[0][k][0]-pc.Polygon[0][k][0]) > 1e-7 || math.Abs(got[0][k][1]-pc.Polygon[0][k][1]) > 1e-7 {
				t.Fatalf("position %d: file %v, plan %v", k, got[0][k], pc.Polygon[0][k])
			}
		}
		if !strictlyInside(got, pc.Inside) {
			t.Errorf("PointInParcel %v is not inside the written parcel", pc.Inside)
		}
	}
	if !found {
		t.Fatal("E715_003700.125 is not in the parcels file")
	}
}

func TestPointInParcelMatchesFile(t *testing.T) {
	t.Parallel()
	dir, p, _ := generated(t, 4000, 11)
	feats := readSeq(t, filepath.Join(dir, LayerParcels+".geojsonl"))
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		f := feats[rng.IntN(len(feats))]
		fog, err1 := strconv.Atoi(f.str("foglio"))
		par, err2 := strconv.Atoi(f.str("particella"))
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: foglio %q particella %q", f.str("ref"), f.str("foglio"), f.str("particella"))
		}
		pt, err := p.PointInParcel(fog, par)
		if err != nil {
			t.Fatal(err)
		}
		if !strictlyInside(f.geom.(orb.Polygon), pt) {
			t.Fatalf("%s: PointInParcel %v is not inside the written parcel", f.str("ref"), pt)
		}
	}
}

func TestParcelsDoNotOverlap(t *testing.T) {
	t.Parallel()
	dir, _, _ := generated(t, 20000, 5)
	feats := readSeq(t, filepath.Join(dir, LayerParcels+".geojsonl"))
	ix := newIndex(feats, 0.003)
	rng := rand.New(rand.NewPCG(3, 4))
	shared := 0
	for range 1500 {
		k := rng.IntN(len(feats))
		a := feats[k].geom.(orb.Polygon)
		if err := checkPolygon(a); err != nil {
			t.Fatalf("parcel %d: %v", feats[k].id, err)
		}
		for _, o := range ix.near(a.Bound()) {
			if o == k {
				continue
			}
			b := feats[o].geom.(orb.Polygon)
			for i := 0; i+1 < len(a[0]); i++ {
				for j := 0; j+1 < len(b[0]); j++ {
					if segmentsCross(a[0][i], a[0][i+1], b[0][j], b[0][j+1]) {
						t.Fatalf("parcels %d and %d: edges cross near %v", feats[k].id, feats[o].id, a[0][i])
					}
				}
			}
			for _, v := range b[0] {
				if strictlyInside(a, v) {
					t.Fatalf("parcel %d has a vertex of parcel %d inside", feats[k].id, feats[o].id)
				}
			}
			for _, v := range a[0] {
				for _, w := range b[0] {
					if v == w {
						shared++
					}
				}
			}
		}
	}
	// Parcels of a block share vertices (a cadastral tiling, not loose boxes).
	if shared < 1500 {
		t.Errorf("only %d shared vertices between sampled parcels and their neighbours", shared)
	}
}

func TestRoadPointsHitNoParcel(t *testing.T) {
	t.Parallel()
	dir, p, _ := generated(t, 20000, 9)
	ix := newIndex(readSeq(t, filepath.Join(dir, LayerParcels+".geojsonl")), 0.003)
	pts := p.RoadPoints(500)
	if len(pts) != 500 {
		t.Fatalf("%d road points, want 500", len(pts))
	}
	b := boundary(t)
	nearParcel := 0
	for _, pt := range pts {
		if !planar.MultiPolygonContains(b, pt) {
			t.Errorf("road point %v is outside the boundary", pt)
		}
		if hits := ix.containing(pt); len(hits) > 0 {
			t.Fatalf("road point %v lies in parcel %d", pt, ix.feats[hits[0]].id)
		}
		// The point is on a road of the parcel grid: some parcel is near.
		if len(ix.near(orb.Bound{Min: pt, Max: pt}.Pad(0.001))) > 0 {
			nearParcel++
		}
	}
	if nearParcel < 450 {
		t.Errorf("only %d of 500 road points have a parcel within ~100 m", nearParcel)
	}
}

func TestZoningCoversParcels(t *testing.T) {
	t.Parallel()
	dir, p, _ := generated(t, 20000, 13)
	zones := readSeq(t, filepath.Join(dir, LayerZoning+".geojsonl"))
	zix := newIndex(zones, 0.01)
	parcels := readSeq(t, filepath.Join(dir, LayerParcels+".geojsonl"))
	rng := rand.New(rand.NewPCG(5, 6))
	straddle := 0
	for range 4000 {
		f := parcels[rng.IntN(len(parcels))]
		poly := f.geom.(orb.Polygon)
		codes := map[int]bool{}
		for _, v := range poly[0] {
			hits := zix.containing(v)
			if len(hits) == 0 {
				t.Fatalf("vertex %v of parcel %s is in no zone", v, f.str("ref"))
			}
			codes[hits[0]] = true
		}
		if len(codes) > 1 {
			straddle++
		}
		c, _ := planar.CentroidArea(poly)
		inside := 0
		for _, k := range zix.containing(c) {
			for _, zp := range polygons(zones[k].geom) {
				if strictlyInside(zp, c) {
					inside++
				}
			}
		}
		if inside != 1 {
			t.Fatalf("centroid of parcel %s is strictly inside %d zones, want 1", f.str("ref"), inside)
		}
	}
	// The zoning grid is not aligned with the parcels.
	if straddle < 100 {
		t.Errorf("only %d of 4000 parcels straddle two zones", straddle)
	}

	// The zones are exactly the union of the territory cells: same area.
	var cells float64
	for c, in := range p.territory {
		if in {
			cells += planar.Area(p.zones.quad(c))
		}
	}
	feats, err := p.zoningFeatures()
	if err != nil {
		t.Fatal(err)
	}
	var zoned float64
	for _, f := range feats {
		zoned += planar.Area(f.geom)
	}
	if math.Abs(zoned-cells) > 1e-6*cells {
		t.Errorf("zones cover %.0f m², territory cells %.0f m²", zoned, cells)
	}
	// And cover the comune: at least the area inside the boundary.
	if zoned < planar.Area(p.reg.poly) {
		t.Errorf("zones cover %.0f m², less than the comune's %.0f m²", zoned, planar.Area(p.reg.poly))
	}
}

func TestPolygonLayersValid(t *testing.T) {
	t.Parallel()
	dir, _, _ := generated(t, 5000, 17)
	for _, layer := range []string{LayerZoning, LayerConstraints, LayerAree} {
		t.Run(layer, func(t *testing.T) {
			for _, f := range readSeq(t, filepath.Join(dir, layer+".geojsonl")) {
				polys := polygons(f.geom)
				if len(polys) == 0 {
					t.Fatalf("feature %d: geometry %T", f.id, f.geom)
				}
				for k, poly := range polys {
					if err := checkPolygon(poly); err != nil {
						t.Errorf("feature %d polygon %d: %v", f.id, k, err)
					}
				}
			}
		})
	}
}

func TestZoningContent(t *testing.T) {
	t.Parallel()
	dir, p, _ := generated(t, 50000, 0)
	zones := readSeq(t, filepath.Join(dir, LayerZoning+".geojsonl"))
	zix := newIndex(zones, 0.01)
	seen := map[string]bool{}
	for _, f := range zones {
		code, class := f.str("zone_code"), f.str("zone_class")
		seen[code] = true
		if class != code[:1] || !strings.Contains("ABCDEF", class) {
			t.Errorf("zone %d: code %s class %s", f.id, code, class)
		}
		for k, poly := range polygons(f.geom) {
			if err := checkPolygon(poly); err != nil {
				t.Errorf("zone %d polygon %d: %v", f.id, k, err)
			}
		}
		if f.str("plan") != zoningPlan || !strings.HasPrefix(f.str("norm_ref"), "Art. ") || !strings.Contains(f.str("description"), "Zona "+code) {
			t.Errorf("zone %d: properties %v", f.id, f.props)
		}
	}
	for _, d := range zoneDefs() {
		if !seen[d.code] {
			t.Errorf("no zone %s in the default configuration", d.code)
		}
	}
	zoneAt := func(lonLat orb.Point) string {
		hits := zix.containing(lonLat)
		if len(hits) == 0 {
			return ""
		}
		return zones[hits[0]].str("zone_code")
	}
	for _, c := range []struct {
		name string
		at   orb.Point
		want string // a zone code prefix
	}{
		{"Piazza San Michele, inside the walls", orb.Point{10.5030, 43.8430}, "A"},
		{"centre of the walls", wallsCentreLonLat, "A"},
		{"north of the walls, in town", orb.Point{10.5060, 43.8520}, "B"},
		{"hills of Brancoli", orb.Point{10.5600, 43.9400}, "E"},
		{"Monti Pisani", orb.Point{10.4700, 43.7750}, "E"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := zoneAt(c.at); !strings.HasPrefix(got, c.want) {
				t.Errorf("zone at %v is %q, want %s…", c.at, got, c.want)
			}
		})
	}
	// Zone A is exactly the walled city: the cells whose centre is inside the walls.
	codes := p.zoneCodes()
	nA := 0
	for c, in := range p.territory {
		if !in {
			continue
		}
		if inside := p.land.insideWalls(p.zones.centre(c)); inside != (codes[c] == zA) {
			t.Fatalf("cell %d: inside the walls %v but zone %s", c, inside, zoneDefs()[codes[c]].code)
		}
		if codes[c] == zA {
			nA++
		}
	}
	// The walls enclose about 1.2 km², some 50 cells of 150 m.
	if nA < 35 || nA > 70 {
		t.Errorf("%d zone-A cells", nA)
	}
}

func TestConstraints(t *testing.T) {
	t.Parallel()
	dir, p, _ := generated(t, 2000, 1)
	feats := readSeq(t, filepath.Join(dir, LayerConstraints+".geojsonl"))
	byCode := map[string]feature{}
	for _, f := range feats {
		byCode[f.str("zone_code")] = f
		if f.str("description") == "" || f.str("norm_ref") == "" || f.str("plan") == "" {
			t.Errorf("constraint %s: missing properties %v", f.str("zone_code"), f.props)
		}
	}
	want := map[string]string{"P3": "idraulico", "P2": "idraulico", "142c": "paesaggistico", "136": "paesaggistico", "MURA": "monumentale"}
	for code, class := range want {
		f, ok := byCode[code]
		if !ok {
			t.Errorf("no %s constraint", code)
			continue
		}
		if f.str("zone_class") != class {
			t.Errorf("%s: class %s, want %s", code, f.str("zone_class"), class)
		}
	}
	// The flood bands follow the river, P3 inside P2.
	p2 := polygons(byCode["P2"].geom)[0]
	for _, v := range polygons(byCode["P3"].geom)[0][0] {
		// The flat ends of the two bands lie on one line: allow rounding there.
		if !planar.PolygonContains(p2, v) && planar.DistanceFrom(orb.LineString(p2[0]), v) > 1e-6 {
			t.Fatalf("P3 vertex %v outside P2", v)
		}
	}
	ponteSanQuirico := orb.Point{10.4990, 43.8610}
	if !planar.PolygonContains(polygons(byCode["P3"].geom)[0], ponteSanQuirico) {
		t.Error("the P3 band misses the Serchio at Ponte San Quirico")
	}
	// The walls' ring has the city as a hole.
	mura := polygons(byCode["MURA"].geom)
	if len(mura) != 1 || len(mura[0]) != 2 {
		t.Fatalf("MURA: %d polygons, want one with a hole", len(mura))
	}
	if planar.PolygonContains(mura[0], wallsCentreLonLat) {
		t.Error("the centre of the city is inside the walls' ring")
	}
	onWalls := p.fr.toLonLat(p.land.wallsRing(0, 8)[2])
	if !planar.PolygonContains(mura[0], onWalls) {
		t.Errorf("the walls at %v are not in the MURA constraint", onWalls)
	}
	// Constraints do not tile: P3 and P2 overlap.
	if planar.Area(byCode["P3"].geom) >= planar.Area(byCode["P2"].geom) {
		t.Error("P3 is not smaller than P2")
	}
}

func TestAddresses(t *testing.T) {
	t.Parallel()
	dir, p, _ := generated(t, 6000, 21)
	parcels := readSeq(t, filepath.Join(dir, LayerParcels+".geojsonl"))
	byRef := map[string]orb.Polygon{}
	for _, f := range parcels {
		byRef[f.str("ref")] = f.geom.(orb.Polygon)
	}
	names := map[string]bool{}
	for _, n := range streetNames() {
		names[n] = true
	}
	if len(names) < 400 {
		t.Fatalf("%d street names", len(names))
	}
	centre := map[string]bool{}
	for _, n := range nameLines(centreStreetsTxt) {
		names[n], centre[n] = true, true
	}
	addrs := readSeq(t, filepath.Join(dir, LayerAddresses+".geojsonl"))
	if len(addrs) < len(parcels)/10 {
		t.Fatalf("%d addresses for %d parcels", len(addrs), len(parcels))
	}
	civicoRE := regexp.MustCompile(`^[1-9]\d*(/[A-Z])?$`)
	seen := map[string]bool{}
	perParcel := map[string]int{}
	for _, a := range addrs {
		street, civico, address := a.str("street"), a.str("civico"), a.str("address")
		if !names[street] {
			t.Fatalf("address %d: street %q is not a Lucca street", a.id, street)
		}
		if !civicoRE.MatchString(civico) || address != street+" "+civico {
			t.Fatalf("address %d: %q / %q / %q", a.id, address, street, civico)
		}
		if seen[address] {
			t.Fatalf("address %q appears twice", address)
		}
		seen[address] = true
		ref := a.str("parcel_ref")
		poly, ok := byRef[ref]
		if !ok {
			t.Fatalf("address %d: unknown parcel %s", a.id, ref)
		}
		if !strictlyInside(poly, a.geom.(orb.Point)) {
			t.Fatalf("address %d %v is not inside parcel %s", a.id, a.geom, ref)
		}
		perParcel[ref]++
		// The historic centre's names are on segments whose middle is inside
		// the walls (a segment is 700 m long), and the centre has no other.
		if r := p.land.wallsRadius(p.fr.toLocal(a.geom.(orb.Point))); centre[street] && r > 2 || !centre[street] && r < 0.4 {
			t.Fatalf("address %d %q at walls radius %.2f", a.id, address, r)
		}
	}
	for ref, n := range perParcel {
		if n > 3 {
			t.Errorf("parcel %s has %d addresses", ref, n)
		}
	}
	inCentre := 0
	for _, a := range addrs {
		if centre[a.str("street")] {
			inCentre++
		}
	}
	if inCentre == 0 {
		t.Error("no address inside the walls has a name of the historic centre")
	}
}

// The README's address examples are in the demo (sit demo: 50 000
// parcels, seed 1).
func TestREADMEAddressExamples(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("generates the demo's 50 000 parcels")
	}
	dir, _, _ := generated(t, 50_000, 1)
	have := map[string]bool{}
	streets := map[string]bool{}
	for _, a := range readSeq(t, filepath.Join(dir, LayerAddresses+".geojsonl")) {
		have[a.str("address")], streets[a.str("street")] = true, true
	}
	for _, want := range []string{"VIA DEL FOSSO 12", "VIA FILLUNGO 1", "PIAZZA SAN MICHELE 1", "PIAZZA DELL'ANFITEATRO 2"} {
		if !have[want] {
			t.Errorf("the demo has no address %q", want)
		}
	}
}

// checkBroadbandFiles: the manifest lists the two snapshots of the
// broadband layer.
func checkBroadbandFiles(t *testing.T, m Manifest) {
	t.Helper()
	snaps := 0
	for _, f := range m.Files {
		if f.Kind == layers.KindBroadband {
			snaps++
			if f.Layer != LayerBroadband || (f.Snapshot != SnapshotBefore && f.Snapshot != SnapshotAfter) {
				t.Errorf("broadband file %+v", f)
			}
		}
	}
	if snaps != 2 {
		t.Errorf("%d broadband files in the manifest", snaps)
	}
}

func TestBroadband(t *testing.T) {
	t.Parallel()
	dir, p, m := generated(t, 20000, 23)
	addrs := readSeq(t, filepath.Join(dir, LayerAddresses+".geojsonl"))
	before := readSeq(t, filepath.Join(dir, LayerBroadband+"_"+SnapshotBefore+".geojsonl"))
	after := readSeq(t, filepath.Join(dir, LayerBroadband+"_"+SnapshotAfter+".geojsonl"))
	if len(before) != len(addrs) || len(after) != len(addrs) {
		t.Fatalf("%d addresses, %d and %d broadband points", len(addrs), len(before), len(after))
	}
	checkBroadbandFiles(t, m)
	rank := map[string]int{"none": 0, "ADSL": 1, "FWA": 2, "FTTC": 3, "FTTH": 4}
	improved := 0
	type tally struct{ fast, all int }
	var centre, hills tally
	for k := range addrs {
		a, b := before[k], after[k]
		if a.id != addrs[k].id || b.id != addrs[k].id || a.str("address") != addrs[k].str("address") || b.str("address") != addrs[k].str("address") {
			t.Fatalf("record %d: ids/addresses do not line up", k+1)
		}
		if !a.geom.(orb.Point).Equal(addrs[k].geom.(orb.Point)) || !b.geom.(orb.Point).Equal(addrs[k].geom.(orb.Point)) {
			t.Fatalf("record %d: the broadband point is not the address point", k+1)
		}
		if a.str("snapshot") != SnapshotBefore || b.str("snapshot") != SnapshotAfter {
			t.Fatalf("record %d: snapshots %s %s", k+1, a.str("snapshot"), b.str("snapshot"))
		}
		ra, okA := rank[a.str("technology")]
		rb, okB := rank[b.str("technology")]
		if !okA || !okB {
			t.Fatalf("record %d: technologies %q %q", k+1, a.str("technology"), b.str("technology"))
		}
		if rb < ra || b.num("max_down_mbps") < a.num("max_down_mbps") || b.num("max_up_mbps") < a.num("max_up_mbps") {
			t.Fatalf("record %d got worse: %v → %v", k+1, a.props, b.props)
		}
		if b.num("max_down_mbps") > a.num("max_down_mbps") {
			improved++
		}
		if h := a.num("households"); h < 1 || h != math.Trunc(h) {
			t.Fatalf("record %d: households %v", k+1, a.props["households"])
		}
		if (a.str("technology") == "none") != (a.str("operator") == "") {
			t.Fatalf("record %d: technology %s operator %q", k+1, a.str("technology"), a.str("operator"))
		}
		local := p.fr.toLocal(a.geom.(orb.Point))
		fast := a.str("technology") == "FTTH" || a.str("technology") == "FTTC"
		var tl *tally
		switch {
		case p.land.insideWalls(local):
			tl = &centre
		case p.land.hills(local, p.fr) > 0.8:
			tl = &hills
		}
		if tl != nil {
			tl.all++
			if fast {
				tl.fast++
			}
		}
	}
	share := float64(improved) / float64(len(addrs))
	if share < 0.02 || share > 0.3 {
		t.Errorf("%.1f%% of addresses improved between the snapshots", 100*share)
	}
	if centre.all < 100 || hills.all < 30 {
		t.Fatalf("too few samples: centre %d, hills %d", centre.all, hills.all)
	}
	fc, fh := float64(centre.fast)/float64(centre.all), float64(hills.fast)/float64(hills.all)
	if fc < 0.7 || fh > 0.5 || fc <= fh {
		t.Errorf("FTTH/FTTC share: centre %.2f, hills %.2f", fc, fh)
	}
}

func TestAree(t *testing.T) {
	t.Parallel()
	dir, _, _ := generated(t, 20000, 29)
	aree := readSeq(t, filepath.Join(dir, LayerAree+".geojsonl"))
	if len(aree) < 10 || len(aree) > 15 {
		t.Fatalf("%d statistical areas, want 10–15", len(aree))
	}
	names, codes := map[string]bool{}, map[string]bool{}
	var area float64
	for _, a := range aree {
		if names[a.str("name")] || codes[a.str("code")] || a.str("name") == "" {
			t.Errorf("area %d: name %q code %q repeated or empty", a.id, a.str("name"), a.str("code"))
		}
		names[a.str("name")], codes[a.str("code")] = true, true
		for _, poly := range polygons(a.geom) {
			area += planar.Area(poly)
		}
	}
	for _, n := range []string{"Centro storico", "Sant'Anna", "San Concordio", "Ponte a Moriano", "Nozzano"} {
		if !names[n] {
			t.Errorf("no area %q", n)
		}
	}
	// Same territory as the zoning (areas in degrees², compared as such).
	var zoned float64
	for _, z := range readSeq(t, filepath.Join(dir, LayerZoning+".geojsonl")) {
		zoned += planar.Area(z.geom)
	}
	if math.Abs(area-zoned) > 1e-6*zoned {
		t.Errorf("areas cover %g, zones %g", area, zoned)
	}
	// Every sampled parcel centroid is in exactly one area; the walled city
	// is the Centro storico.
	ix := newIndex(aree, 0.01)
	parcels := readSeq(t, filepath.Join(dir, LayerParcels+".geojsonl"))
	rng := rand.New(rand.NewPCG(7, 8))
	for range 1000 {
		c, _ := planar.CentroidArea(parcels[rng.IntN(len(parcels))].geom)
		if hits := ix.containing(c); len(hits) != 1 {
			t.Fatalf("parcel centroid %v in %d areas", c, len(hits))
		}
	}
	if hits := ix.containing(wallsCentreLonLat); len(hits) != 1 || aree[hits[0]].str("name") != "Centro storico" {
		t.Errorf("the walled city is not in Centro storico")
	}
}

func TestManifest(t *testing.T) {
	t.Parallel()
	dir, p, m := generated(t, 1500, 31)
	if m.Parcels != 1500 || m.Seed != 31 || m.Fogli != p.Fogli() {
		t.Errorf("manifest header %+v", m)
	}
	kinds := map[string]layers.Kind{LayerParcels: layers.KindCadastral, LayerZoning: layers.KindZoning,
		LayerConstraints: layers.KindConstraint, LayerAddresses: layers.KindAddress, LayerBroadband: layers.KindBroadband, LayerAree: layers.KindBoundary,
		LayerFogli: layers.KindCadastral, LayerStreets: layers.KindGeneric}
	for _, f := range m.Files {
		if kinds[f.Layer] != f.Kind {
			t.Errorf("%s: kind %s", f.Layer, f.Kind)
		}
		if !strings.Contains(f.Description, "SYNTHETIC") || !strings.Contains(f.Description, "sit gen") || !strings.Contains(f.Description, "ISTAT") {
			t.Errorf("%s: description %q does not say the data are synthetic", f.Layer, f.Description)
		}
		if !strings.Contains(f.Attribution, "ISTAT") || f.Title == "" {
			t.Errorf("%s: attribution %q title %q", f.Layer, f.Attribution, f.Title)
		}
		if got := int64(len(readSeq(t, filepath.Join(dir, f.Path)))); got != f.Features || got == 0 {
			t.Errorf("%s: %d features, manifest says %d", f.Path, got, f.Features)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil || !bytes.Contains(data, []byte(`"lucca_parcels"`)) {
		t.Errorf("manifest.json: %v %s", err, data)
	}
}

func TestProgress(t *testing.T) {
	t.Parallel()
	p, err := NewPlan(context.Background(), Config{Parcels: 40000, Boundary: boundary(t)})
	if err != nil {
		t.Fatal(err)
	}
	last := map[string]int{}
	calls := 0
	m, err := p.Generate(context.Background(), t.TempDir(), func(layer string, n int) {
		if n < last[layer] {
			t.Errorf("%s: progress went back from %d to %d", layer, last[layer], n)
		}
		last[layer] = n
		calls++
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls < 8 {
		t.Errorf("%d progress calls", calls)
	}
	for _, f := range m.Files {
		if int64(last[f.Layer]) != f.Features && f.Layer != LayerBroadband {
			t.Errorf("%s: last progress %d, features %d", f.Layer, last[f.Layer], f.Features)
		}
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	p, err := NewPlan(context.Background(), Config{Parcels: 40000, Boundary: boundary(t)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	_, err = p.Generate(ctx, dir, func(layer string, n int) {
		if n > 0 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 0 {
		t.Errorf("%d files left after a cancelled run", len(left))
	}
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	b := boundary(t)
	rome := orb.Polygon{{{12.4, 41.8}, {12.6, 41.8}, {12.6, 42.0}, {12.4, 42.0}, {12.4, 41.8}}}
	for _, c := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"no boundary", Config{}, "no boundary"},
		{"point boundary", Config{Boundary: orb.Point{10.5, 43.84}}, "want Polygon or MultiPolygon"},
		{"negative parcels", Config{Parcels: -5, Boundary: b}, "parcels must be between"},
		{"too few parcels", Config{Parcels: 10, Boundary: b}, "parcels must be between"},
		{"too many parcels", Config{Parcels: maxParcels + 1, Boundary: b}, "parcels must be between"},
		{"far from Lucca", Config{Boundary: rome}, "not around Lucca"},
		{"short ring", Config{Boundary: orb.Polygon{{{10.5, 43.8}, {10.6, 43.8}, {10.5, 43.8}}}}, "at least 4"},
		{"not lon/lat", Config{Boundary: orb.Polygon{{{1600000, 4850000}, {1610000, 4850000}, {1610000, 4860000}, {1600000, 4850000}}}}, "not lon/lat"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Generate(context.Background(), c.cfg, t.TempDir(), nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestParseBoundary(t *testing.T) {
	t.Parallel()
	file, err := os.ReadFile(filepath.Join("..", "lucca_046017_boundary.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	poly := `{"type":"Polygon","coordinates":[[[10.4,43.8],[10.6,43.8],[10.6,43.9],[10.4,43.8]]]}`
	for _, c := range []struct {
		name, data, wantErr string
		rings               int
	}{
		{"ISTAT file", string(file), "", 1},
		{"feature", `{"type":"Feature","properties":{},"geometry":` + poly + `}`, "", 1},
		{"geometry", poly, "", 1},
		{"not JSON", `{"type":`, "not JSON", 0},
		{"no type", `{"a":1}`, "no GeoJSON", 0},
		{"point feature", `{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[10.5,43.8]}}`, "want Polygon", 0},
		{"empty collection", `{"type":"FeatureCollection","features":[]}`, "no polygon", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			mp, err := ParseBoundary([]byte(c.data))
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(mp) != c.rings {
				t.Errorf("%d polygons, want %d", len(mp), c.rings)
			}
		})
	}
}

func TestCadastralRef(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		foglio, particella int
		want               string
	}{
		{37, 125, "E715_003700.125"},
		{1, 1, "E715_000100.1"},
		{1234, 56789, "E715_123400.56789"},
	} {
		if got := cadastralRef("E715", c.foglio, c.particella); got != c.want {
			t.Errorf("cadastralRef(%d, %d) = %s, want %s", c.foglio, c.particella, got, c.want)
		}
	}
}

// BenchmarkGenerate1M writes a million parcels (with their addresses and
// broadband points and the polygon layers) and reports parcels per second.
func BenchmarkGenerate1M(b *testing.B) {
	bnd := boundary(b)
	const n = 1_000_000
	for b.Loop() {
		dir := b.TempDir()
		if _, err := Generate(context.Background(), Config{Parcels: n, Seed: 1, Boundary: bnd}, dir, nil); err != nil {
			b.Fatal(err)
		}
		os.RemoveAll(dir)
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "parcels/s")
}

// The fogli layer holds every parcel in the foglio of its number, and
// names each foglio by its national reference.
func TestFogliHoldTheirParcels(t *testing.T) {
	t.Parallel()
	dir, p, _ := generated(t, 5000, 31)
	fogli := map[string]orb.MultiPolygon{}
	for _, f := range readSeq(t, filepath.Join(dir, LayerFogli+".geojsonl")) {
		n := f.str("foglio")
		if f.str("comune") != luccaCode || f.str("ref") != string(appendZoningRef(nil, luccaCode, atoi(t, n))) {
			t.Fatalf("foglio %s: comune %q ref %q", n, f.str("comune"), f.str("ref"))
		}
		fogli[n] = orb.MultiPolygon(polygons(f.geom))
		// GeoJSON rings: closed, exterior counter-clockwise. (A foglio at the
		// edge is its rectangle clipped to the boundary, whose edges the clip
		// may fold onto the rectangle's: the loader's ST_MakeValid splits those.)
		for _, poly := range fogli[n] {
			if r := poly[0]; len(r) < 4 || r[0] != r[len(r)-1] || r.Orientation() != orb.CCW {
				t.Fatalf("foglio %s: exterior ring of %d positions, orientation %v", n, len(r), r.Orientation())
			}
		}
	}
	if len(fogli) != p.Fogli() {
		t.Fatalf("%d fogli written, the plan has %d", len(fogli), p.Fogli())
	}
	// Fogli are clipped to the comune's boundary, which a parcel cut at the
	// edge of the territory may cross: those lie in their foglio's box.
	parcels := readSeq(t, filepath.Join(dir, LayerParcels+".geojsonl"))
	outside := 0
	for _, f := range parcels {
		mp, ok := fogli[f.str("foglio")]
		c, _ := planar.CentroidArea(f.geom)
		if !ok || !mp.Bound().Pad(1e-4).Contains(c) {
			t.Fatalf("parcel %s is not in the box of foglio %s", f.str("ref"), f.str("foglio"))
		}
		if !planar.MultiPolygonContains(mp, c) {
			outside++
		}
	}
	if outside > len(parcels)/200 {
		t.Errorf("%d of %d parcels lie outside their foglio", outside, len(parcels))
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
