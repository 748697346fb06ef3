package tiles

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/layers"
)

// DefaultMaxFeatures caps the features of one layer in one tile: a safety
// valve against a pathological tile, not a generalisation method (the zoom
// ranges and simplification are).
const DefaultMaxFeatures = 25000

// Tiling says how a layer becomes tiles: its zoom range (from the catalog's
// min/max zoom, which the loader sets by kind), which attributes appear at
// which zoom, below which zoom geometries are simplified, and the feature
// cap. A layer may override the attribute bands, the simplification zoom
// and the cap in its catalog style, under "tiles":
//
//	{"tiles": {"attributes": {"0": ["name"], "14": ["name", "code"]},
//	           "detailZoom": 14, "outlineZoom": 15, "maxFeatures": 10000}}
type Tiling struct {
	MinZoom, MaxZoom int
	// Bands maps a starting zoom to the attributes shown from it on (until
	// the next band). A nil Bands shows every scalar attribute at every zoom.
	Bands map[int][]string
	// DetailZoom: below it, geometries are simplified.
	DetailZoom int
	// OutlineZoom: below it a layer of parcels is drawn as outlines, one
	// line feature per foglio (outlineSQL); 0 for never. What makes a
	// dense layer's tile slow is its number of features, not of vertices.
	OutlineZoom int
	MaxFeatures int
	// LabelField, from LabelZoom on, adds a point layer "<name>:labels":
	// one point inside each feature (ST_PointOnSurface), in the one tile
	// that holds it, carrying that field. A polygon split across tiles
	// would otherwise be labelled once per tile.
	LabelField string
	LabelZoom  int
}

// labelSuffix makes the name of a layer's label points: a virtual layer
// that can be asked for on its own (/tiles/parcels:labels/…), so that the
// polygons' tiles stay as light as without labels and only a map that
// shows labels pays for them.
const labelSuffix = ":labels"

// LabelLayer is the name of a layer's label points in the tiles.
func LabelLayer(name string) string { return name + labelSuffix }

// labelsOf returns the layer whose label points a name asks for.
func labelsOf(name string) (string, bool) { return strings.CutSuffix(name, labelSuffix) }

// styleTiles is the "tiles" member of a layer's style.
type styleTiles struct {
	Attributes  map[string][]string `json:"attributes"`
	DetailZoom  *int                `json:"detailZoom"`
	OutlineZoom *int                `json:"outlineZoom"`
	MaxFeatures *int                `json:"maxFeatures"`
}

// parcelOutlineZoom is where parcels start being tiled one by one: at 1
// million parcels a z14 tile holds 3 000–10 000 of them, and their fogli's
// outlines make it 2–3 times faster (docs/SCALING.md).
const parcelOutlineZoom = 15

// sheetKey are the columns that name a foglio (a cadastral sheet): the
// outline features' attributes, one feature per value.
var sheetKey = []string{"comune", "sezione", "foglio"}

// kindBands are the default attribute subsets by kind: what a map needs to
// draw and label at each zoom, nothing heavier.
func kindBands(k layers.Kind) map[int][]string {
	switch k {
	case layers.KindCadastral:
		return map[int][]string{
			0:  {"foglio", "particella"},
			16: {"foglio", "particella", "ref", "area_m2"},
		}
	case layers.KindZoning, layers.KindConstraint:
		return map[int][]string{
			0:  {"zone_code", "zone_class"},
			14: {"zone_code", "zone_class", "description", "norm_ref", "plan"},
		}
	case layers.KindBroadband:
		return map[int][]string{
			// snapshot at every zoom: the dashboard filters the map by it.
			0:  {"speed_band", "area_class", "snapshot"},
			15: {"speed_band", "area_class", "technology", "max_down_mbps", "max_up_mbps", "operator", "snapshot"},
		}
	}
	return nil
}

