package tiles

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/layers"
)

// planned is one layer of a tile statement.
type planned struct {
	layer  layers.Layer // for label points, the base layer renamed <name>:labels
	tiling Tiling
	labels bool
	base   string // the catalog name
}

// drawn reports whether the layer has content at zoom z.
func (p planned) drawn(z int) bool {
	if p.labels {
		return p.tiling.Labelled(z)
	}
	return p.tiling.InRange(z)
}

// bufferMargin is the buffer as a fraction of the tile, for
// ST_TileEnvelope's margin: the && filter must reach as far as the
// buffer, or features just outside the tile lose their buffered part.
const bufferMargin = float64(Buffer) / float64(Extent)

// tileSQL builds the one statement that makes a tile of the given layers
// at zoom z; $1, $2, $3 are z, x, y. It returns (fresh boolean, mvt bytea):
// fresh is false when a layer's version in the database is no longer the
// one the statement was built for (an import committed and the catalog has
// not heard yet). The layer versions are in the text, so that a prepared
// statement (pgx caches them by text) never outlives its layer version.
func tileSQL(ps []planned, z int) string {
	var b strings.Builder
	b.WriteString("/* sit tile z")
	b.WriteString(strconv.Itoa(z))
	for _, p := range ps {
		fmt.Fprintf(&b, " %s@%d", p.layer.Name, p.layer.Version)
	}
	b.WriteString(" */\nSELECT ")
	if len(ps) == 0 {
		b.WriteString("true, ''::bytea")
		return b.String()
	}
	b.WriteString("(SELECT count(*) FROM sit.layers WHERE (name, version) IN (")
	for i, p := range ps {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "(%s, %d::bigint)", quoteLiteral(p.base), p.layer.Version)
	}
	fmt.Fprintf(&b, ")) = %d AS fresh,\n", len(ps))
	for i, p := range ps {
		if i > 0 {
			b.WriteString("\n || ")
		}
		if p.labels {
			labelSQL(&b, p)
		} else {
			layerSQL(&b, p, z)
		}
	}
	b.WriteString(" AS mvt")
	return b.String()
}

// layerSQL writes one layer's MVT expression.
func layerSQL(b *strings.Builder, p planned, z int) {
	l := p.layer
	intFID := l.FIDType != layers.TypeText
	b.WriteString("coalesce((SELECT ST_AsMVT(q, ")
	b.WriteString(quoteLiteral(l.Name))
	fmt.Fprintf(b, ", %d, 'geom'", Extent)
	if intFID {
		b.WriteString(", 'fid'")
	}
	// Rows in fid order: the plan (bitmap or plain index scan, custom or
	// generic) must not change the bytes, or the ETag of equal content and
	// the export's "same bytes as the server" would not hold.
	b.WriteString(" ORDER BY q.fid) FROM (SELECT t.fid")
	for _, prop := range p.tiling.Attributes(l, z) {
		id := pgx.Identifier{prop.Name}.Sanitize()
		switch prop.Type {
		case layers.TypeDate, layers.TypeTimestamp:
			// ST_AsMVT has no date type: send the ISO text.
			fmt.Fprintf(b, ", t.%s::text AS %s", id, id)
		default:
			b.WriteString(", t." + id)
		}
	}
	geom := "t.geom_3857"
	if z < p.tiling.DetailZoom && !isPointType(l.GeometryType) {
		// Half a tile-grid unit: invisible once ST_AsMVTGeom snaps to the
		// grid, and it removes the vertices that the clip would only snap
		// onto each other. Collapsed features are kept; ST_AsMVTGeom drops
		// those smaller than the grid.
		tol := TileID{Z: z}.Span() / Extent / 2
		geom = fmt.Sprintf("ST_Simplify(t.geom_3857, %s, true)", strconv.FormatFloat(tol, 'g', 10, 64))
	}
	fmt.Fprintf(b, ", ST_AsMVTGeom(%s, ST_TileEnvelope($1::integer, $2::integer, $3::integer), %d, %d, true) AS geom", geom, Extent, Buffer)
	b.WriteString(" FROM ")
	b.WriteString(l.Ident().Sanitize())
	fmt.Fprintf(b, " t WHERE t.geom_3857 && ST_TileEnvelope($1::integer, $2::integer, $3::integer, margin => %s)", strconv.FormatFloat(bufferMargin, 'g', -1, 64))
	fmt.Fprintf(b, " LIMIT %d) q WHERE q.geom IS NOT NULL), ''::bytea)", p.tiling.MaxFeatures)
}

// labelSQL writes the label points of a layer: the point on surface of
// each feature, only in the tile that contains it (no buffer), so that a
// feature is labelled once however many tiles it spans.
func labelSQL(b *strings.Builder, p planned) {
	l := p.layer
	b.WriteString("coalesce((SELECT ST_AsMVT(q, ")
	b.WriteString(quoteLiteral(l.Name))
	fmt.Fprintf(b, ", %d, 'geom'", Extent)
	if l.FIDType != layers.TypeText {
		b.WriteString(", 'fid'")
	}
	field := pgx.Identifier{p.tiling.LabelField}.Sanitize()
	fmt.Fprintf(b, " ORDER BY q.fid) FROM (SELECT t.fid, t.%s, ST_AsMVTGeom(t.pos, ST_TileEnvelope($1::integer, $2::integer, $3::integer), %d, 0, false) AS geom", field, Extent)
	fmt.Fprintf(b, " FROM (SELECT s.fid, s.%s, ST_PointOnSurface(s.geom_3857) AS pos FROM %s s", field, l.Ident().Sanitize())
	b.WriteString(" WHERE s.geom_3857 && ST_TileEnvelope($1::integer, $2::integer, $3::integer)")
	fmt.Fprintf(b, " AND s.%s IS NOT NULL) t", field)
	b.WriteString(" WHERE t.pos && ST_TileEnvelope($1::integer, $2::integer, $3::integer)")
	fmt.Fprintf(b, " LIMIT %d) q WHERE q.geom IS NOT NULL), ''::bytea)", p.tiling.MaxFeatures)
}

func isPointType(t string) bool { return t == "Point" || t == "MultiPoint" }

// quoteLiteral quotes an SQL string literal. Only catalog names (already
// restricted to [a-z0-9_]) reach it; it quotes anyway.
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, "\x00", ""), "'", "''") + "'"
}
