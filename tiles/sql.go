package tiles

import (
	"fmt"
	"slices"
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
	// from is what the layer's rows are read from: its table, or its
	// function called with the request's arguments (set by tileSQL).
	from string
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
func tileSQL(ps []planned, z int, given map[string]string) (string, []string, []int) {
	var b strings.Builder
	b.WriteString("/* sit tile z")
	b.WriteString(strconv.Itoa(z))
	for _, p := range ps {
		fmt.Fprintf(&b, " %s@%d", p.layer.Name, p.layer.Version)
	}
	b.WriteString(" */\nSELECT ")
	if len(ps) == 0 {
		b.WriteString("true, ''::bytea")
		return b.String(), nil, nil
	}
	freshSQL(&b, ps)
	fits := fitSRIDs(ps)
	var args []string
	bind := func(name string) string {
		args = append(args, name)
		return "$" + strconv.Itoa(3+len(fits)*fitParams+len(args))
	}
	for i, p := range ps {
		if i > 0 {
			b.WriteString("\n || ")
		}
		switch p.layer.Source.Origin {
		case layers.OriginTileFunction:
			// The function makes the layer's MVT itself (pg_tileserv's
			// and Martin's function sources).
			b.WriteString("coalesce(" + p.layer.Call([]string{"$1::integer", "$2::integer", "$3::integer"}, given, bind) + ", ''::bytea)")
			continue
		case layers.OriginFunction:
			p.from = p.layer.Call(nil, given, bind)
		default:
			// A published table's tile copy, when it has a usable one, is
			// read as an import's geom_3857 is (its own GiST index, no
			// transform); the rest of the statement is the same.
			p.layer = p.layer.OnTileCopy()
			p.from = p.layer.Ident().Sanitize()
		}
		if p.labels {
			labelSQL(&b, p, z)
		} else {
			layerSQL(&b, p, z, fits)
		}
	}
	b.WriteString(" AS mvt")
	return b.String(), args, fits
}

// fitParams are the parameters of one SRID's affine fit (affineFit.args).
const fitParams = maxCells * maxCells * cellParams

// needsFit reports whether a layer's tiles would transform every row: a
// published source outside Web Mercator without a stored column or a
// tile copy. Not in
// EPSG:4326: its transform is the spherical Mercator's closed form, and
// mapping rows with fits measured no cheaper (BENCHMARKS.md).
func needsFit(l layers.Layer) bool {
	return l.Published() && l.HasFeatures() && l.SRID() > 0 && l.SRID() != 3857 && l.SRID() != layers.StorageSRID && l.Source.Geom3857 == "" &&
		l.Source.TileCopy == ""
}

// fitSRIDs are the SRIDs whose affine fits a statement takes, in the order
// of their parameters (after z, x, y): one per SRID, shared by its layers.
func fitSRIDs(ps []planned) []int {
	var out []int
	for _, p := range ps {
		if !p.labels && needsFit(p.layer) && !slices.Contains(out, p.layer.SRID()) {
			out = append(out, p.layer.SRID())
		}
	}
	return out
}

// mercator is the layer's geometry in EPSG:3857 as SQL: a stored column,
// or the native one mapped by the tile's affine fit for its SRID.
func mercator(l layers.Layer, alias string, fits []int) string {
	if i := slices.Index(fits, l.SRID()); i >= 0 && needsFit(l) {
		return affineSQL(l.Native(alias), 4+i*fitParams)
	}
	return l.Geom3857(alias)
}

// freshSQL writes the statement's first column: whether every layer's
// version, read in the statement's own snapshot, is still the one the
// statement was built for. An imported layer's is in sit.layers; a tracked
// published one's is the sum of its relations' change counters, bumped in
// the editing transaction, so an edit that committed before the catalog
// heard of it makes the tile "not fresh" (served once, never cached under
// the old version's key). Untracked layers change version on a timer.
// It is NULL when a tile copy the statement reads has gone stale.
func freshSQL(b *strings.Builder, ps []planned) {
	var imported []planned
	var checks, copies []string
	seen := map[string]bool{}
	for _, p := range ps {
		switch {
		case seen[p.base]:
		case !p.layer.Published():
			imported = append(imported, p)
		case p.layer.Source.Tracked && len(p.layer.Source.Counters) > 0:
			checks = append(checks, countersSQL(p.layer))
		}
		if p.layer.Source.TileCopy != "" && !seen[p.base] {
			copies = append(copies, fmt.Sprintf("EXISTS (SELECT 1 FROM sit.tile_copies WHERE relid = %d AND state = 'ok')", p.layer.Source.Relid))
		}
		seen[p.base] = true
	}
	if len(imported) > 0 {
		var c strings.Builder
		c.WriteString("(SELECT count(*) FROM sit.layers WHERE (name, version) IN (")
		for i, p := range imported {
			if i > 0 {
				c.WriteString(", ")
			}
			fmt.Fprintf(&c, "(%s, %d::bigint)", quoteLiteral(p.base), p.layer.Version)
		}
		fmt.Fprintf(&c, ")) = %d", len(imported))
		checks = append(checks, c.String())
	}
	fresh := "true"
	if len(checks) > 0 {
		fresh = strings.Join(checks, "\n AND ")
	}
	if len(copies) > 0 {
		// A tile copy that went stale (a trigger could not keep it) since
		// the catalog read it: NULL, and the service makes the tile again
		// from the table (plan.direct).
		fresh = "CASE WHEN " + strings.Join(copies, " AND ") + " THEN " + fresh + " END"
	}
	b.WriteString(fresh + " AS fresh,\n")
}

// countersSQL is true when a tracked published layer's change counters
// still sum to the version the catalog read (layers.publishedSQL's rule:
// a relation without a counter row counts 1).
func countersSQL(l layers.Layer) string {
	oids := make([]string, len(l.Source.Counters))
	for i, o := range l.Source.Counters {
		oids[i] = strconv.FormatInt(o, 10)
	}
	return fmt.Sprintf("coalesce((SELECT sum(coalesce(v.version, 1)) FROM unnest('{%s}'::oid[]) c(relid)"+
		" LEFT JOIN sit.published_versions v ON v.relid = c.relid), 0) = %d", strings.Join(oids, ","), l.Version)
}

// mvtHead opens a layer's ST_AsMVT over the rows q, with the key as the
// features' ids when it is an integer (and their order, so that the bytes
// do not depend on the plan: the ETag of equal content and the export's
// "same bytes as the server" hold).
func mvtHead(b *strings.Builder, l layers.Layer) {
	b.WriteString("coalesce((SELECT ST_AsMVT(q, ")
	b.WriteString(quoteLiteral(l.Name))
	fmt.Fprintf(b, ", %d, 'geom'", Extent)
	switch {
	case intKey(l):
		b.WriteString(", 'sit:fid' ORDER BY q.\"sit:fid\") FROM (SELECT " + l.Key("t") + ` AS "sit:fid", `)
	case !l.Published():
		// An imported layer's text fid is an attribute.
		b.WriteString(" ORDER BY q.fid) FROM (SELECT t.fid, ")
	default:
		b.WriteString(") FROM (SELECT ")
	}
}

// intKey reports whether the layer's features have integer ids.
func intKey(l layers.Layer) bool { return l.KeyColumn() != "" && l.FIDType == layers.TypeInteger }

// tileFilter is the index-friendly test of rows against the tile (grown
// by margin, a fraction of the tile): on the Web Mercator column, or, for
// a layer without one, on its own column against the tile brought into
// its SRID.
func tileFilter(l layers.Layer, alias string, z int, margin float64) string {
	env := "ST_TileEnvelope($1::integer, $2::integer, $3::integer"
	if margin > 0 {
		env += ", margin => " + strconv.FormatFloat(margin, 'g', -1, 64)
	}
	env += ")"
	if l.Has3857() {
		return l.Geom3857(alias) + " && " + env
	}
	// A sixteenth of the tile's width in degrees.
	seg := strconv.FormatFloat(360/float64(int64(1)<<z)/16, 'g', -1, 64)
	return l.BoxOverlaps(alias, "ST_Transform("+env+", 4326)", seg)
}

// layerSQL writes one layer's MVT expression.
func layerSQL(b *strings.Builder, p planned, z int, fits []int) {
	if p.tiling.Outlined(z) {
		outlineSQL(b, p, z, fits)
		return
	}
	l := p.layer
	mvtHead(b, l)
	for i, prop := range p.tiling.Attributes(l, z) {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(attribute(prop))
	}
	if len(p.tiling.Attributes(l, z)) > 0 {
		b.WriteString(", ")
	}
	geom := mercator(l, "t", fits)
	if z < p.tiling.DetailZoom && !isPointType(l.GeometryType) {
		// Half a tile-grid unit: invisible once ST_AsMVTGeom snaps to the
		// grid, and it removes the vertices that the clip would only snap
		// onto each other. Collapsed features are kept; ST_AsMVTGeom drops
		// those smaller than the grid.
		tol := TileID{Z: z}.Span() / Extent / 2
		geom = fmt.Sprintf("ST_Simplify(%s, %s, true)", geom, strconv.FormatFloat(tol, 'g', 10, 64))
	}
	fmt.Fprintf(b, "ST_AsMVTGeom(%s, ST_TileEnvelope($1::integer, $2::integer, $3::integer), %d, %d, true) AS geom", geom, Extent, Buffer)
	b.WriteString(" FROM ")
	b.WriteString(p.from)
	b.WriteString(" t WHERE " + tileFilter(l, "t", z, bufferMargin))
	fmt.Fprintf(b, " LIMIT %d) q WHERE q.geom IS NOT NULL), ''::bytea)", p.tiling.MaxFeatures)
}

// outlineSQL writes a layer of parcels where it is outlined: one
// MultiLineString per foglio, the boundaries of its parcels in the tile,
// with the foglio's key as attributes. ST_Collect, not ST_Union: touching
// parcels keep their shared edges at no cost, and lines, unlike polygons,
// are never "made valid" (dissolved) by ST_AsMVTGeom. Not clipped: GEOS's
// clip of one long MultiLineString cost as much as the rest of the tile,
// and a parcel that meets the buffered tile reaches past it by at most its
// own size (renderers clip at the tile's edge). The feature cap bounds the
// parcels read; the order of the parts and of the features is fixed, so
// the bytes do not depend on the plan.
func outlineSQL(b *strings.Builder, p planned, z int, fits []int) {
	l := p.layer
	var keys []string
	for _, prop := range p.tiling.Attributes(l, z) {
		keys = append(keys, "t."+pgx.Identifier{prop.Name}.Sanitize())
	}
	group, order := strings.Join(keys, ", "), ""
	if k := l.KeyColumn(); k != "" {
		order = " ORDER BY t." + pgx.Identifier{k}.Sanitize()
	}
	fmt.Fprintf(b, "coalesce((SELECT ST_AsMVT(q, %s, %d, 'geom' ORDER BY %s) FROM (SELECT %s, ", quoteLiteral(l.Name), Extent,
		strings.ReplaceAll(group, "t.", "q."), group)
	fmt.Fprintf(b, "ST_AsMVTGeom(ST_CollectionExtract(ST_Collect(ST_Boundary(t.geom)%s), 2), ST_TileEnvelope($1::integer, $2::integer, $3::integer), %d, %d, false) AS geom", order, Extent, Buffer)
	b.WriteString(" FROM (SELECT ")
	if k := l.Key("t"); k != "" {
		b.WriteString(k + ", ")
	}
	fmt.Fprintf(b, "%s, %s AS geom FROM %s t WHERE %s", group, mercator(l, "t", fits), p.from, tileFilter(l, "t", z, bufferMargin))
	fmt.Fprintf(b, " LIMIT %d) t GROUP BY %s) q WHERE q.geom IS NOT NULL), ''::bytea)", p.tiling.MaxFeatures, group)
}

// attribute is one property as a tile attribute: ST_AsMVT has no date
// type (the ISO text is sent), and a published column of another type is
// sent as the catalog says (numeric as a double, uuid as text).
func attribute(prop layers.Property) string {
	id := pgx.Identifier{prop.Name}.Sanitize()
	switch {
	case prop.Type == layers.TypeDate || prop.Type == layers.TypeTimestamp:
		return "t." + id + "::text AS " + id
	case prop.Cast != "":
		return "t." + id + "::" + prop.Cast + " AS " + id
	}
	return "t." + id
}

// labelSQL writes the label points of a layer: the point on surface of
// each feature, only in the tile that contains it (no buffer), so that a
// feature is labelled once however many tiles it spans.
func labelSQL(b *strings.Builder, p planned, z int) {
	l := p.layer
	mvtHead(b, l)
	field := pgx.Identifier{p.tiling.LabelField}.Sanitize()
	fmt.Fprintf(b, "t.%s, ST_AsMVTGeom(t.pos, ST_TileEnvelope($1::integer, $2::integer, $3::integer), %d, 0, false) AS geom", field, Extent)
	b.WriteString(" FROM (SELECT ")
	if intKey(l) {
		b.WriteString(l.Key("s") + ", ")
	}
	// A label is one point: transformed exactly, after ST_PointOnSurface,
	// so that tiles agree on which of them holds it.
	pos := "ST_PointOnSurface(" + l.Geom3857("s") + ")"
	if needsFit(l) {
		pos = "ST_Transform(ST_PointOnSurface(" + l.Native("s") + "), 3857)"
	}
	fmt.Fprintf(b, "s.%s, %s AS pos FROM %s s", field, pos, p.from)
	b.WriteString(" WHERE " + tileFilter(l, "s", z, 0))
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
