package tiles

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sit-gis/sit/access"

	"github.com/sit-gis/sit/domain"
	"github.com/sit-gis/sit/layers"
)

// styleOf renders the default style of a catalog and decodes it.
func styleOf(t *testing.T, cat fakeCatalog) map[string]any {
	t.Helper()
	st, err := New(noDB{}, access.NewCatalog(cat), Options{PublicURL: "http://h"}).Style(context.Background(), "http://h", "default")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func styleLayer(t *testing.T, st map[string]any, id string) map[string]any {
	t.Helper()
	for _, l := range st["layers"].([]any) {
		if m := l.(map[string]any); m["id"] == id {
			return m
		}
	}
	t.Fatalf("style has no layer %s", id)
	return nil
}

// The style colours every zone class and speed band as the palette does,
// and hands the palette itself to the viewer.
func TestStyleColoursArePalette(t *testing.T) {
	st := styleOf(t, testCatalog())
	for id, lg := range map[string]domain.Legend{"zoning-fill": domain.ZoneClassLegend(), "broadband-circle": domain.SpeedBandLegend()} {
		l := styleLayer(t, st, id)
		pt := l["paint"].(map[string]any)
		expr := pt["fill-color"]
		if expr == nil {
			expr = pt["circle-color"]
		}
		e := expr.([]any)
		got := map[string]string{}
		for i := 2; i+1 < len(e); i += 2 {
			// One-element array labels (QGIS 3.22 converts only those).
			label := e[i].([]any)
			if len(label) != 1 {
				t.Fatalf("%s: match label %v, want one value", id, e[i])
			}
			got[label[0].(string)] = e[i+1].(string)
		}
		for _, en := range lg.Entries {
			if got[en.Value] != en.Color {
				t.Errorf("%s: %s drawn %q, palette %q", id, en.Value, got[en.Value], en.Color)
			}
		}
		if e[len(e)-1] != lg.Other {
			t.Errorf("%s: other values drawn %v, palette %s", id, e[len(e)-1], lg.Other)
		}
	}
	pal := st["metadata"].(map[string]any)["sit:palette"].(map[string]any)
	var want map[string]any
	b, _ := json.Marshal(domain.ThePalette())
	if err := json.Unmarshal(b, &want); err != nil || !reflect.DeepEqual(pal, want) {
		t.Errorf("sit:palette = %v, want %v", pal, want)
	}
	var legendZone map[string]any
	for _, e := range st["metadata"].(map[string]any)["sit:legend"].([]any) {
		if m := e.(map[string]any); m["layer"] == "zoning" {
			legendZone = m
		}
	}
	for i, it := range legendZone["items"].([]any)[:len(domain.ZoneClasses())] {
		en := domain.ZoneClassLegend().Entries[i]
		if m := it.(map[string]any); m["value"] != en.Value || m["color"] != en.Color {
			t.Errorf("legend item %v, palette %+v", m, en)
		}
	}
}

// An AGCOM table (role agcom) is coloured by the FTTH share it carries in
// its tiles, latest snapshot only; a layer of fogli (role sheets) is
// labelled by foglio from its first zoom, a layer of parcels by particella.
func TestStyleAGCOMAndFogli(t *testing.T) {
	ext := [4]float64{10.1, 43.7, 10.7, 44.3}
	var props []layers.Property
	for _, c := range domain.AGCOMColumns() {
		props = append(props, layers.Property{Name: c, Type: layers.TypeText})
	}
	snaps := [2]time.Time{time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)}
	cat := fakeCatalog{
		{Name: "agcom_comuni", Kind: layers.KindBroadband, GeometryType: "MultiPolygon", MinZoom: 0, MaxZoom: 22, Extent: &ext,
			Properties: props, TemporalProperty: "snapshot", TemporalExtent: &snaps, Roles: []string{domain.RoleAGCOM}},
		{Name: "fogli", Kind: layers.KindCadastral, GeometryType: "MultiPolygon", MinZoom: 12, MaxZoom: 22, Extent: &ext, Roles: []string{domain.RoleSheets},
			Properties: []layers.Property{{Name: "comune", Type: layers.TypeText}, {Name: "foglio", Type: layers.TypeText}, {Name: "particella", Type: layers.TypeText}}},
	}
	st := styleOf(t, cat)
	fill := styleLayer(t, st, "agcom_comuni-fill")
	b, _ := json.Marshal(fill)
	for _, want := range []string{`"indirizzi_ftth"`, domain.FTTHShareLegend().Steps[4].Color, `"2025-06-30"`} {
		if !json.Valid(b) || !strings.Contains(string(b), want) {
			t.Errorf("AGCOM fill %s lacks %s", b, want)
		}
	}
	if strings.Contains(string(b), "speed_band") {
		t.Errorf("AGCOM fill colours by speed_band, which its tiles do not carry: %s", b)
	}
	tl, err := TilingFor(cat[0])
	if err != nil {
		t.Fatal(err)
	}
	var tiled []string
	for _, p := range tl.Attributes(cat[0], 8) {
		tiled = append(tiled, p.Name)
	}
	for _, c := range []string{"indirizzi", "indirizzi_ftth", "snapshot"} {
		if !slices.Contains(tiled, c) {
			t.Errorf("AGCOM tiles at z8 carry %v, not %s", tiled, c)
		}
	}
	lbl := styleLayer(t, st, "fogli-label")
	if lbl["source-layer"] != "fogli:labels" || lbl["minzoom"].(float64) != 12 {
		t.Errorf("fogli label layer %v", lbl)
	}
	if ft, _ := TilingFor(cat[1]); ft.LabelField != "foglio" || ft.LabelZoom != 12 {
		t.Errorf("fogli labelled by %q from z%d", ft.LabelField, ft.LabelZoom)
	}
	parcels := cat[1]
	parcels.Roles = nil
	if pt, _ := TilingFor(parcels); pt.LabelField != "particella" || pt.LabelZoom != 17 {
		t.Errorf("parcels labelled by %q from z%d", pt.LabelField, pt.LabelZoom)
	}
}

