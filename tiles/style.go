package tiles

import (
	"fmt"
	"strings"

	"github.com/sit-gis/sit/internal/problem"
	"github.com/sit-gis/sit/layers"
)

// ZoneClassColors is the zoning palette by DM 1444/68 class, chosen to be
// told apart in a legend (and close to the Italian planning convention:
// historic centre red, completion orange, expansion yellow, industry
// violet, agriculture green, public services blue).
var ZoneClassColors = []struct{ Class, Label, Color string }{
	{"A", "A – centro storico", "#d7301f"},
	{"B", "B – completamento", "#fc8d59"},
	{"C", "C – espansione", "#fee08b"},
	{"D", "D – produttive", "#9e9ac8"},
	{"E", "E – agricole", "#a1d99b"},
	{"F", "F – servizi e attrezzature", "#6baed6"},
}

// SpeedBandColors is the broadband palette, slow (red) to fast (blue).
var SpeedBandColors = []struct{ Band, Label, Color string }{
	{"<30", "< 30 Mbit/s", "#d73027"},
	{"30-100", "30–100 Mbit/s", "#fc8d59"},
	{"100-1000", "100–1000 Mbit/s", "#91bfdb"},
	{">=1000", "≥ 1 Gbit/s", "#4575b4"},
}

const (
	otherColor      = "#bdbdbd"
	backgroundColor = "#f2efe9"
	sourceID        = "sit"
	labelSourceID   = "sit-labels"
)

// kindOrder draws areas first, then outlines, then points.
var kindOrder = map[layers.Kind]int{
	layers.KindZoning: 0, layers.KindGeneric: 1, layers.KindConstraint: 2, layers.KindBoundary: 3,
	layers.KindCadastral: 4, layers.KindBroadband: 5, layers.KindAddress: 6,
}

// Style builds a MapLibre style: "default" shows the whole catalog, a
// layer name that layer alone. Labels (particella numbers from z17, zone
// codes from z15) use the glyphs SIT embeds (/fonts/…), drawn above
// everything else.
func (s *Service) Style(base, name string) (map[string]any, error) {
	var ls []layers.Layer
	switch name {
	case "default":
		ls = s.cat.Layers()
	default:
		l, ok := s.cat.Layer(name)
		if !ok {
			p := problem.NotFound(fmt.Sprintf("no style %q (styles: default, or a layer name)", name))
			p.Parameter = "styleId"
			return nil, p
		}
		ls = []layers.Layer{l}
	}
	ps, err := tilingsOf(ls)
	if err != nil {
		return nil, err
	}
	// Stable drawing order: by kind, then by name.
	ordered := make([]planned, len(ps))
	copy(ordered, ps)
	for i := 1; i < len(ordered); i++ {
		for j := i; j > 0 && less(ordered[j], ordered[j-1]); j-- {
			ordered[j], ordered[j-1] = ordered[j-1], ordered[j]
		}
	}
	minZ, maxZ, bounds, attribution := coverage(ps)
	c := centerOf(bounds, minZ, maxZ)
	styleLayers := []any{map[string]any{"id": "background", "type": "background", "paint": map[string]any{"background-color": backgroundColor}}}
	var names, labelNames []string
	var labels []any
	for _, p := range ordered {
		names = append(names, p.layer.Name)
		styleLayers = append(styleLayers, layerStyles(p)...)
		if ls := labelStyles(p); len(ls) > 0 {
			labels = append(labels, ls...)
			labelNames = append(labelNames, LabelLayer(p.layer.Name))
		}
	}
	styleLayers = append(styleLayers, labels...)
	sources := map[string]any{}
	if len(names) > 0 {
		sources[sourceID] = map[string]any{"type": "vector", "url": base + "/tiles/" + strings.Join(names, ",") + ".json", "attribution": attribution}
	}
	if len(labelNames) > 0 {
		// Label points come from their own tiles, asked for only at the
		// zooms where labels show.
		sources[labelSourceID] = map[string]any{"type": "vector", "url": base + "/tiles/" + strings.Join(labelNames, ",") + ".json"}
	}
	title := "SIT"
	if name != "default" {
		title = ls[0].Title
	}
	return map[string]any{
		"version": 8,
		"name":    title,
		"center":  []float64{c[0], c[1]},
		"zoom":    max(c[2]-1, 0),
		"sources": sources,
		"glyphs":  base + "/fonts/{fontstack}/{range}.pbf",
		"layers":  styleLayers,
		"metadata": map[string]any{
			"sit:legend": legend(ordered),
		},
	}, nil
}

