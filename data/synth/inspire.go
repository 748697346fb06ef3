package synth

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/flate"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
)

// The Agenzia delle Entrate publishes the cadastral map as INSPIRE
// CadastralParcels GML in nested zips (the bulk download, refreshed
// periodically):
//
//	ITALIA/<REGIONE>.zip → <PROV>.zip → <BELFIORE>_<NOME>.zip →
//	    <BELFIORE>_<NOME>_ple.gml  (particelle, CP:CadastralParcel)
//	    <BELFIORE>_<NOME>_map.gml  (fogli, CP:CadastralZoning)
//
// GenerateInspireBulk writes the synthetic parcels in that layout, with
// the MapServer schema of the AdE WFS and download (namespace CP, GML 3.2,
// EPSG:6706 with latitude first in posList), so that imports of the real
// download can be tested and measured without it. The coordinates are the
// generator's CRS84 ones written as RDN2008 (the two differ by less than
// a metre, and the data are synthetic anyway).
//
// The GML members are deflated; the zips that hold zips are stored, not
// compressed again (deflating deflated bytes gains nothing, and a stored
// member can be read in place). Every file is deterministic for a seed.

// BulkRoot is the top folder of the bulk download.
const BulkRoot = "ITALIA"

// bulkRelease is the date written into the archives (zip times, the GML
// timeStamp): fixed, so that the same seed writes the same bytes.
var bulkRelease = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)

const inspireSRS = "urn:ogc:def:crs:EPSG::6706"

// BulkManifest describes an INSPIRE bulk download written by
// GenerateInspireBulk (also saved as manifest.json beside ITALIA/).
type BulkManifest struct {
	Generator string        `json:"generator"`
	Format    string        `json:"format"`
	Seed      uint64        `json:"seed"`
	Parcels   int           `json:"parcels"`
	Fogli     int           `json:"fogli"`
	Release   string        `json:"release"`
	Archives  []BulkArchive `json:"archives"`
}

// BulkArchive is one region zip.
type BulkArchive struct {
	Path    string       `json:"path"` // ITALIA/TOSCANA.zip, relative to the output directory
	Bytes   int64        `json:"bytes"`
	Members []BulkMember `json:"members"`
}

// BulkMember is one GML file inside a region zip.
type BulkMember struct {
	// Path inside the region zip, through the nested zips:
	// LU.zip/E715_LUCCA.zip/E715_LUCCA_ple.gml.
	Path     string `json:"path"`
	Belfiore string `json:"belfiore"`
	Comune   string `json:"comune"`
	Province string `json:"province"`
	// Type is CadastralParcel (_ple.gml) or CadastralZoning (_map.gml).
	Type     string `json:"type"`
	Features int64  `json:"features"`
	Bytes    int64  `json:"bytes"` // uncompressed
}

// bulkComune is one comune to write: its plan and names.
type bulkComune struct {
	plan *Plan
	Comune
}

// GenerateInspireBulk lays out cfg as Generate does (Lucca alone up to
// LuccaCapacity parcels, else the territory) and writes the parcels and
// fogli as the AdE bulk download under outDir/ITALIA, plus manifest.json.
// progress, if not nil, is called with the parcels written so far. On
// error nothing is left behind.
func GenerateInspireBulk(ctx context.Context, cfg Config, outDir string, progress func(parcels int)) (BulkManifest, error) {
	var cs []bulkComune
	if cfg.Parcels > LuccaCapacity {
		t, err := NewTerritory(ctx, cfg)
		if err != nil {
			return BulkManifest{}, err
		}
		for i, p := range t.plans {
			cs = append(cs, bulkComune{p, t.comuni[i]})
		}
	} else {
		c, b, err := cfg.normalise()
		if err != nil {
			return BulkManifest{}, err
		}
		cfg = c
		p, err := NewPlan(ctx, cfg)
		if err != nil {
			return BulkManifest{}, err
		}
		cs = []bulkComune{{p, luccaComune(b)}}
	}
	return writeBulk(ctx, cs, cfg, outDir, progress)
}

