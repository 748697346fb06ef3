// Package synth generates the synthetic demo layers of SIT for the Comune di
// Lucca: cadastral parcels, zoning, constraints, addresses, two broadband
// snapshots and statistical areas, laid out inside the real ISTAT boundary.
// Nothing in them is real except the boundary, the street names and the
// approximate position of the walls, the Serchio and the frazioni.
//
// Sources: the boundary (data/lucca_046017_boundary.geojson) is ISTAT's,
// CC BY 4.0, via openpolis/geojson-italy; the street names (streets.txt) come
// from Infratel Italia's "Mappatura 2025" published results, via
// nemorfol/infratel-2028. The manifest carries the attributions.
//
// The output is deterministic: the same Config writes byte-identical files.
// Generation streams block by block, so memory stays flat with the number of
// parcels (a million parcels take a few seconds).
package synth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"github.com/sit-gis/sit/layers"
)

// Config chooses what Generate writes.
type Config struct {
	// Parcels is the exact number of cadastral parcels; 0 means 50 000.
	Parcels int
	// Seed selects one of the possible synthetic Luccas (PCG streams).
	Seed uint64
	// Boundary is the comune boundary in lon/lat (CRS84): an orb.Polygon or
	// orb.MultiPolygon, normally data/lucca_046017_boundary.geojson read
	// with ParseBoundary. It frames up to LuccaCapacity parcels.
	Boundary orb.Geometry
	// Territory is where more than LuccaCapacity parcels go (see
	// NewTerritory); nil means the bundled Tuscany (DefaultTerritory).
	Territory []Comune
}

// Snapshot dates of the two broadband files.
const (
	SnapshotBefore = "2025-03-31"
	SnapshotAfter  = "2025-06-30"
)

// Manifest describes the files Generate wrote (also saved as manifest.json).
type Manifest struct {
	Generator string `json:"generator"`
	Seed      uint64 `json:"seed"`
	Parcels   int    `json:"parcels"`
	Fogli     int    `json:"fogli"`
	Files     []File `json:"files"`
	// Comuni lists the comuni of a territory (more than LuccaCapacity
	// parcels); absent for Lucca alone.
	Comuni []ComuneInfo `json:"comuni,omitempty"`
}