func less(a, b planned) bool {
	ka, kb := kindOrder[a.layer.Kind], kindOrder[b.layer.Kind]
	if ka != kb {
		return ka < kb
	}
	return a.layer.Name < b.layer.Name
}

func zoomRange(p planned, l map[string]any) map[string]any {
	l["source"] = sourceID
	l["source-layer"] = p.layer.Name
	if p.tiling.MinZoom > 0 {
		l["minzoom"] = p.tiling.MinZoom
	}
	if p.tiling.MaxZoom < MaxZoom {
		// The tiles stop at maxzoom and are overzoomed past it: keep drawing.
		l["maxzoom"] = 24
	}
	return l
}

func matchExpr(prop string, pairs [][2]string, fallback string) []any {
	e := []any{"match", []any{"get", prop}}
	for _, p := range pairs {
		e = append(e, p[0], p[1])
	}
	return append(e, fallback)
}

func zoneClassExpr() []any {
	var pairs [][2]string
	for _, z := range ZoneClassColors {
		pairs = append(pairs, [2]string{z.Class, z.Color})
	}
	return matchExpr("zone_class", pairs, otherColor)
}

func speedBandExpr() []any {
	var pairs [][2]string
	for _, b := range SpeedBandColors {
		pairs = append(pairs, [2]string{b.Band, b.Color})
	}
	return matchExpr("speed_band", pairs, otherColor)
}

