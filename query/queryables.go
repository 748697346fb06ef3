package query

import (
	"strings"

	"github.com/sit-gis/sit/layers"
)

// Queryables is the JSON Schema of a collection's queryables (Part 3).
type Queryables struct {
	Schema               string                    `json:"$schema"`
	ID                   string                    `json:"$id"`
	Type                 string                    `json:"type"`
	Title                string                    `json:"title"`
	Properties           map[string]map[string]any `json:"properties"`
	AdditionalProperties bool                      `json:"additionalProperties"`
	// Order keeps the catalog order for the HTML page (JSON objects have none).
	Order []string `json:"-"`
}

// propertySchema is the JSON Schema of one property.
func propertySchema(p layers.Property) map[string]any {
	m := map[string]any{"type": p.Type.JSONSchemaType()}
	switch p.Type {
	case layers.TypeDate:
		m["format"] = "date"
	case layers.TypeTimestamp:
		m["format"] = "date-time"
	}
	m["title"] = p.Name
	if p.Title != "" {
		m["description"] = "source field " + p.Title
	}
	return m
}

func geometryFormat(geomType string) string {
	if geomType == "" || geomType == "Geometry" {
		return "geometry-any"
	}
	return "geometry-" + strings.ToLower(geomType)
}

func (s *Service) queryables(base string, l layers.Layer) Queryables {
	q := Queryables{
		Schema: "https://json-schema.org/draft/2020-12/schema",
		ID:     base + "/collections/" + escapePath(l.Name) + "/queryables",
		Type:   "object", Title: l.Title,
		Properties: map[string]map[string]any{
			GeometryQueryable: {"title": "geometry", "format": geometryFormat(l.GeometryType), "x-ogc-role": "primary-geometry"},
		},
		Order: []string{GeometryQueryable},
	}
	for _, p := range l.Properties {
		if !p.Queryable {
			continue
		}
		q.Properties[p.Name] = propertySchema(p)
		q.Order = append(q.Order, p.Name)
	}
	return q
}
