package synth

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"runtime"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
	"golang.org/x/sync/errgroup"

	"github.com/sit-gis/sit/data"
)

// Beyond Lucca: a territory of comuni at a constant density.
//
// Up to LuccaCapacity parcels the generator fills the Comune di Lucca alone
// (the demo; the files are what they always were for a given seed). Above
// it, packing more parcels into Lucca's 185 km² would measure density, not
// size, so the parcels are laid out at Lucca's density at LuccaCapacity
// (about 1 080 parcels per km², the 200 000-parcel demo) over as many comuni
// as N needs: Lucca first, then the other comuni of its province by
// distance, then the rest of the territory (Tuscany by default) by
// distance. The chosen comuni share the N parcels in proportion to their
// area, so the density is the same everywhere (a little below the demo's,
// as the last comune is not filled to the brim). Each comune has its own
// fogli, particelle and Belfiore code; Lucca keeps its landmarks and its
// other layers (zoning, addresses, broadband…), the other comuni have
// parcels only, shaped by a generic town-and-country terrain.

// LuccaCapacity is the most parcels laid out inside Lucca alone, and with
// Lucca's area it sets the density of larger territories.
const LuccaCapacity = 200_000

// luccaCode is the Belfiore code of the Comune di Lucca.
const luccaCode = "E715"

// TerritoryFile is the bundled territory: the 273 comuni of Tuscany.
const TerritoryFile = "admin/openpolis_limits_R_9_municipalities.geojson"

// Comune is one comune a territory may hold.
type Comune struct {
	Belfiore string // cadastral (Belfiore) code, e.g. E715
	Name     string // e.g. Lucca
	Istat    string // ISTAT code, e.g. 046017
	Province string // sigla, e.g. LU
	Region   string // e.g. Toscana
	// Boundary in lon/lat.
	Boundary orb.MultiPolygon
}

// luccaComune describes Lucca in the demo, where only its boundary is given.
func luccaComune(b orb.MultiPolygon) Comune {
	return Comune{Belfiore: luccaCode, Name: "Lucca", Istat: "046017", Province: "LU", Region: "Toscana", Boundary: b}
}

// ParseComuni reads comuni from a GeoJSON FeatureCollection with the
// properties of the ISTAT limits as openpolis publishes them: name,
// com_catasto_code, com_istat_code, prov_acr, reg_name.
func ParseComuni(raw []byte) ([]Comune, error) {
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		return nil, fmt.Errorf("comuni: %w", err)
	}
	seen := map[string]bool{}
	var out []Comune
	for i, f := range fc.Features {
		c := Comune{Belfiore: f.Properties.MustString("com_catasto_code", ""), Name: f.Properties.MustString("name", ""),
			Istat: f.Properties.MustString("com_istat_code", ""), Province: f.Properties.MustString("prov_acr", ""),
			Region: f.Properties.MustString("reg_name", "")}
		if len(c.Belfiore) != 4 || c.Name == "" || c.Province == "" || c.Region == "" {
			return nil, fmt.Errorf("comuni: feature %d: want properties com_catasto_code (4 characters), name, prov_acr and reg_name, got %q %q %q %q",
				i+1, c.Belfiore, c.Name, c.Province, c.Region)
		}
		if seen[c.Belfiore] {
			return nil, fmt.Errorf("comuni: feature %d: code %s appears twice", i+1, c.Belfiore)
		}
		seen[c.Belfiore] = true
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			c.Boundary = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			c.Boundary = g
		default:
			return nil, fmt.Errorf("comuni: %s %s: geometry %T, want Polygon or MultiPolygon", c.Belfiore, c.Name, f.Geometry)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New("comuni: no feature")
	}
	return out, nil
}

// DefaultTerritory is the bundled territory (TerritoryFile).
func DefaultTerritory() ([]Comune, error) {
	raw, err := fsReadFile(TerritoryFile)
	if err != nil {
		return nil, err
	}
	return ParseComuni(raw)
}

func fsReadFile(name string) ([]byte, error) {
	b, err := fs.ReadFile(data.Files(), name)
	if err != nil {
		return nil, fmt.Errorf("bundled data %s: %w", name, err)
	}
	return b, nil
}

// placed is a comune with its frame, local outline and share of parcels.
type placed struct {
	Comune
	fr      frame
	local   orb.MultiPolygon
	area    float64 // m²
	dist    float64 // metres from Lucca
	parcels int
}