func writeBulk(ctx context.Context, cs []bulkComune, cfg Config, outDir string, progress func(int)) (_ BulkManifest, err error) {
	if progress == nil {
		progress = func(int) {}
	}
	m := BulkManifest{Generator: generatorName, Format: "inspire-bulk", Seed: cfg.Seed, Parcels: cfg.Parcels, Release: bulkRelease.Format(time.DateOnly)}
	root := filepath.Join(outDir, BulkRoot)
	if err := os.MkdirAll(root, 0o755); err != nil {
		return m, fmt.Errorf("synth: %w", err)
	}
	var written []string
	defer func() {
		if err != nil {
			for _, f := range written {
				os.Remove(f)
			}
		}
	}()
	slices.SortStableFunc(cs, func(a, b bulkComune) int {
		return strings.Compare(a.Region+"\x00"+a.Province+"\x00"+a.Belfiore, b.Region+"\x00"+b.Province+"\x00"+b.Belfiore)
	})
	bw := &bulkWriter{ctx: ctx, progress: progress}
	for start := 0; start < len(cs); {
		end := start
		for end < len(cs) && cs[end].Region == cs[start].Region {
			end++
		}
		name := regionZipName(cs[start].Region)
		path := filepath.Join(root, name)
		written = append(written, path)
		a, err := bw.region(path, cs[start:end])
		if err != nil {
			return m, err
		}
		a.Path = BulkRoot + "/" + name
		m.Archives = append(m.Archives, a)
		start = end
	}
	for _, c := range cs {
		m.Fogli += len(c.plan.fogli)
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, fmt.Errorf("synth: manifest: %w", err)
	}
	mf := filepath.Join(outDir, ManifestName)
	written = append(written, mf)
	if err := os.WriteFile(mf, append(data, '\n'), 0o644); err != nil {
		return m, fmt.Errorf("synth: %w", err)
	}
	return m, nil
}

// regionZipName is the file name of a region in the download: TOSCANA.zip,
// EMILIA-ROMAGNA.zip.
func regionZipName(region string) string {
	return strings.ReplaceAll(strings.ToUpper(region), " ", "-") + ".zip"
}

// comuneStem is <BELFIORE>_<NOME> as the download names a comune's files
// (the name upper-case, spaces kept: "H833_SAN FELICE DEL MOLISE").
func comuneStem(c Comune) string { return c.Belfiore + "_" + strings.ToUpper(c.Name) }

// bulkWriter writes the nested zips of one region.
type bulkWriter struct {
	ctx      context.Context
	progress func(int)
	parcels  int
}

// storedEntry opens a zip member that holds a zip: stored, not deflated.
func storedEntry(z *zip.Writer, name string) (io.Writer, error) {
	return z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: bulkRelease})
}

// region writes one region zip: a stored zip per province, a stored zip
// per comune inside it, the comune's two GML files deflated inside that.
func (bw *bulkWriter) region(path string, cs []bulkComune) (a BulkArchive, err error) {
	f, err := os.Create(path)
	if err != nil {
		return a, fmt.Errorf("synth: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("synth: %w", cerr)
		}
	}()
	buf := bufio.NewWriterSize(f, 1<<20)
	rz := zip.NewWriter(buf)
	for start := 0; start < len(cs); {
		end := start
		for end < len(cs) && cs[end].Province == cs[start].Province {
			end++
		}
		prov := cs[start].Province + ".zip"
		pw, err := storedEntry(rz, prov)
		if err != nil {
			return a, fmt.Errorf("synth: %s: %w", prov, err)
		}
		pz := zip.NewWriter(pw)
		for _, c := range cs[start:end] {
			ms, err := bw.comune(pz, c)
			if err != nil {
				return a, err
			}
			for _, m := range ms {
				m.Path = prov + "/" + m.Path
				a.Members = append(a.Members, m)
			}
		}
		if err := pz.Close(); err != nil {
			return a, fmt.Errorf("synth: %s: %w", prov, err)
		}
		start = end
	}
	if err := rz.Close(); err != nil {
		return a, fmt.Errorf("synth: %s: %w", path, err)
	}
	if err := buf.Flush(); err != nil {
		return a, fmt.Errorf("synth: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		return a, fmt.Errorf("synth: %w", err)
	}
	a.Bytes = st.Size()
	return a, nil
}

// comune writes <STEM>.zip with <STEM>_ple.gml and <STEM>_map.gml into pz.
func (bw *bulkWriter) comune(pz *zip.Writer, c bulkComune) ([]BulkMember, error) {
	stem := comuneStem(c.Comune)
	cw, err := storedEntry(pz, stem+".zip")
	if err != nil {
		return nil, fmt.Errorf("synth: %s.zip: %w", stem, err)
	}
	cz := zip.NewWriter(cw)
	cz.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, 3)
	})
	var out []BulkMember
	for _, kind := range []struct {
		suffix, typ string
		write       func(*gmlWriter) error
	}{
		{"_ple.gml", "CadastralParcel", func(g *gmlWriter) error { return bw.writeParcels(g, c.plan) }},
		{"_map.gml", "CadastralZoning", func(g *gmlWriter) error { return writeFogli(g, c.plan) }},
	} {
		name := stem + kind.suffix
		w, err := cz.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: bulkRelease})
		if err != nil {
			return nil, fmt.Errorf("synth: %s: %w", name, err)
		}
		g := newGMLWriter(w)
		if err := kind.write(g); err != nil {
			return nil, fmt.Errorf("synth: %s: %w", name, err)
		}
		if err := g.flush(); err != nil {
			return nil, fmt.Errorf("synth: %s: %w", name, err)
		}
		out = append(out, BulkMember{Path: stem + ".zip/" + name, Belfiore: c.Belfiore, Comune: c.Name, Province: c.Province,
			Type: kind.typ, Features: g.features, Bytes: g.bytes})
	}
	if err := cz.Close(); err != nil {
		return nil, fmt.Errorf("synth: %s.zip: %w", stem, err)
	}
	return out, nil
}