// Where a layer of parcels is tiled as its fogli's outlines (below z15),
// its line layer draws them and its fill (what the viewer's click hits)
// starts where the parcels do; fogli and a layer that opts out fill from
// their first zoom.
func TestStyleParcelOutlines(t *testing.T) {
	parcels := testCatalog()[0]
	fogli := parcels
	fogli.Name, fogli.Roles = "fogli", []string{domain.RoleSheets}
	optOut := parcels
	optOut.Name, optOut.Style = "dense", json.RawMessage(`{"tiles": {"outlineZoom": 0}}`)
	tests := []struct {
		layer     layers.Layer
		fillFrom  float64 // the fill's minzoom
		filtered  bool    // the fill ignores lines
		outlineAt []int   // zooms tiled as outlines
	}{
		{parcels, 15, true, []int{14}},
		{fogli, 14, false, nil},
		{optOut, 14, false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.layer.Name, func(t *testing.T) {
			st := styleOf(t, fakeCatalog{tc.layer})
			fill := styleLayer(t, st, tc.layer.Name+"-fill")
			if got, _ := fill["minzoom"].(float64); got != tc.fillFrom {
				t.Errorf("fill from z%v, want z%v", got, tc.fillFrom)
			}
			if _, ok := fill["filter"]; ok != tc.filtered {
				t.Errorf("fill filter %v, want one: %v", fill["filter"], tc.filtered)
			}
			if got, _ := styleLayer(t, st, tc.layer.Name+"-line")["minzoom"].(float64); got != 14 {
				t.Errorf("outline layer from z%v, want z14", got)
			}
			tl, err := TilingFor(tc.layer)
			if err != nil {
				t.Fatal(err)
			}
			var outlined []int
			for z := tl.MinZoom; z <= tl.MaxZoom; z++ {
				if tl.Outlined(z) {
					outlined = append(outlined, z)
				}
			}
			if !slices.Equal(outlined, tc.outlineAt) {
				t.Errorf("outlined at %v, want %v", outlined, tc.outlineAt)
			}
		})
	}
}
