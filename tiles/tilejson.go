package tiles

import (
	"context"
	"math"
	"strings"

	"github.com/sit-gis/sit/layers"
)

// TileJSON is a TileJSON 3.0.0 document.
type TileJSON struct {
	TileJSON     string        `json:"tilejson"`
	Name         string        `json:"name,omitempty"`
	Description  string        `json:"description,omitempty"`
	Version      string        `json:"version,omitempty"`
	Attribution  string        `json:"attribution,omitempty"`
	Scheme       string        `json:"scheme"`
	Tiles        []string      `json:"tiles"`
	MinZoom      int           `json:"minzoom"`
	MaxZoom      int           `json:"maxzoom"`
	Bounds       [4]float64    `json:"bounds"`
	Center       [3]float64    `json:"center"`
	VectorLayers []VectorLayer `json:"vector_layers"`
}

// VectorLayer describes one layer of the tiles (TileJSON vector_layers).
type VectorLayer struct {
	ID          string            `json:"id"`
	Description string            `json:"description,omitempty"`
	MinZoom     int               `json:"minzoom"`
	MaxZoom     int               `json:"maxzoom"`
	Fields      map[string]string `json:"fields"`
}

// worldBounds is the Web Mercator world in degrees.
var worldBounds = [4]float64{-180, -85.0511287798066, 180, 85.0511287798066}

// tilingsOf pairs each layer with its tiling rules.
func tilingsOf(ls []layers.Layer) ([]planned, error) {
	out := make([]planned, 0, len(ls))
	for _, l := range ls {
		t, err := TilingFor(l)
		if err != nil {
			return nil, err
		}
		p := planned{layer: l, tiling: t, base: l.Name}
		if base, ok := labelsOf(l.Name); ok {
			p.labels, p.base = true, base
			p.tiling.MinZoom = t.LabelZoom
		}
		out = append(out, p)
	}
	return out, nil
}

// vectorLayers lists the layers with the fields they may carry.
func vectorLayers(ps []planned) []VectorLayer {
	out := make([]VectorLayer, 0, len(ps))
	for _, p := range ps {
		fields := map[string]string{}
		for _, prop := range p.tiling.AllAttributes(p.layer) {
			fields[prop.Name] = tileJSONType(prop.Type)
		}
		if p.layer.FIDType == layers.TypeText && !p.layer.Published() {
			fields["fid"] = "String"
		}
		desc := p.layer.Title
		if p.layer.Description != "" {
			desc = p.layer.Title + ": " + p.layer.Description
		}
		if p.labels {
			fields = map[string]string{}
			if prop, ok := p.layer.Property(p.tiling.LabelField); ok {
				fields[prop.Name] = tileJSONType(prop.Type)
			}
			desc = "Label points of " + p.layer.Title
		}
		out = append(out, VectorLayer{ID: p.layer.Name, Description: desc, MinZoom: p.tiling.MinZoom, MaxZoom: p.tiling.MaxZoom, Fields: fields})
	}
	return out
}

func tileJSONType(t layers.FieldType) string {
	switch t {
	case layers.TypeInteger, layers.TypeDouble:
		return "Number"
	case layers.TypeBoolean:
		return "Boolean"
	}
	return "String"
}

// coverage returns the zoom range, bounds and attribution of layers.
func coverage(ps []planned) (minZ, maxZ int, bounds [4]float64, attribution string) {
	minZ, maxZ = MaxZoom, 0
	bounds = [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	var attrs []string
	for _, p := range ps {
		minZ = min(minZ, p.tiling.MinZoom)
		maxZ = max(maxZ, p.tiling.MaxZoom)
		if e := p.layer.Extent; e != nil {
			bounds = [4]float64{min(bounds[0], e[0]), min(bounds[1], e[1]), max(bounds[2], e[2]), max(bounds[3], e[3])}
		}
		if a := p.layer.Attribution; a != "" && !contains(attrs, a) {
			attrs = append(attrs, a)
		}
	}
	if math.IsInf(bounds[0], 1) {
		bounds = worldBounds
	}
	if minZ > maxZ {
		minZ, maxZ = 0, MaxZoom
	}
	return minZ, maxZ, bounds, strings.Join(attrs, " | ")
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// centerOf is the middle of the bounds at a zoom where the layers show.
func centerOf(b [4]float64, minZ, maxZ int) [3]float64 {
	z := max(minZ, min(maxZ, 13))
	return [3]float64{(b[0] + b[2]) / 2, (b[1] + b[3]) / 2, float64(z)}
}

// TileJSONFor builds the TileJSON of a layer list (comma-separated, as in
// the URL) with tile URLs under base.
func (s *Service) TileJSONFor(ctx context.Context, base, list string) (*TileJSON, error) {
	ls, err := s.ResolveLayers(ctx, list)
	if err != nil {
		return nil, err
	}
	ps, err := tilingsOf(ls)
	if err != nil {
		return nil, err
	}
	minZ, maxZ, bounds, attribution := coverage(ps)
	tj := &TileJSON{
		TileJSON:     "3.0.0",
		Name:         list,
		Attribution:  attribution,
		Scheme:       "xyz",
		Tiles:        []string{base + "/tiles/" + list + "/{z}/{x}/{y}.mvt?v=" + versionTag(ps)},
		MinZoom:      minZ,
		MaxZoom:      maxZ,
		Bounds:       bounds,
		Center:       centerOf(bounds, minZ, maxZ),
		VectorLayers: vectorLayers(ps),
	}
	if len(ls) == 1 {
		tj.Name = ls[0].Title
		tj.Description = ls[0].Description
	}
	return tj, nil
}