// File is one output file and how to import it.
type File struct {
	// Path is the file name inside the output directory.
	Path string `json:"path"`
	// Layer is the suggested layer name; both broadband files share one
	// layer, appended by snapshot.
	Layer       string      `json:"layer"`
	Kind        layers.Kind `json:"kind"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Attribution string      `json:"attribution"`
	// Snapshot is the date of a broadband snapshot (YYYY-MM-DD), else "".
	Snapshot string `json:"snapshot,omitempty"`
	Features int64  `json:"features"`
}

// ManifestName is the file name of the manifest in the output directory.
const ManifestName = "manifest.json"

const (
	attribBoundary = "Dati sintetici generati da sit gen; confine comunale © ISTAT (CC BY 4.0) via openpolis"
	attribStreets  = attribBoundary + "; nomi delle strade: Infratel Italia – Mappatura 2025"
)

func (c Config) normalise() (Config, orb.MultiPolygon, error) {
	if c.Parcels == 0 {
		c.Parcels = defaultSize
	}
	if c.Parcels < minParcels || c.Parcels > maxParcels {
		return c, nil, fmt.Errorf("synth: parcels must be between %d and %d, got %d", minParcels, maxParcels, c.Parcels)
	}
	var mp orb.MultiPolygon
	switch b := c.Boundary.(type) {
	case nil:
		return c, nil, errors.New("synth: no boundary: set Config.Boundary (e.g. from data/lucca_046017_boundary.geojson)")
	case orb.Polygon:
		mp = orb.MultiPolygon{b}
	case orb.MultiPolygon:
		mp = b
	default:
		return c, nil, fmt.Errorf("synth: boundary is a %s, want Polygon or MultiPolygon", c.Boundary.GeoJSONType())
	}
	if err := checkBoundary(mp); err != nil {
		return c, nil, err
	}
	return c, mp, nil
}

// checkBoundary rejects boundaries the generator cannot use: empty rings,
// non-finite or non-lon/lat coordinates, and places far from Lucca (the
// landmarks that shape the layers are Lucca's).
func checkBoundary(mp orb.MultiPolygon) error {
	if len(mp) == 0 {
		return errors.New("synth: boundary has no polygon")
	}
	for i, p := range mp {
		if len(p) == 0 {
			return fmt.Errorf("synth: boundary polygon %d has no ring", i+1)
		}
		for j, r := range p {
			if len(r) < 4 {
				return fmt.Errorf("synth: boundary polygon %d ring %d has %d positions, want at least 4", i+1, j+1, len(r))
			}
			for _, pt := range r {
				if math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || math.Abs(pt[0]) > 180 || math.Abs(pt[1]) > 90 {
					return fmt.Errorf("synth: boundary polygon %d ring %d: position %v is not lon/lat", i+1, j+1, pt)
				}
			}
		}
	}
	b := mp.Bound()
	c := b.Center()
	if math.Abs(c[0]-frameLon0) > 0.5 || math.Abs(c[1]-frameLat0) > 0.5 || b.Max[0]-b.Min[0] > 1 || b.Max[1]-b.Min[1] > 1 {
		return fmt.Errorf("synth: boundary centred at %.4fE %.4fN, %.2f°×%.2f° is not around Lucca (%.2fE %.2fN): the synthetic layers are laid out on Lucca's landmarks",
			c[0], c[1], b.Max[0]-b.Min[0], b.Max[1]-b.Min[1], frameLon0, frameLat0)
	}
	if planar.Area(mp) <= 0 {
		return errors.New("synth: boundary has no area")
	}
	return nil
}

// ParseBoundary reads a boundary from GeoJSON: a FeatureCollection (all its
// Polygon and MultiPolygon features together), a Feature or a bare geometry.
func ParseBoundary(data []byte) (orb.MultiPolygon, error) {
	var probe struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("boundary: not JSON: %w", err)
	}
	var geoms []orb.Geometry
	switch probe.Type {
	case "FeatureCollection":
		fc, err := geojson.UnmarshalFeatureCollection(data)
		if err != nil {
			return nil, fmt.Errorf("boundary: %w", err)
		}
		for _, f := range fc.Features {
			geoms = append(geoms, f.Geometry)
		}
	case "Feature":
		f, err := geojson.UnmarshalFeature(data)
		if err != nil {
			return nil, fmt.Errorf("boundary: %w", err)
		}
		geoms = append(geoms, f.Geometry)
	case "":
		return nil, errors.New("boundary: no GeoJSON \"type\"")
	default:
		g, err := geojson.UnmarshalGeometry(data)
		if err != nil {
			return nil, fmt.Errorf("boundary: %w", err)
		}
		geoms = append(geoms, g.Geometry())
	}
	var mp orb.MultiPolygon
	for i, g := range geoms {
		switch g := g.(type) {
		case orb.Polygon:
			mp = append(mp, g)
		case orb.MultiPolygon:
			mp = append(mp, g...)
		case nil:
			return nil, fmt.Errorf("boundary: feature %d has no geometry", i+1)
		default:
			return nil, fmt.Errorf("boundary: feature %d is a %s, want Polygon or MultiPolygon", i+1, g.GeoJSONType())
		}
	}
	if len(mp) == 0 {
		return nil, errors.New("boundary: no polygon found")
	}
	if err := checkBoundary(mp); err != nil {
		return nil, err
	}
	return mp, nil
}

// Generate writes the synthetic layers of cfg into outDir (created if
// needed) as GeoJSON text sequences (.geojsonl: one Feature per line, no
// record separator, CRS84, 7 decimals) plus manifest.json. progress, if not
// nil, is called with (LayerParcels, parcels written so far) every 16 384
// parcels, then once per file, in manifest order, with the layer name and the
// file's final count. On error the files written are removed.
//
// Up to LuccaCapacity parcels they lie in cfg.Boundary (Lucca); more are
// laid out over the comuni of cfg.Territory at a constant density (see
// NewTerritory).
func Generate(ctx context.Context, cfg Config, outDir string, progress func(layer string, n int)) (Manifest, error) {
	if cfg.Parcels > LuccaCapacity {
		t, err := NewTerritory(ctx, cfg)
		if err != nil {
			return Manifest{}, err
		}
		return t.Generate(ctx, outDir, progress)
	}
	p, err := NewPlan(ctx, cfg)
	if err != nil {
		return Manifest{}, err
	}
	return p.Generate(ctx, outDir, progress)
}

// Layer names of the output.
const (
	LayerParcels     = "lucca_parcels"
	LayerZoning      = "lucca_zoning"
	LayerConstraints = "lucca_constraints"
	LayerAddresses   = "lucca_addresses"
	LayerBroadband   = "lucca_broadband"
	LayerAree        = "lucca_aree"
	LayerFogli       = "lucca_quadro_unione" // the fogli (sorts after the parcels)
	LayerStreets     = "lucca_strade"        // street centre-lines with their names: the demo's base map
)

// Generate writes the layers of the plan; see the package function.
func (p *Plan) Generate(ctx context.Context, outDir string, progress func(layer string, n int)) (Manifest, error) {
	what := fmt.Sprintf("generated by `sit gen` (seed %d, %d parcels) inside the real ISTAT boundary of the Comune di Lucca", p.cfg.Seed, p.cfg.Parcels)
	m := Manifest{Generator: generatorName, Seed: p.cfg.Seed, Parcels: p.cfg.Parcels, Fogli: len(p.fogli)}
	return writeLayers(ctx, []*Plan{p}, m, what, what, outDir, progress)
}

const generatorName = "sit gen (github.com/sit-gis/sit/data/synth)"

// layerFiles are the files of one generation, removed if it fails.
type layerFiles struct {
	dir     string
	created []*seqWriter
}

func (lf *layerFiles) open(name string) (*seqWriter, error) {
	w, err := createSeq(filepath.Join(lf.dir, name))
	if err == nil {
		lf.created = append(lf.created, w)
	}
	return w, err
}

func (lf *layerFiles) removeAll() {
	for _, w := range lf.created {
		w.close()
		os.Remove(w.path)
	}
}

// writeLayers writes the parcels of every plan (in order, with continuous
// ids) and the other layers of the first one, which is Lucca's: its
// addresses, broadband, zoning, constraints and statistical areas. what
// and luccaWhat end the descriptions of the parcels and of Lucca's layers.
func writeLayers(ctx context.Context, plans []*Plan, m Manifest, what, luccaWhat, outDir string, progress func(layer string, n int)) (_ Manifest, err error) {
	if progress == nil {
		progress = func(string, int) {}
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return Manifest{}, fmt.Errorf("synth: %w", err)
	}
	lf := &layerFiles{dir: outDir}
	defer func() {
		if err != nil {
			lf.removeAll()
		}
	}()
	file := func(w *seqWriter, layer string, kind layers.Kind, title, desc, attrib, snapshot string) {
		m.Files = append(m.Files, File{Path: filepath.Base(w.path), Layer: layer, Kind: kind, Title: title,
			Description: desc, Attribution: attrib, Snapshot: snapshot, Features: w.count})
		progress(layer, int(w.count))
	}
	if err := writeStreamed(ctx, plans, lf, what, luccaWhat, file, progress); err != nil {
		return Manifest{}, err
	}
	if err := plans[0].writePolygonLayers(ctx, lf, luccaWhat, file); err != nil {
		return Manifest{}, err
	}
	if err := plans[0].writeStreets(ctx, lf, luccaWhat, file); err != nil {
		return Manifest{}, err
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return Manifest{}, fmt.Errorf("synth: manifest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(outDir, ManifestName), append(data, '\n'), 0o644); err != nil {
		return Manifest{}, fmt.Errorf("synth: %w", err)
	}
	return m, nil
}

type fileFunc func(w *seqWriter, layer string, kind layers.Kind, title, desc, attrib, snapshot string)

// writeStreamed writes parcels, addresses and both broadband snapshots in
// one streaming pass over the plans.
func writeStreamed(ctx context.Context, plans []*Plan, lf *layerFiles, what, luccaWhat string, file fileFunc, progress func(string, int)) error {
	var ws [4]*seqWriter
	for i, name := range []string{LayerParcels + ".geojsonl", LayerAddresses + ".geojsonl",
		LayerBroadband + "_" + SnapshotBefore + ".geojsonl", LayerBroadband + "_" + SnapshotAfter + ".geojsonl"} {
		w, err := lf.open(name)
		if err != nil {
			return err
		}
		ws[i] = w
	}
	parcels, addrs, bb1, bb2 := ws[0], ws[1], ws[2], ws[3]
	for i, p := range plans {
		a := addrs
		if i > 0 {
			a = nil // the street names and the broadband pattern are Lucca's
		}
		if err := p.writeParcels(ctx, parcels, a, bb1, bb2, progress); err != nil {
			return err
		}
	}
	for _, w := range ws {
		if err := w.close(); err != nil {
			return err
		}
	}
	file(parcels, LayerParcels, layers.KindCadastral, "Particelle catastali (sintetiche)",
		"SYNTHETIC cadastral parcels, not Agenzia delle Entrate data: "+what+". Fogli of about 1.25 km numbered from the north-west, particelle numbered within each foglio; road corridors hold no parcel.",
		attribBoundary, "")
	file(addrs, LayerAddresses, layers.KindAddress, "Numeri civici (sintetici)",
		"SYNTHETIC address points, one to three per urban parcel and about one rural parcel in ten: "+luccaWhat+". Street names are real names of Lucca; the house numbers are invented.",
		attribStreets, "")
	for _, x := range []struct {
		w    *seqWriter
		date string
	}{{bb1, SnapshotBefore}, {bb2, SnapshotAfter}} {
		file(x.w, LayerBroadband, layers.KindBroadband, "Copertura banda ultralarga (sintetica)",
			"SYNTHETIC fixed broadband coverage, one point per address, snapshot "+x.date+": "+luccaWhat+". Coverage is mostly FTTH/FTTC in town and FWA/ADSL or none in the hills; some addresses improve between the snapshots, none gets worse.",
			attribStreets, x.date)
	}
	return nil
}

// writePolygonLayers writes Lucca's zoning, constraints and statistical
// areas; they are small, so built in memory.
func (p *Plan) writePolygonLayers(ctx context.Context, lf *layerFiles, what string, file fileFunc) error {
	for _, l := range []struct {
		layer, name, title, desc string
		kind                     layers.Kind
		build                    func() ([]zoneFeature, error)
	}{
		{LayerZoning, LayerZoning + ".geojsonl", "Zonizzazione urbanistica (sintetica)",
			"SYNTHETIC zoning (DM 1444/1968 zones A–F with local sub-codes) that tiles the territory: " + what + ". Zone A is the historic centre inside the walls.",
			layers.KindZoning, p.zoningFeatures},
		{LayerConstraints, LayerConstraints + ".geojsonl", "Vincoli (sintetici)",
			"SYNTHETIC constraints overlapping the zoning: flood hazard P3/P2 along an approximate course of the Serchio, landscape protection (D.Lgs. 42/2004) and the monumental ring of the walls: " + what + ".",
			layers.KindConstraint, p.constraintFeatures},
		{LayerFogli, LayerFogli + ".geojsonl", "Quadro d'unione: fogli catastali (sintetici)",
			"SYNTHETIC cadastral sheets (fogli, as the INSPIRE CadastralZoning of the Agenzia delle Entrate): " + what + ". Each foglio is the rectangle of the blocks of its parcels, numbered from the north-west.",
			layers.KindCadastral, p.fogliFeatures},
		{LayerAree, LayerAree + ".geojsonl", "Aree statistiche (sintetiche)",
			"SYNTHETIC statistical areas named after real frazioni and quartieri of Lucca, tiling the territory: " + what + ".",
			layers.KindBoundary, p.areaFeatures},
	} {
		if err := ctx.Err(); err != nil {
			return err
		}
		feats, err := l.build()
		if err != nil {
			return err
		}
		w, err := lf.open(l.name)
		if err != nil {
			return err
		}
		if err := p.writePolygons(w, feats); err != nil {
			return err
		}
		if err := w.close(); err != nil {
			return err
		}
		file(w, l.layer, l.kind, l.title, l.desc, attribBoundary, "")
	}
	return nil
}

// addrWriter holds what writeAddresses needs from one writeParcels run.
type addrWriter struct {
	ad              *addressing
	offs            []offer
	addrs, bb1, bb2 *seqWriter
	id              *int64 // the last address id written
}

// writeAddresses writes the address points of one parcel and their
// broadband at both snapshots.
func (p *Plan) writeAddresses(aw *addrWriter, b *block, rng *rand.Rand, pc parcelCell, ref string) error {
	for k := range addressCount(rng, b.u) {
		i := pc.i
		if pc.merged && rng.IntN(2) == 1 {
			i++
		}
		pt := p.fr.toLonLat(pointInQuad(b, rng, i, pc.j))
		street, civico := aw.ad.address(b, pc.i, pc.j, k)
		address := street + " " + civico
		svc := drawService(rng, aw.offs, b.u, b.h)
		*aw.id++
		line := aw.addrs.begin(*aw.id)
		line = appendGeometry(line, pt)
		line = propString(line, true, "address", address)
		line = propString(line, false, "street", street)
		line = propString(line, false, "civico", civico)
		line = propString(line, false, "parcel_ref", ref)
		if err := aw.addrs.end(line); err != nil {
			return err
		}
		for _, snap := range []struct {
			w     *seqWriter
			date  string
			offer int
			op    string
		}{{aw.bb1, SnapshotBefore, svc.before, svc.opBefore}, {aw.bb2, SnapshotAfter, svc.after, svc.opAfter}} {
			o := aw.offs[snap.offer]
			line := snap.w.begin(*aw.id)
			line = appendGeometry(line, pt)
			line = propString(line, true, "snapshot", snap.date)
			line = propString(line, false, "technology", o.technology)
			line = propFloat(line, false, "max_down_mbps", o.down)
			line = propFloat(line, false, "max_up_mbps", o.up)
			line = propString(line, false, "operator", snap.op)
			line = propString(line, false, "address", address)
			line = propInt(line, false, "households", int64(svc.households))
			if err := snap.w.end(line); err != nil {
				return err
			}
		}
	}
	return nil
}

// writePolygons writes zone-like features with ids 1.. in lon/lat.
func (p *Plan) writePolygons(w *seqWriter, feats []zoneFeature) error {
	for k, f := range feats {
		g := make(orb.MultiPolygon, len(f.geom))
		for i, poly := range f.geom {
			g[i] = make(orb.Polygon, len(poly))
			for j, r := range poly {
				lr := make(orb.Ring, len(r))
				for n, pt := range r {
					lr[n] = p.fr.toLonLat(pt)
				}
				g[i][j] = lr
			}
		}
		b := w.begin(int64(k + 1))
		b = appendGeometry(b, g)
		for i, kv := range f.props {
			b = propString(b, i == 0, kv[0], kv[1])
		}
		if err := w.end(b); err != nil {
			return err
		}
	}
	return nil
}

// writeParcels streams the parcels with their addresses and broadband.
func (p *Plan) writeParcels(ctx context.Context, parcels, addrs, bb1, bb2 *seqWriter, progress func(string, int)) error {
	var addrID int64
	aw := &addrWriter{ad: p.newAddressing(), offs: offers(), addrs: addrs, bb1: bb1, bb2: bb2, id: &addrID}
	var ring orb.Ring
	for _, sh := range p.fogli {
		if err := ctx.Err(); err != nil {
			return err
		}
		foglio := strconv.Itoa(sh.number)
		fogRef := string(appendSheetRef(nil, p.code, sh.number)) // "E715_003700."
		err := p.walkFoglio(sh, func(b *block, rng *rand.Rand, pc parcelCell) (bool, error) {
			ring = b.parcelRing(ring, pc.i, pc.j, pc.merged)
			for k := range ring {
				ring[k] = p.fr.toLonLat(ring[k])
			}
			particella := strconv.Itoa(pc.particella)
			ref := fogRef + particella
			line := parcels.begin(p.idBase + pc.id)
			line = append(line, `{"type":"Polygon","coordinates":[`...)
			line = appendRing(line, ring)
			line = append(line, `]},"properties":{"comune":"`...)
			line = append(line, p.code...)
			line = append(line, `","sezione":"","foglio":"`...)
			line = append(line, foglio...)
			line = append(line, `","particella":"`...)
			line = append(line, particella...)
			line = append(line, `","allegato":"0","sviluppo":"0","ref":"`...)
			line = append(line, ref...)
			line = append(line, '"')
			if err := parcels.end(line); err != nil {
				return false, err
			}
			if pc.id%16384 == 0 {
				progress(LayerParcels, int(p.idBase+pc.id))
				if err := ctx.Err(); err != nil {
					return false, err
				}
			}

			if addrs == nil { // a comune of the territory other than Lucca: parcels only
				return true, nil
			}
			return true, p.writeAddresses(aw, b, rng, pc, ref)
		})
		if err != nil {
			return err
		}
	}
	return nil
}