// TilingFor returns the tiling rules of a layer: kind defaults, then the
// layer's own overrides.
func TilingFor(l layers.Layer) (Tiling, error) {
	t := Tiling{MinZoom: l.MinZoom, MaxZoom: l.MaxZoom, Bands: kindBands(l.Kind), DetailZoom: 14, MaxFeatures: DefaultMaxFeatures}
	switch {
	case isSheetLayer(l):
		// Fogli: their numbers from the layer's first zoom, as a
		// surveyor finds the sheet before the parcel.
		t.LabelField, t.LabelZoom = "foglio", 0
	case l.Kind == layers.KindCadastral:
		t.LabelField, t.LabelZoom = "particella", 17
		if _, ok := l.Property("foglio"); ok {
			t.OutlineZoom = parcelOutlineZoom
		}
	case l.Kind == layers.KindZoning:
		t.LabelField, t.LabelZoom = "zone_code", 15
	case l.Kind == layers.KindBoundary:
		// Comuni, frazioni, quartieri by name: where the map is, at any
		// zoom (part of the base map).
		t.LabelField, t.LabelZoom = "name", 0
	case l.Kind == layers.KindBroadband && isAGCOM(l):
		// The AGCOM figures the style colours by (the FTTH share).
		t.Bands = map[int][]string{0: domain.AGCOMColumns()}
	}
	if isStreetLayer(l) {
		t.MinZoom = max(t.MinZoom, streetsMinZoom)
	}

	if _, ok := l.Property(t.LabelField); !ok {
		t.LabelField = ""
	}
	t.LabelZoom = max(t.LabelZoom, t.MinZoom)
	if t.MaxZoom > MaxZoom {
		t.MaxZoom = MaxZoom
	}
	if len(l.Style) > 0 {
		var st struct {
			Tiles *styleTiles `json:"tiles"`
		}
		if err := json.Unmarshal(l.Style, &st); err != nil {
			return t, fmt.Errorf("layer %s: style: %w", l.Name, err)
		}
		if o := st.Tiles; o != nil {
			if o.Attributes != nil {
				t.Bands = map[int][]string{}
				for k, v := range o.Attributes {
					var z int
					if _, err := fmt.Sscanf(k, "%d", &z); err != nil || z < 0 || z > MaxZoom {
						return t, fmt.Errorf("layer %s: style tiles.attributes: %q is not a zoom", l.Name, k)
					}
					t.Bands[z] = v
				}
			}
			if o.DetailZoom != nil {
				t.DetailZoom = *o.DetailZoom
			}
			if o.OutlineZoom != nil {
				t.OutlineZoom = *o.OutlineZoom
			}
			if o.MaxFeatures != nil && *o.MaxFeatures > 0 {
				t.MaxFeatures = *o.MaxFeatures
			}
		}
	}
	// Outlines need areas and a foglio to group them by.
	if _, ok := l.Property("foglio"); !ok || !strings.Contains(l.GeometryType, "Polygon") {
		t.OutlineZoom = 0
	}
	return t, nil
}

// InRange reports whether the layer is drawn at zoom z.
func (t Tiling) InRange(z int) bool { return z >= t.MinZoom && z <= t.MaxZoom }

// Labelled reports whether the tile at zoom z carries label points.
func (t Tiling) Labelled(z int) bool { return t.LabelField != "" && t.InRange(z) && z >= t.LabelZoom }

// Outlined reports whether the tile at zoom z draws the layer as its
// fogli's outlines rather than feature by feature.
func (t Tiling) Outlined(z int) bool { return z < t.OutlineZoom }

// Attributes returns the layer's properties shown at zoom z, in the
// layer's order: where the layer is outlined, those of its sheetKey. JSON
// properties are never tiled (ST_AsMVT would spread their keys into
// attributes).
func (t Tiling) Attributes(l layers.Layer, z int) []layers.Property {
	var want []string
	if t.Outlined(z) {
		var out []layers.Property
		for _, p := range l.Properties {
			if slices.Contains(sheetKey, p.Name) {
				out = append(out, p)
			}
		}
		return out
	}
	if t.Bands != nil {
		best := -1
		for bz, names := range t.Bands {
			if bz <= z && bz > best {
				best, want = bz, names
			}
		}
	}
	var out []layers.Property
	for _, p := range l.Properties {
		if p.Type == layers.TypeJSON || p.Name == "fid" {
			continue
		}
		if t.Bands != nil && !slices.Contains(want, p.Name) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// AllAttributes lists every property the layer shows at some zoom of its
// range (TileJSON fields), sorted by name.
func (t Tiling) AllAttributes(l layers.Layer) []layers.Property {
	seen := map[string]layers.Property{}
	for z := t.MinZoom; z <= t.MaxZoom; z++ {
		for _, p := range t.Attributes(l, z) {
			seen[p.Name] = p
		}
	}
	out := make([]layers.Property, 0, len(seen))
	for _, p := range seen {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
