package ingest

import (
	"fmt"
	"strings"

	"github.com/sit-gis/sit/crs"
	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/layers"
)

// check is the policy an import applies once its records are staged and
// before anything is built (layers.ImportSpec.Check): nothing is replaced
// by accident, a layer holds one kind of geometry, and the data lands
// where it should. A refusal leaves the layer as it was.
func (p *Plan) check(rep Reporter) func(layers.Staged) error {
	return func(st layers.Staged) error {
		if err := p.checkReplace(st, rep); err != nil {
			return err
		}
		if err := p.checkMixed(st); err != nil {
			return err
		}
		return p.checkPlace(st, rep)
	}
}

// checkReplace asks before a replace changes what a layer is (its kind,
// its geometry, the file it comes from) unless --replace said so.
func (p *Plan) checkReplace(st layers.Staged, rep Reporter) error {
	ex := st.Existing
	if ex == nil || st.Mode != layers.ModeReplace || p.req.Replace {
		return nil
	}
	var changes []string
	if ex.Kind != st.Kind {
		changes = append(changes, fmt.Sprintf("kind %s → %s", ex.Kind, st.Kind))
	}
	if family(ex.GeometryType) != family(st.GeometryType) {
		changes = append(changes, fmt.Sprintf("geometry %s → %s", ex.GeometryType, st.GeometryType))
	}
	// An archive's layers change files as releases come (TOSCANA.zip, then
	// LU.zip): comuni are replaced by comune, so the file name says nothing.
	if src := p.req.sourceName(); st.LastSource != "" && !strings.EqualFold(st.LastSource, src) && !p.src.Together {
		changes = append(changes, fmt.Sprintf("source file %s → %s", st.LastSource, src))
	}
	if len(changes) == 0 {
		return nil
	}
	what := fmt.Sprintf("layer %s (version %d, %d features) would be replaced by different data: %s",
		st.Layer, ex.Version, ex.FeatureCount, strings.Join(changes, ", "))
	if rep.Confirm(what + ". Replace it?") {
		return nil
	}
	return fmt.Errorf("%s. Nothing was changed: give --replace to replace it, or --layer to import into another layer", what)
}

// family groups geometry types that one table column can hold.
func family(geomType string) string {
	switch geomType {
	case "Point", "MultiPoint":
		return "points"
	case "LineString", "MultiLineString":
		return "lines"
	case "Polygon", "MultiPolygon":
		return "polygons"
	}
	return "other"
}

// families aggregates staged geometry types by family, most frequent first.
func families(types []layers.TypeCount) []layers.TypeCount {
	var out []layers.TypeCount
	idx := map[string]int{}
	for _, tc := range types {
		f := family(tc.Type)
		i, ok := idx[f]
		if !ok {
			idx[f] = len(out)
			out = append(out, layers.TypeCount{Type: f, Count: tc.Count, First: tc.First})
			continue
		}
		out[i].Count += tc.Count
		out[i].First = min(out[i].First, tc.First)
	}
	return out
}

// checkMixed refuses points, lines and polygons in one layer unless --mixed
// keep asked for a layer of type Geometry (split never gets here mixed).
func (p *Plan) checkMixed(st layers.Staged) error {
	fs := families(st.Types)
	if len(fs) <= 1 || p.set.mixed == MixedKeep {
		return nil
	}
	var parts, names []string
	for _, f := range fs {
		parts = append(parts, fmt.Sprintf("%s: %d (the first at record %d)", f.Type, f.Count, f.First))
		names = append(names, st.Layer+"_"+f.Type)
	}
	return fmt.Errorf("the file mixes geometry types, %s. A layer holds one type: give --mixed split for one layer per type (%s), --mixed keep for one layer of type Geometry, or fix the file",
		strings.Join(parts, "; "), strings.Join(names, ", "))
}

// checkPlace looks at where the data lands in lon/lat: refused when the
// axes are evidently swapped, warned about outside the expected area.
func (p *Plan) checkPlace(st layers.Staged, rep Reporter) error {
	area := p.set.area
	if st.Bounds == nil || area == nil {
		return nil
	}
	ll, err := st.LonLat(*st.Bounds)
	if err == nil && area.Contains(ll) {
		return nil
	}
	if sw, swErr := st.LonLat(st.Bounds.Swapped()); swErr == nil && area.Intersects(sw) && (err != nil || !area.Intersects(ll)) {
		return p.swappedError(st, ll, err, sw)
	}
	if err != nil {
		return fmt.Errorf("the coordinates (%s) cannot be in the CRS they were read in (%s)%s", st.Bounds.Plain(), err, guessHint(*st.Bounds))
	}
	rep.Notice(Notice{Level: Warning, Layer: st.Layer, Text: fmt.Sprintf(
		"layer %s lies outside %s: %s. If that is wrong, the CRS is (check the file's .prj or --srid); if the data really is there, give --expected-area W,S,E,N or --expected-area any",
		st.Layer, areaName(*area), ll)})
	return nil
}

func (p *Plan) swappedError(st layers.Staged, ll crs.Box, llErr error, sw crs.Box) error {
	where := "they cannot be transformed"
	if llErr == nil {
		where = "they fall at " + ll.String()
	}
	return fmt.Errorf("the coordinates look swapped: read with x first (%s) %s, outside %s, while with the axes exchanged they lie at %s. "+
		"GeoJSON, Shapefiles and most files store x (longitude, easting) first: fix the file, or import it with --swap-axes",
		st.Bounds.Plain(), where, areaName(*p.set.area), sw)
}

func areaName(b crs.Box) string {
	if b == crs.Italy() {
		return "Italy"
	}
	return fmt.Sprintf("the expected area (%s)", b)
}

// guessHint suggests CRSs for coordinates that cannot be what they were read as.
func guessHint(b crs.Box) string {
	if s := crs.Suggestion(b); s != "" {
		return ": give the right one with --srid; from their range they may be in " + s
	}
	return ": give the right one with --srid"
}

// checkSRID refuses a --srid that contradicts the CRS the file declares
// (its .prj, GeoPackage SRS, GeoJSON crs or GML srsName): overriding it
// puts the data somewhere else (a comune in the Balkans), so it takes
// --force-srid. RDN2008's N-E and E-N codes name the same coordinates.
func (p *Plan) checkSRID(ds importers.Dataset) error {
	given, file := p.set.srs, ds.Info.FileSRID
	if given.IsZero() || file == 0 || p.req.ForceSRID || (given.EPSG != 0 && crs.EquivalentEPSG(given.EPSG, file)) {
		return nil
	}
	return fieldErrf("srid", "%s declares its coordinates in EPSG:%d, but --srid says %s: they would be read as another CRS and land elsewhere. "+
		"Leave out --srid to use the file's CRS, or add --force-srid if the file's declaration is wrong", p.tableLabel(ds), file, given)
}

// tableLabel names a dataset in messages: the file, and its table when
// the file has several.
func (p *Plan) tableLabel(ds importers.Dataset) string {
	if len(p.src.Datasets) > 1 {
		return fmt.Sprintf("%s (table %s)", p.req.sourceName(), p.tableName(ds))
	}
	return p.req.sourceName()
}