func geomFilter(types ...string) []any {
	in := []any{"in", []any{"geometry-type"}, append([]any{"literal"}, []any{toAny(types)}...)}
	return in
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// layerStyles are the style layers of one catalog layer, by kind.
func layerStyles(p planned) []any {
	id := p.layer.Name
	width := func(lo, hi float64) []any {
		return []any{"interpolate", []any{"linear"}, []any{"zoom"}, 10, lo, 18, hi}
	}
	switch p.layer.Kind {
	case layers.KindZoning:
		return []any{
			zoomRange(p, map[string]any{"id": id + "-fill", "type": "fill", "paint": map[string]any{"fill-color": zoneClassExpr(), "fill-opacity": 0.45}}),
			zoomRange(p, map[string]any{"id": id + "-line", "type": "line", "paint": map[string]any{"line-color": "#6e6e6e", "line-width": width(0.3, 1)}}),
		}
	case layers.KindConstraint:
		return []any{
			zoomRange(p, map[string]any{"id": id + "-fill", "type": "fill", "paint": map[string]any{"fill-color": "#b2182b", "fill-opacity": 0.08}}),
			zoomRange(p, map[string]any{"id": id + "-line", "type": "line", "paint": map[string]any{"line-color": "#b2182b",
				"line-width": width(0.8, 2), "line-dasharray": []any{3, 2}}}),
		}
	case layers.KindBoundary:
		return []any{
			zoomRange(p, map[string]any{"id": id + "-line", "type": "line", "layout": map[string]any{"line-join": "round"},
				"paint": map[string]any{"line-color": "#5e3c99", "line-width": width(1.2, 3), "line-opacity": 0.8}}),
		}
	case layers.KindCadastral:
		return []any{
			// Invisible fill: the viewer picks a parcel by clicking inside it.
			zoomRange(p, map[string]any{"id": id + "-fill", "type": "fill", "paint": map[string]any{"fill-color": "#ffffff", "fill-opacity": 0}}),
			zoomRange(p, map[string]any{"id": id + "-line", "type": "line", "paint": map[string]any{"line-color": "#4d4d4d",
				"line-width": []any{"interpolate", []any{"linear"}, []any{"zoom"}, 14, 0.3, 18, 1.2}}}),
		}
	case layers.KindBroadband:
		if !isPointType(p.layer.GeometryType) {
			// Coverage by area (e.g. AGCOM per comune): a fill by speed band.
			return []any{
				zoomRange(p, map[string]any{"id": id + "-fill", "type": "fill", "paint": map[string]any{"fill-color": speedBandExpr(), "fill-opacity": 0.35}}),
				zoomRange(p, map[string]any{"id": id + "-line", "type": "line", "paint": map[string]any{"line-color": "#ffffff", "line-width": 0.5}}),
			}
		}
		return []any{
			zoomRange(p, map[string]any{"id": id + "-circle", "type": "circle", "paint": map[string]any{"circle-color": speedBandExpr(),
				"circle-radius":       []any{"interpolate", []any{"linear"}, []any{"zoom"}, 12, 1.5, 18, 6},
				"circle-stroke-color": "#ffffff", "circle-stroke-width": 0.5}}),
		}
	case layers.KindAddress:
		return []any{
			zoomRange(p, map[string]any{"id": id + "-circle", "type": "circle", "paint": map[string]any{"circle-color": "#636363",
				"circle-radius": []any{"interpolate", []any{"linear"}, []any{"zoom"}, 15, 1.5, 19, 4}}}),
		}
	}
	// Generic: by geometry type (a mixed layer gets all three).
	var out []any
	gt := p.layer.GeometryType
	if gt == "Geometry" || strings.Contains(gt, "Polygon") {
		out = append(out,
			zoomRange(p, map[string]any{"id": id + "-fill", "type": "fill", "filter": geomFilter("Polygon", "MultiPolygon"),
				"paint": map[string]any{"fill-color": "#3182bd", "fill-opacity": 0.25}}),
			zoomRange(p, map[string]any{"id": id + "-outline", "type": "line", "filter": geomFilter("Polygon", "MultiPolygon"),
				"paint": map[string]any{"line-color": "#3182bd", "line-width": 1}}))
	}
	if gt == "Geometry" || strings.Contains(gt, "LineString") {
		out = append(out, zoomRange(p, map[string]any{"id": id + "-line", "type": "line", "filter": geomFilter("LineString", "MultiLineString"),
			"paint": map[string]any{"line-color": "#08519c", "line-width": width(0.8, 2.5)}}))
	}
	if gt == "Geometry" || strings.Contains(gt, "Point") {
		out = append(out, zoomRange(p, map[string]any{"id": id + "-circle", "type": "circle", "filter": geomFilter("Point", "MultiPoint"),
			"paint": map[string]any{"circle-color": "#08519c", "circle-radius": 3}}))
	}
	return out
}

// labelStyles are the text layers of a catalog layer, on its label points.
func labelStyles(p planned) []any {
	f, z := p.tiling.LabelField, p.tiling.LabelZoom
	if f == "" || z > p.tiling.MaxZoom {
		return nil
	}
	l := zoomRange(p, map[string]any{"id": p.layer.Name + "-label", "type": "symbol",
		"layout": map[string]any{
			"text-field": []any{"to-string", []any{"get", f}},
			"text-font":  []any{FontName},
			"text-size":  []any{"interpolate", []any{"linear"}, []any{"zoom"}, z, 10, z + 3, 14},
		},
		"paint": map[string]any{"text-color": "#333333", "text-halo-color": "#ffffff", "text-halo-width": 1.2}})
	l["source"] = labelSourceID
	l["source-layer"] = LabelLayer(p.layer.Name)
	l["minzoom"] = z
	return []any{l}
}

// legend lists, for a viewer, what each colour means.
func legend(ps []planned) []any {
	var out []any
	for _, p := range ps {
		entry := map[string]any{"layer": p.layer.Name, "title": p.layer.Title, "kind": p.layer.Kind}
		switch p.layer.Kind {
		case layers.KindZoning:
			var items []any
			for _, z := range ZoneClassColors {
				items = append(items, map[string]any{"value": z.Class, "label": z.Label, "color": z.Color})
			}
			entry["property"], entry["items"] = "zone_class", append(items, map[string]any{"value": nil, "label": "altro", "color": otherColor})
		case layers.KindBroadband:
			var items []any
			for _, b := range SpeedBandColors {
				items = append(items, map[string]any{"value": b.Band, "label": b.Label, "color": b.Color})
			}
			entry["property"], entry["items"] = "speed_band", items
		}
		out = append(out, entry)
	}
	return out
}
