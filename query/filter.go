package query

import (
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/query/cql2"
)

// filterOptions tells the CQL2 translator about the layer.
func filterOptions(l layers.Layer, c CRS) cql2.Options {
	return cql2.Options{Schema: schemaOf(l), LiteralSRID: c.SRID, SwapXY: c.LatLon, StorageSRID: l.SRID(),
		Limits: c.Limits, Geographic: c.Geographic()}
}

// GeometryQueryable is the name of the geometry in filters and queryables.
const GeometryQueryable = "geometry"

func schemaOf(l layers.Layer) cql2.Schema {
	return func(name string) (cql2.Column, bool) {
		if name == GeometryQueryable || name == l.GeometryColumn() {
			// The stored column, so that a spatial filter can use its
			// index: literals are transformed into its SRID.
			return cql2.Column{SQL: l.Native(""), Type: cql2.TypeGeometry}, true
		}
		p, ok := l.Property(name)
		for i := 0; !ok && i < len(l.Properties); i++ {
			// The source's own spelling of a laundered name (NAME for name).
			p, ok = l.Properties[i], l.Properties[i].Title == name
		}
		if !ok || !p.Queryable {
			return cql2.Column{}, false
		}
		return cql2.Column{SQL: ident(p.Name), Type: cqlType(p.Type)}, true
	}
}

func cqlType(t layers.FieldType) cql2.Type {
	switch t {
	case layers.TypeInteger:
		return cql2.TypeInteger
	case layers.TypeDouble:
		return cql2.TypeDouble
	case layers.TypeBoolean:
		return cql2.TypeBoolean
	case layers.TypeDate:
		return cql2.TypeDate
	case layers.TypeTimestamp:
		return cql2.TypeTimestamp
	case layers.TypeText:
		return cql2.TypeString
	}
	return cql2.TypeUnknown
}
