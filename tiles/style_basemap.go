package tiles

import (
	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/layers"
)

// The base map drawn from the catalog's own layers: a comune's street
// graph (role streets: streets with their names along them) and its house
// numbers (the address layer's civico), so that at the cadastral zooms a
// person can tell where a parcel is even without an external base map
// (--basemap). The demo's base map is made of these layers, on the real
// ISTAT boundaries, with the fogli of the sheets layer labelled.

// streetsMinZoom is the first zoom of a street graph: below it a comune's
// streets are a grey mass that costs tiles and shows nothing.
const streetsMinZoom = 13

// houseNumberZoom is the first zoom of the house numbers.
const houseNumberZoom = 17

// isStreetLayer tells a street graph: by its role only (a line layer of no
// role is not drawn as streets).
func isStreetLayer(l layers.Layer) bool { return l.HasRole(domain.RoleStreets) }

// houseNumberField is the property holding an address point's house
// number: the demo's civico, or a name used by the national register
// (ANNCSU) and common exports; "" for none.
func houseNumberField(l layers.Layer) string {
	if l.Kind != layers.KindAddress {
		return ""
	}
	for _, f := range []string{"civico", "numero_civico", "num_civico", "numero", "housenumber"} {
		if _, ok := l.Property(f); ok {
			return f
		}
	}
	return ""
}

// roadWidth grows with the zoom as a road 10 m wide does on the ground
// (doubling with each zoom), from a hairline at the first zoom.
func roadWidth(extra float64) []any {
	return []any{"interpolate", []any{"exponential", 2}, []any{"zoom"}, streetsMinZoom, 0.8 + extra, 18, 12 + extra, 21, 96 + extra}
}

// streetStyles draw streets as white roads with an edge.
func streetStyles(p planned) []any {
	edge := paint(p, "casing", "line", map[string]any{"line-color": domain.ColorStreetEdge, "line-width": roadWidth(2)})
	fill := paint(p, "line", "line", map[string]any{"line-color": domain.ColorStreet, "line-width": roadWidth(0)})
	for _, l := range []map[string]any{edge, fill} {
		l["layout"] = map[string]any{"line-join": "round", "line-cap": "round"}
		l["minzoom"] = max(p.tiling.MinZoom, streetsMinZoom)
	}
	return []any{edge, fill}
}

// basemapLabels are the text of the base map drawn from the layers
// themselves (not their label points): street names along the streets
// from z15, house numbers above the address points from z17.
func basemapLabels(p planned) []any {
	text := func(field string, size []any, color string) map[string]any {
		return map[string]any{"layout": map[string]any{
			"text-field": []any{"to-string", []any{"get", field}},
			"text-font":  []any{FontName},
			"text-size":  size,
		}, "paint": map[string]any{"text-color": color, "text-halo-color": domain.ColorHalo, "text-halo-width": 1.5}}
	}
	switch {
	case isStreetLayer(p.layer):
		if _, ok := p.layer.Property("name"); !ok {
			return nil
		}
		l := text("name", []any{"interpolate", []any{"linear"}, []any{"zoom"}, 15, 10, 18, 14}, domain.ColorLabel)
		l["id"], l["type"] = p.layer.Name+"-names", "symbol"
		lay := l["layout"].(map[string]any)
		lay["symbol-placement"], lay["symbol-spacing"], lay["text-max-angle"], lay["text-padding"] = "line", 350, 30, 2
		l = zoomRange(p, l)
		l["minzoom"] = max(p.tiling.MinZoom, 15)
		l["filter"] = []any{"!=", []any{"get", "name"}, ""}
		return []any{l}
	case houseNumberField(p.layer) != "":
		l := text(houseNumberField(p.layer), []any{"interpolate", []any{"linear"}, []any{"zoom"}, houseNumberZoom, 10, 20, 13}, domain.ColorHouseNumber)
		l["id"], l["type"] = p.layer.Name+"-numbers", "symbol"
		lay := l["layout"].(map[string]any)
		lay["text-anchor"], lay["text-offset"], lay["text-padding"] = "bottom", []any{0, -0.35}, 1
		l = zoomRange(p, l)
		l["minzoom"] = max(p.tiling.MinZoom, houseNumberZoom)
		return []any{l}
	}
	return nil
}