// writeParcels writes the comune's _ple.gml.
func (bw *bulkWriter) writeParcels(g *gmlWriter, p *Plan) error {
	g.header(p, "CadastralParcel", p.cfg.Parcels)
	var ring orb.Ring
	var ref []byte
	for _, sh := range p.fogli {
		if err := bw.ctx.Err(); err != nil {
			return err
		}
		err := p.walkFoglio(sh, func(b *block, _ *rand.Rand, pc parcelCell) (bool, error) {
			ring = b.parcelRing(ring, pc.i, pc.j, pc.merged)
			for k := range ring {
				ring[k] = p.fr.toLonLat(ring[k])
			}
			ref = strconv.AppendInt(appendSheetRef(ref[:0], p.code, sh.number), int64(pc.particella), 10)
			g.parcel(ring, ref, p.code, pc.particella)
			bw.parcels++
			if bw.parcels%16384 == 0 {
				bw.progress(bw.parcels)
			}
			return true, g.err
		})
		if err != nil {
			return err
		}
	}
	bw.progress(bw.parcels)
	g.footer()
	return g.err
}

// foglioPolygon is a foglio's rectangle of blocks (edges on road
// centrelines) clipped to the comune's boundary, in local metres.
func (p *Plan) foglioPolygon(sh foglio) (orb.MultiPolygon, error) {
	b := orb.Bound{
		Min: orb.Point{p.colX[p.sheetCol[sh.sx0]], p.rowY[p.sheetRow[sh.sy+1]]},
		Max: orb.Point{p.colX[p.sheetCol[sh.sx1+1]], p.rowY[p.sheetRow[sh.sy]]},
	}
	mp := clip.MultiPolygon(b, p.reg.poly.Clone()) // clip works in place
	if len(mp) == 0 {
		return nil, fmt.Errorf("foglio %d lies outside the boundary", sh.number)
	}
	return mp, nil
}

// fogliFeatures are the fogli as a layer of their own (the demo's sheet
// layer, role sheets): comune, foglio and the sheet's national reference.
func (p *Plan) fogliFeatures() ([]zoneFeature, error) {
	out := make([]zoneFeature, 0, len(p.fogli))
	for _, sh := range p.fogli {
		mp, err := p.foglioPolygon(sh)
		if err != nil {
			return nil, err
		}
		out = append(out, zoneFeature{geom: tidyPolygons(mp), props: [][2]string{{"comune", p.code}, {"sezione", ""}, {"foglio", strconv.Itoa(sh.number)},
			{"particella", ""}, {"allegato", "0"}, {"sviluppo", "0"}, {"ref", string(appendZoningRef(nil, p.code, sh.number))}}})
	}
	return out, nil
}

// tidyPolygons readies clipped polygons for GeoJSON (RFC 7946): exterior
// rings counter-clockwise, holes clockwise, no vertex within 2 cm of the
// previous one (the 7-decimal coordinates would repeat it).
func tidyPolygons(mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, 0, len(mp))
	for _, poly := range mp {
		var tidy orb.Polygon
		for k, r := range poly {
			t := orb.Ring{r[0]}
			for _, pt := range r[1:] {
				if last := t[len(t)-1]; math.Hypot(pt[0]-last[0], pt[1]-last[1]) >= 0.02 {
					t = append(t, pt)
				}
			}
			if t[len(t)-1] != t[0] {
				t[len(t)-1] = t[0] // the last kept vertex was within 2 cm of the first
			}
			if len(t) < 4 {
				continue
			}
			if want := map[bool]orb.Orientation{true: orb.CCW, false: orb.CW}[k == 0]; t.Orientation() != want {
				t.Reverse()
			}
			tidy = append(tidy, t)
		}
		if len(tidy) > 0 && len(tidy[0]) >= 4 {
			out = append(out, tidy)
		}
	}
	return out
}

// writeFogli writes the comune's _map.gml: one CadastralZoning per foglio,
// the foglio's rectangle of blocks (edges on road centrelines) clipped to
// the comune's boundary.
func writeFogli(g *gmlWriter, p *Plan) error {
	g.header(p, "CadastralZoning", len(p.fogli))
	var ref []byte
	for _, sh := range p.fogli {
		mp, err := p.foglioPolygon(sh)
		if err != nil {
			return err
		}
		for _, poly := range mp {
			for _, r := range poly {
				for k := range r {
					r[k] = p.fr.toLonLat(r[k])
				}
			}
		}
		ref = appendZoningRef(ref[:0], p.code, sh.number)
		g.foglio(mp, ref, p.code, sh.number)
		if g.err != nil {
			return g.err
		}
	}
	g.footer()
	return g.err
}
