package reports

import (
	"strconv"

	"github.com/jackc/pgx/v5"

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
func orderByKey(l layers.Layer, alias string) string { return " ORDER BY " + keyOrGeom(l, alias) }

// keyOrGeom is what orders a layer's rows: its key, or its geometry.
func keyOrGeom(l layers.Layer, alias string) string {
	if l.KeyColumn() == "" {
		return l.Native(alias)
	}
	return l.Key(alias)
}

// snapshotSQL is a layer's snapshot column as a date, or as text when the
// column holds neither a date nor a timestamp (a published table may keep
// its dates as text); snapshotIs compares it with parameter $n, an ISO date.
func snapshotSQL(l layers.Layer, alias string) string {
	c := qualified(alias, "snapshot")
	p, _ := l.Property("snapshot")
	switch p.Type {
	case layers.TypeDate:
		return c
	case layers.TypeTimestamp:
		return "(" + c + ")::date"
	}
	return c + "::text"
}

func snapshotIs(l layers.Layer, alias string, n int) string {
	p, _ := l.Property("snapshot")
	if p.Type == layers.TypeDate || p.Type == layers.TypeTimestamp {
		return snapshotSQL(l, alias) + " = $" + strconv.Itoa(n) + "::date"
	}
	return snapshotSQL(l, alias) + " = $" + strconv.Itoa(n)
}

// qualified is column of alias as SQL.
func qualified(alias, column string) string {
	return alias + "." + pgx.Identifier{column}.Sanitize()
}
