package tiles

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

const (
	sourceID      = "sit"
	labelSourceID = "sit-labels"
)

// Style builds a MapLibre style: "default" shows the whole catalog, a
// layer name that layer alone. Labels (particella numbers from z17, zone
// codes from z15) use the glyphs SIT embeds (/fonts/…), drawn above
// everything else.
func (s *Service) Style(ctx context.Context, base, name string) (map[string]any, error) {
	var ls []layers.Layer
	switch name {
	case "default":
		ls = s.cat.Layers(ctx)
	default:
		l, ok := s.cat.Layer(ctx, name)
		if !ok {
			p := httpx.NotFound(fmt.Sprintf("no style %q (styles: default, or a layer name)", name))
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
	// No background layer: the style is an overlay. QGIS draws a style's
	// background over everything under the vector tile layer; the viewer
	// lays the palette's paper (sit:palette colors.background) under it.
	var styleLayers []any
	var names, labelNames []string
	var labels []any
	for _, p := range ordered {
		names = append(names, p.layer.Name)
		styleLayers = append(styleLayers, layerStyles(p)...)
		if ls := labelStyles(p); len(ls) > 0 {
			labels = append(labels, ls...)
			labelNames = append(labelNames, LabelLayer(p.layer.Name))
		}
		labels = append(labels, basemapLabels(p)...)
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
			// The one table of colours (domain): the viewer draws its
			// dashboard, chips and legends from it.
			"sit:palette": domain.ThePalette(),
		},
	}, nil
}

func less(a, b planned) bool {
	ka, kb := domain.DrawRank(a.layer.Kind), domain.DrawRank(b.layer.Kind)
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

// legendExpr colours by a property through a legend of the palette.
func legendExpr(l domain.Legend) []any {
	e := []any{"match", []any{"get", l.Property}}
	for _, en := range l.Entries {
		// Labels as one-element arrays: MapLibre reads them as the plain
		// value, and QGIS 3.22's style converter turns plain string labels
		// into IN () (every feature in the fallback colour).
		e = append(e, []any{en.Value}, en.Color)
	}
	return append(e, l.Other)
}

// ftthShareExpr colours an AGCOM comune by the share of its addresses
// reached by FTTH (the palette's steps), no-data grey without figures.
func ftthShareExpr() []any {
	l := domain.FTTHShareLegend()
	share := []any{"*", 100, []any{"/", []any{"to-number", []any{"get", "indirizzi_ftth"}}, []any{"max", 1, []any{"to-number", []any{"get", "indirizzi"}}}}}
	step := []any{"step", share, l.Steps[0].Color}
	for _, st := range l.Steps[1:] {
		step = append(step, st.From, st.Color)
	}
	return []any{"case", []any{"all", []any{"has", "indirizzi"}, []any{"has", "indirizzi_ftth"}}, step, l.NoData}
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

// width is a line width growing from lo at z10 to hi at z18.
func width(lo, hi float64) []any {
	return []any{"interpolate", []any{"linear"}, []any{"zoom"}, 10, lo, 18, hi}
}

// paint is one style layer of p: id suffix, type and paint.
func paint(p planned, suffix, typ string, pt map[string]any) map[string]any {
	return zoomRange(p, map[string]any{"id": p.layer.Name + "-" + suffix, "type": typ, "paint": pt})
}

// layerStyles are the style layers of one catalog layer, by kind, in the
// palette's colours.
func layerStyles(p planned) []any {
	if isStreetLayer(p.layer) {
		return streetStyles(p)
	}
	switch p.layer.Kind {
	case layers.KindZoning:
		return []any{
			paint(p, "fill", "fill", map[string]any{"fill-color": legendExpr(domain.ZoneClassLegend()), "fill-opacity": 0.45}),
			paint(p, "line", "line", map[string]any{"line-color": domain.ColorZoneLine, "line-width": width(0.3, 1)}),
		}
	case layers.KindConstraint:
		return []any{
			paint(p, "fill", "fill", map[string]any{"fill-color": domain.ColorConstraint, "fill-opacity": 0.08}),
			paint(p, "line", "line", map[string]any{"line-color": domain.ColorConstraint, "line-width": width(0.8, 2), "line-dasharray": []any{3, 2}}),
		}
	case layers.KindBoundary:
		l := paint(p, "line", "line", map[string]any{"line-color": domain.ColorBoundary, "line-width": width(1.2, 3), "line-opacity": 0.8})
		l["layout"] = map[string]any{"line-join": "round"}
		return []any{l}
	case layers.KindCadastral:
		return cadastralStyles(p)
	case layers.KindBroadband:
		return broadbandStyles(p)
	case layers.KindAddress:
		return []any{paint(p, "circle", "circle", map[string]any{"circle-color": domain.ColorAddress,
			"circle-radius": []any{"interpolate", []any{"linear"}, []any{"zoom"}, 15, 1.5, 19, 4}})}
	}
	return genericStyles(p)
}

// cadastralStyles draw parcels as outlines over an invisible fill (the
// viewer picks a parcel by clicking inside it); a layer of fogli (sheets,
// no particella) in heavier lines. Where the tiles carry the fogli's
// outlines instead of parcels (Tiling.Outlined), the line layer draws them
// and the fill starts at the outline zoom: a map without fill there (the
// viewer) asks the parcel lookup what a click is on.
func cadastralStyles(p planned) []any {
	lineWidth := []any{"interpolate", []any{"linear"}, []any{"zoom"}, 14, 0.3, 18, 1.2}
	if isSheetLayer(p.layer) {
		lineWidth = width(1, 2.5)
	}
	fill := paint(p, "fill", "fill", map[string]any{"fill-color": "#ffffff", "fill-opacity": 0})
	if p.tiling.Outlined(p.tiling.MinZoom) {
		fill["minzoom"] = p.tiling.OutlineZoom
		// A parent tile shown while a child loads holds lines: never fill those.
		fill["filter"] = geomFilter("Polygon", "MultiPolygon")
	}
	return []any{fill, paint(p, "line", "line", map[string]any{"line-color": domain.ColorParcelLine, "line-width": lineWidth})}
}

// broadbandStyles colour coverage points by speed band; areas too, except
// the AGCOM per-comune figures, which carry no band: those are coloured by
// their FTTH share at the latest snapshot (the others lie below it).
func broadbandStyles(p planned) []any {
	if isPointType(p.layer.GeometryType) {
		return []any{paint(p, "circle", "circle", map[string]any{"circle-color": legendExpr(domain.SpeedBandLegend()),
			"circle-radius":       []any{"interpolate", []any{"linear"}, []any{"zoom"}, 12, 1.5, 18, 6},
			"circle-stroke-color": domain.ColorHalo, "circle-stroke-width": 0.5})}
	}
	fill := paint(p, "fill", "fill", map[string]any{"fill-color": legendExpr(domain.SpeedBandLegend()), "fill-opacity": 0.35})
	line := paint(p, "line", "line", map[string]any{"line-color": domain.ColorHalo, "line-width": 0.5})
	if isAGCOM(p.layer) {
		fill["paint"] = map[string]any{"fill-color": ftthShareExpr(), "fill-opacity": 0.6}
		if e := p.layer.TemporalExtent; e != nil && p.layer.TemporalProperty != "" {
			latest := []any{"==", []any{"to-string", []any{"get", p.layer.TemporalProperty}}, e[1].UTC().Format(time.DateOnly)}
			fill["filter"], line["filter"] = latest, latest
		}
	}
	return []any{fill, line}
}

// isAGCOM tells the AGCOM per-comune table: by role, else by its columns.
func isAGCOM(l layers.Layer) bool {
	if l.HasRole(domain.RoleAGCOM) {
		return true
	}
	for _, c := range domain.AGCOMColumns() {
		if _, ok := l.Property(c); !ok {
			return false
		}
	}
	return true
}

// isSheetLayer tells a layer of cadastral sheets (fogli: INSPIRE
// CadastralZoning, the demo's fogli) from one of parcels: by its role.
func isSheetLayer(l layers.Layer) bool {
	return l.Kind == layers.KindCadastral && l.HasRole(domain.RoleSheets)
}

// genericStyles draw a layer of no known kind by geometry type (a mixed
// layer gets all three).
func genericStyles(p planned) []any {
	var out []any
	gt := p.layer.GeometryType
	if gt == "Geometry" || strings.Contains(gt, "Polygon") {
		fill := paint(p, "fill", "fill", map[string]any{"fill-color": domain.ColorGenericFill, "fill-opacity": 0.25})
		outline := paint(p, "outline", "line", map[string]any{"line-color": domain.ColorGenericFill, "line-width": 1})
		fill["filter"], outline["filter"] = geomFilter("Polygon", "MultiPolygon"), geomFilter("Polygon", "MultiPolygon")
		out = append(out, fill, outline)
	}
	if gt == "Geometry" || strings.Contains(gt, "LineString") {
		l := paint(p, "line", "line", map[string]any{"line-color": domain.ColorGenericLine, "line-width": width(0.8, 2.5)})
		l["filter"] = geomFilter("LineString", "MultiLineString")
		out = append(out, l)
	}
	if gt == "Geometry" || strings.Contains(gt, "Point") {
		c := paint(p, "circle", "circle", map[string]any{"circle-color": domain.ColorGenericLine, "circle-radius": 3})
		c["filter"] = geomFilter("Point", "MultiPoint")
		out = append(out, c)
	}
	return out
}

// labelStyles are the text layers of a catalog layer, on its label points.
func labelStyles(p planned) []any {
	f, z := p.tiling.LabelField, p.tiling.LabelZoom
	if f == "" || z > p.tiling.MaxZoom {
		return nil
	}
	text, size := []any{"to-string", []any{"get", f}}, []any{"interpolate", []any{"linear"}, []any{"zoom"}, z, 10, z + 3, 14}
	if isSheetLayer(p.layer) {
		// "Fg. 37", larger than the parcels' numbers that come later.
		text, size = []any{"concat", "Fg. ", text}, []any{"interpolate", []any{"linear"}, []any{"zoom"}, z, 13, z + 4, 20}
	}
	l := zoomRange(p, map[string]any{"id": p.layer.Name + "-label", "type": "symbol",
		"layout": map[string]any{
			"text-field": text,
			"text-font":  []any{FontName},
			"text-size":  size,
		},
		"paint": map[string]any{"text-color": domain.ColorLabel, "text-halo-color": domain.ColorHalo, "text-halo-width": 1.2}})
	l["source"] = labelSourceID
	l["source-layer"] = LabelLayer(p.layer.Name)
	l["minzoom"] = z
	return []any{l}
}

// legend lists, for a viewer, what each colour means (from the palette).
func legend(ps []planned) []any {
	var out []any
	for _, p := range ps {
		entry := map[string]any{"layer": p.layer.Name, "title": p.layer.Title, "kind": p.layer.Kind}
		var l domain.Legend
		switch {
		case p.layer.Kind == layers.KindZoning:
			l = domain.ZoneClassLegend()
		case p.layer.Kind == layers.KindBroadband && !isPointType(p.layer.GeometryType) && isAGCOM(p.layer):
			entry["property"], entry["steps"] = domain.FTTHShareLegend().Property, domain.FTTHShareLegend()
		case p.layer.Kind == layers.KindBroadband:
			l = domain.SpeedBandLegend()
		}
		if l.Property != "" {
			var items []any
			for _, e := range l.Entries {
				items = append(items, map[string]any{"value": e.Value, "label": e.Label, "color": e.Color})
			}
			if p.layer.Kind == layers.KindZoning {
				items = append(items, map[string]any{"value": nil, "label": "altro", "color": l.Other})
			}
			entry["property"], entry["items"] = l.Property, items
		}
		out = append(out, entry)
	}
	return out
}
