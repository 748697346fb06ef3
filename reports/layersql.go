package reports

import (
	"strconv"

	"github.com/sit-gis/sit/layers"
)

// The reports read imported and published layers alike (a table of the
// office's own database may play the cadastre or the zoning plan): every
// statement names a layer's key and geometry through these and the
// layers.Layer helpers, never as fid and geom.

// parcelGeomSQL selects the parcel of key $n from the cadastre layer, as
// one column geom in EPSG:4326.
func parcelGeomSQL(cl layers.Layer, n int) string {
	return "SELECT " + cl.Geom("c") + " AS geom FROM " + cl.Ident().Sanitize() + " c WHERE " + cl.Key("c") + " = $" + strconv.Itoa(n)
}

// keyOrNull is the layer's key as SQL, or NULL for a relation without one.
func keyOrNull(l layers.Layer, alias string) string {
	if l.KeyColumn() == "" {
		return "NULL"
	}
	return l.Key(alias)
}

// orderByKey orders by the layer's key, a stable order; a relation
// without one (a published table) by its geometry, PostGIS's btree order,
// so that the same data always draws the same map.
func orderByKey(l layers.Layer, alias string) string {
	if l.KeyColumn() == "" {
		return " ORDER BY " + l.Native(alias)
	}
	return " ORDER BY " + l.Key(alias)
}