// selectComuni orders the territory (Lucca, its province by distance, the
// rest by distance), keeps the first comuni whose area holds n parcels at
// the density of capacity parcels in Lucca, and shares n among them by
// area (largest remainder).
func selectComuni(comuni []Comune, n, capacity int) ([]placed, error) {
	var all []placed
	lucca := -1
	for _, c := range comuni {
		b := c.Boundary.Bound()
		fr := frameAt(b.Center()[0], b.Center()[1])
		if c.Belfiore == luccaCode {
			fr = newFrame()
			lucca = len(all)
		}
		local := toLocal(c.Boundary, fr)
		all = append(all, placed{Comune: c, fr: fr, local: local, area: planar.Area(local)})
	}
	if lucca < 0 {
		return nil, fmt.Errorf("synth: the territory has no comune %s (Lucca): its layers are laid out on Lucca", luccaCode)
	}
	home := all[lucca]
	density := float64(capacity) / home.area
	hc := home.Boundary.Bound().Center()
	lfr := newFrame()
	for i := range all {
		c := lfr.toLocal(all[i].Boundary.Bound().Center())
		all[i].dist = math.Hypot(c[0]-lfr.toLocal(hc)[0], c[1]-lfr.toLocal(hc)[1])
	}
	slices.SortStableFunc(all, func(a, b placed) int {
		ka, kb := a.Province != home.Province, b.Province != home.Province
		switch {
		case a.Belfiore == luccaCode:
			return -1
		case b.Belfiore == luccaCode:
			return 1
		case ka != kb:
			if ka {
				return 1
			}
			return -1
		}
		return cmpFloat(a.dist, b.dist)
	})
	var area float64
	k := 0
	for k < len(all) && area*density < float64(n) {
		area += all[k].area
		k++
	}
	if area*density < float64(n) {
		return nil, fmt.Errorf("synth: %d parcels at %.0f per km² need %.0f km²; the territory's %d comuni have %.0f km² (at most %d parcels)",
			n, density*1e6, float64(n)/density/1e6, len(all), area/1e6, int(area*density))
	}
	// The last comune may lower the density more than leaving it out
	// would raise it: keep whichever is nearer the target.
	if prev := area - all[k-1].area; k > 1 && float64(n)/prev/density < density*area/float64(n) {
		area, k = prev, k-1
	}
	sel := all[:k]
	shareByArea(sel, n, area)
	return sel, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// shareByArea gives each comune ⌊n·area/total⌋ parcels and the remaining
// ones to the largest remainders (ties to the earlier comune).
func shareByArea(sel []placed, n int, total float64) {
	type rem struct {
		i int
		r float64
	}
	rs := make([]rem, len(sel))
	left := n
	for i := range sel {
		x := float64(n) * sel[i].area / total
		sel[i].parcels = int(x)
		left -= sel[i].parcels
		rs[i] = rem{i, x - math.Floor(x)}
	}
	slices.SortStableFunc(rs, func(a, b rem) int { return -cmpFloat(a.r, b.r) })
	for k := 0; k < left; k++ {
		sel[rs[k%len(rs)].i].parcels++
	}
}

// Territory is the layout of a generation over several comuni: one Plan
// per comune, Lucca first, with continuous parcel ids.
type Territory struct {
	cfg    Config
	plans  []*Plan
	comuni []Comune
}

// NewTerritory lays out cfg.Parcels parcels over the comuni of
// cfg.Territory (the bundled Tuscany when nil) as the package comment
// says. The comuni are laid out in parallel.
func NewTerritory(ctx context.Context, cfg Config) (*Territory, error) {
	return newTerritory(ctx, cfg, LuccaCapacity)
}

// newTerritory lays out the territory at the density of capacity parcels
// in Lucca (tests use a lower one to span many comuni with few parcels).
func newTerritory(ctx context.Context, cfg Config, capacity int) (*Territory, error) {
	if cfg.Parcels < minParcels || cfg.Parcels > maxParcels {
		return nil, fmt.Errorf("synth: parcels must be between %d and %d, got %d", minParcels, maxParcels, cfg.Parcels)
	}
	comuni := cfg.Territory
	if comuni == nil {
		var err error
		if comuni, err = DefaultTerritory(); err != nil {
			return nil, err
		}
	}
	sel, err := selectComuni(comuni, cfg.Parcels, capacity)
	if err != nil {
		return nil, err
	}
	t := &Territory{cfg: cfg, plans: make([]*Plan, len(sel))}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, c := range sel {
		t.comuni = append(t.comuni, c.Comune)
		g.Go(func() error {
			pc := Config{Parcels: c.parcels, Seed: cfg.Seed}
			var land *landscape
			var terr terrain
			if c.Belfiore == luccaCode {
				if err := checkBoundary(c.Boundary); err != nil {
					return err
				}
				land = newLandscape(c.fr)
				terr = luccaTerrain{land, c.fr}
			} else {
				pc.Seed = mix(cfg.Seed, codeHash(c.Belfiore))
				terr = newGenericTerrain(newRegion(c.local), c.Belfiore)
			}
			p, err := newPlan(gctx, pc, c.Belfiore, c.fr, c.local, land, terr)
			if err != nil {
				return fmt.Errorf("%s %s (%d parcels): %w", c.Belfiore, c.Name, c.parcels, err)
			}
			t.plans[i] = p
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var id int64
	for _, p := range t.plans {
		p.idBase = id
		id += int64(p.cfg.Parcels)
	}
	return t, nil
}

// Comuni lists the comuni of the territory in output order.
func (t *Territory) Comuni() []Comune { return t.comuni }

// Parcels is the number of parcels over the territory.
func (t *Territory) Parcels() int { return t.cfg.Parcels }

// Fogli is the number of fogli over all comuni.
func (t *Territory) Fogli() int {
	n := 0
	for _, p := range t.plans {
		n += len(p.fogli)
	}
	return n
}

// ComuneInfo is one comune of a generated territory (in the manifest).
type ComuneInfo struct {
	Belfiore string `json:"belfiore"`
	Name     string `json:"name"`
	Istat    string `json:"istat"`
	Province string `json:"province"`
	Region   string `json:"region"`
	Parcels  int    `json:"parcels"`
	Fogli    int    `json:"fogli"`
	// FirstID is the feature id of the comune's first parcel.
	FirstID int64 `json:"first_id"`
	// AreaKm2 is the comune's area (the ISTAT boundary, local projection).
	AreaKm2 float64 `json:"area_km2"`
}

func (t *Territory) info() []ComuneInfo {
	out := make([]ComuneInfo, len(t.plans))
	for i, p := range t.plans {
		c := t.comuni[i]
		out[i] = ComuneInfo{Belfiore: c.Belfiore, Name: c.Name, Istat: c.Istat, Province: c.Province, Region: c.Region,
			Parcels: p.cfg.Parcels, Fogli: len(p.fogli), FirstID: p.idBase + 1, AreaKm2: math.Round(planar.Area(p.reg.poly)/1e4) / 100}
	}
	return out
}

// Generate writes the layers as the package Generate does: the parcels of
// every comune in one file, the other layers for Lucca.
func (t *Territory) Generate(ctx context.Context, outDir string, progress func(layer string, n int)) (Manifest, error) {
	provs := map[string]bool{}
	var names []string
	for _, c := range t.comuni {
		provs[c.Province] = true
		names = append(names, c.Name)
	}
	list := strings.Join(names, ", ")
	if len(names) > 12 {
		list = strings.Join(names[:12], ", ") + fmt.Sprintf(" and %d more", len(names)-12)
	}
	what := fmt.Sprintf("generated by `sit gen` (seed %d, %d parcels at a constant density of about %.0f per km²) inside the real ISTAT boundaries of %d comuni in %d province(s) (%s)",
		t.cfg.Seed, t.cfg.Parcels, float64(t.cfg.Parcels)/t.areaKm2(), len(t.comuni), len(provs), list)
	luccaWhat := fmt.Sprintf("generated by `sit gen` (seed %d, %d parcels in Lucca out of %d in %d comuni) inside the real ISTAT boundary of the Comune di Lucca",
		t.cfg.Seed, t.plans[0].cfg.Parcels, t.cfg.Parcels, len(t.comuni))
	m := Manifest{Generator: generatorName, Seed: t.cfg.Seed, Parcels: t.cfg.Parcels, Fogli: t.Fogli(), Comuni: t.info()}
	return writeLayers(ctx, t.plans, m, what, luccaWhat, outDir, progress)
}

func (t *Territory) areaKm2() float64 {
	var a float64
	for _, p := range t.plans {
		a += planar.Area(p.reg.poly)
	}
	return a / 1e6
}
