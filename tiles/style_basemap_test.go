package tiles

import (
	"reflect"
	"strings"
	"testing"

	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/layers"
)

// baseCatalog is the test catalog with a street graph (role streets) and
// an address layer with house numbers.
func baseCatalog() fakeCatalog {
	ext := [4]float64{10.42, 43.80, 10.62, 43.90}
	return append(testCatalog(),
		layers.Layer{Name: "strade", Title: "Stradario", Kind: layers.KindGeneric, Table: "strade", GeometryType: "MultiLineString",
			FIDType: layers.TypeInteger, Version: 2, MinZoom: 0, MaxZoom: 22, Extent: &ext, Roles: []string{domain.RoleStreets},
			Properties: []layers.Property{{Name: "name", Type: layers.TypeText}, {Name: "street", Type: layers.TypeText}, {Name: "kind", Type: layers.TypeText}}},
		layers.Layer{Name: "civici", Title: "Numeri civici", Kind: layers.KindAddress, Table: "civici", GeometryType: "Point",
			FIDType: layers.TypeInteger, Version: 4, MinZoom: 15, MaxZoom: 22, Extent: &ext,
			Properties: []layers.Property{{Name: "address", Type: layers.TypeText}, {Name: "street", Type: layers.TypeText}, {Name: "civico", Type: layers.TypeText}}},
		// A line layer without the role is not a street graph.
		layers.Layer{Name: "fossi", Title: "Fossi", Kind: layers.KindGeneric, Table: "fossi", GeometryType: "LineString",
			FIDType: layers.TypeInteger, Version: 1, MinZoom: 0, MaxZoom: 22, Extent: &ext,
			Properties: []layers.Property{{Name: "name", Type: layers.TypeText}}},
	)
}

// The street graph is drawn as roads with an edge from z13, named along
// its lines from z15; house numbers sit above the address points from
// z17; both read their layers' own tiles (no label points), in the
// palette's colours, above every other layer.
func TestStyleBasemap(t *testing.T) {
	st := styleOf(t, baseCatalog())
	casing, road := styleLayer(t, st, "strade-casing"), styleLayer(t, st, "strade-line")
	if casing["paint"].(map[string]any)["line-color"] != domain.ColorStreetEdge || road["paint"].(map[string]any)["line-color"] != domain.ColorStreet {
		t.Errorf("road colours: %v %v", casing["paint"], road["paint"])
	}
	for _, l := range []map[string]any{casing, road} {
		if l["minzoom"] != float64(streetsMinZoom) || l["source"] != sourceID || l["source-layer"] != "strade" {
			t.Errorf("road layer %v", l)
		}
	}
	names := styleLayer(t, st, "strade-names")
	lay := names["layout"].(map[string]any)
	if names["type"] != "symbol" || lay["symbol-placement"] != "line" || names["source"] != sourceID || names["minzoom"] != float64(15) ||
		!reflect.DeepEqual(lay["text-field"], []any{"to-string", []any{"get", "name"}}) || !reflect.DeepEqual(lay["text-font"], []any{FontName}) {
		t.Errorf("street names: %v", names)
	}
	numbers := styleLayer(t, st, "civici-numbers")
	if numbers["source"] != sourceID || numbers["source-layer"] != "civici" || numbers["minzoom"] != float64(houseNumberZoom) ||
		!reflect.DeepEqual(numbers["layout"].(map[string]any)["text-field"], []any{"to-string", []any{"get", "civico"}}) {
		t.Errorf("house numbers: %v", numbers)
	}
	// Labels come last: above the zones and the parcel lines.
	ids := []string{}
	for _, l := range st["layers"].([]any) {
		ids = append(ids, l.(map[string]any)["id"].(string))
	}
	last := func(id string) int {
		for i := len(ids) - 1; i >= 0; i-- {
			if ids[i] == id {
				return i
			}
		}
		return -1
	}
	if last("strade-names") < last("parcels-line") || last("civici-numbers") < last("zoning-fill") || last("strade-line") < last("zoning-fill") {
		t.Errorf("drawing order: %v", ids)
	}
	// Neither asks for label points of its own.
	if src, ok := st["sources"].(map[string]any)[labelSourceID].(map[string]any); ok && (strings.Contains(src["url"].(string), "strade:labels") || strings.Contains(src["url"].(string), "civici:labels")) {
		t.Errorf("label source %v", src["url"])
	}
	// A line layer of no role is drawn as a generic line, unnamed.
	if fossi := styleLayer(t, st, "fossi-line"); fossi["paint"].(map[string]any)["line-color"] != domain.ColorGenericLine {
		t.Errorf("fossi: %v", fossi)
	}
	for _, id := range ids {
		if id == "fossi-names" || id == "fossi-casing" {
			t.Errorf("a layer without the streets role is drawn as streets: %s", id)
		}
	}
}

// A street graph's tiles start at z13, whatever the catalog says.
func TestTilingStreets(t *testing.T) {
	cat := baseCatalog()
	strade, _ := cat.Layer("strade")
	fossi, _ := cat.Layer("fossi")
	ts, err := TilingFor(strade)
	if err != nil || ts.MinZoom != streetsMinZoom || ts.InRange(12) || !ts.InRange(13) {
		t.Errorf("streets tiling %+v %v", ts, err)
	}
	if tf, _ := TilingFor(fossi); tf.MinZoom != 0 {
		t.Errorf("a plain line layer starts at z%d", tf.MinZoom)
	}
	if houseNumberField(strade) != "" {
		t.Error("streets have house numbers")
	}
}

// Boundaries (comuni, frazioni) are labelled by name at every zoom.
func TestTilingBoundaryNames(t *testing.T) {
	l := layers.Layer{Name: "comuni", Kind: layers.KindBoundary, GeometryType: "MultiPolygon", MaxZoom: 22,
		Properties: []layers.Property{{Name: "name", Type: layers.TypeText}}}
	if tl, err := TilingFor(l); err != nil || tl.LabelField != "name" || !tl.Labelled(0) {
		t.Errorf("boundary tiling %+v %v", tl, err)
	}
	l.Properties = nil
	if tl, _ := TilingFor(l); tl.LabelField != "" {
		t.Errorf("a boundary without names is labelled by %q", tl.LabelField)
	}
}
