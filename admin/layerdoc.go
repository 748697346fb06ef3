package admin

import (
	"encoding/json"
	"time"

	"github.com/sit-gis/sit/layers"
)

// layerDoc is a layer as the administration sees it: its metadata, who
// sees it, and whether the request may change it.
type layerDoc struct {
	Name         string            `json:"name"`
	Title        string            `json:"title"`
	Description  string            `json:"description"`
	Attribution  string            `json:"attribution"`
	Kind         layers.Kind       `json:"kind"`
	Roles        []string          `json:"roles"`
	Visibility   layers.Visibility `json:"visibility"`
	Comune       string            `json:"comune"`
	GeometryType string            `json:"geometryType"`
	Features     int64             `json:"features"`
	Version      int64             `json:"version"`
	MinZoom      int               `json:"minZoom"`
	MaxZoom      int               `json:"maxZoom"`
	Style        json.RawMessage   `json:"style"`
	Extent       *[4]float64       `json:"bbox"`
	Synthetic    bool              `json:"synthetic"`
	Updated      time.Time         `json:"updated"`
	Editable     bool              `json:"editable"`
}

func toLayerDoc(sc scope, l layers.Layer) layerDoc {
	roles := l.Roles
	if roles == nil {
		roles = []string{}
	}
	style := l.Style
	if style == nil {
		style = json.RawMessage("null")
	}
	return layerDoc{Name: l.Name, Title: l.Title, Description: l.Description, Attribution: l.Attribution, Kind: l.Kind, Roles: roles,
		Visibility: l.Visibility, Comune: l.Comune, GeometryType: l.GeometryType, Features: l.FeatureCount, Version: l.Version,
		MinZoom: l.MinZoom, MaxZoom: l.MaxZoom, Style: style, Extent: l.Extent, Synthetic: l.Synthetic, Updated: l.UpdatedAt,
		Editable: sc.mayEdit(l)}
}

// layerPatch is the body of PATCH /admin/layers/{name}: the members given
// change, the others stay.
type layerPatch struct {
	Title       *string            `json:"title"`
	Description *string            `json:"description"`
	Attribution *string            `json:"attribution"`
	Kind        *layers.Kind       `json:"kind"`
	Roles       *[]string          `json:"roles"`
	Visibility  *layers.Visibility `json:"visibility"`
	Comune      *string            `json:"comune"`
	MinZoom     *int               `json:"minZoom"`
	MaxZoom     *int               `json:"maxZoom"`
	Style       json.RawMessage    `json:"style"`
}

func (p layerPatch) toPatch() layers.Patch {
	return layers.Patch{Title: p.Title, Description: p.Description, Attribution: p.Attribution, Kind: p.Kind, Roles: p.Roles,
		Visibility: p.Visibility, Comune: p.Comune, MinZoom: p.MinZoom, MaxZoom: p.MaxZoom, Style: p.Style}
}
