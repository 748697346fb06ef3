package layers

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// UntrackedTTL is how long a published relation without change tracking
// (no trigger: a view over untracked tables, a materialized view, a
// foreign table, a table whose owner did not allow one) keeps one
// version: its tiles, counts and ETags are reused for at most this long
// after an edit.
const UntrackedTTL = 30 * time.Second

// publishedPoll is how often the catalog is re-read while something is
// published: a table created or dropped in a published schema raises no
// notification (event triggers need a superuser), so this bounds how long
// it takes to appear or disappear.
const publishedPoll = 2 * time.Second

// publishedSQL lists every published relation the reader role may read
// (whoever asks: the server, or the owner's sit publish --list), one row
// per geometry column, with what the catalog knows of it.
// The version of a relation is the sum of its base tables' counters (a
// view follows the tables it reads, recursively; a materialized view is a
// base of its own), and it is tracked when every base has the trigger.
const publishedSQL = `
WITH RECURSIVE rel AS (
	SELECT DISTINCT ON (c.oid) c.oid, n.nspname, c.relname, c.relkind, c.reltuples, p.key_column, p.geometry_column,
		p.visibility, p.created_at, p.kind, p.roles, coalesce(obj_description(c.oid, 'pg_class'), '') AS comment,
		p.tile_copy, c.relhassubclass, c.relrowsecurity
	FROM sit.published p
	JOIN pg_namespace n ON n.nspname = p.schema_name
	JOIN pg_class c ON c.relnamespace = n.oid AND (p.relation = '' OR p.relation = c.relname)
	WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition AND has_table_privilege(` + readerRole + `, c.oid, 'SELECT')
		AND has_schema_privilege(` + readerRole + `, n.oid, 'USAGE')
	ORDER BY c.oid, p.relation = ''
), deps(root, relid, kind) AS (
	SELECT oid, oid, relkind FROM rel
	UNION
	SELECT d.root, dep.refobjid, bc.relkind
	FROM deps d
	JOIN pg_rewrite rw ON rw.ev_class = d.relid AND d.kind = 'v'
	JOIN pg_depend dep ON dep.classid = 'pg_rewrite'::regclass AND dep.objid = rw.oid
		AND dep.refclassid = 'pg_class'::regclass AND dep.refobjid <> d.relid
	JOIN pg_class bc ON bc.oid = dep.refobjid AND bc.relkind IN ('r', 'p', 'v', 'm', 'f')
), members(root, relid, kind) AS (
	-- A partitioned table is edited through its partitions too: each
	-- needs the trigger (which bumps the tree's root) for it to be tracked.
	SELECT root, relid, kind FROM deps
	UNION
	SELECT d.root, pt.relid, pc.relkind FROM deps d CROSS JOIN LATERAL pg_partition_tree(d.relid) pt
	JOIN pg_class pc ON pc.oid = pt.relid AND pc.relispartition
	WHERE d.kind = 'p'
), ver AS (
	SELECT m.root, bool_and(m.kind IN ('r', 'p') AND EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = m.relid AND t.tgname = '` + TrackTrigger + `')) AS tracked,
		string_agg(CASE WHEN m.kind IN ('r', 'p') AND m.relid <> m.root AND NOT EXISTS (SELECT 1 FROM pg_trigger t
			WHERE t.tgrelid = m.relid AND t.tgname = '` + TrackTrigger + `') THEN m.relid::regclass::text END, ', ') AS untriggered
	FROM members m
	WHERE m.kind <> 'v'
	GROUP BY m.root
), counters AS (
	-- The version sums the change counters of the base relations (a
	-- partition's is its tree root's; a missing row counts 1); bases lists
	-- them, for a tile statement to re-read the version in its own snapshot.
	SELECT d.root, sum(coalesce(v.version, 1))::bigint AS version, array_agg(b.relid::bigint ORDER BY b.relid) AS bases
	FROM deps d CROSS JOIN LATERAL (SELECT coalesce(pg_partition_root(d.relid), d.relid) AS relid) b
	LEFT JOIN sit.published_versions v ON v.relid = b.relid
	WHERE d.kind <> 'v'
	GROUP BY d.root
), copies AS (
	-- Web Mercator copies the office keeps of a geometry column, exact by
	-- construction (GENERATED ALWAYS AS (ST_Transform(g, 3857)) STORED):
	-- tiles read them instead of transforming every row. Not collections.
	SELECT a.attrelid AS relid, a.attname AS copy, o.attname AS of, EXISTS (SELECT 1 FROM pg_index i
			JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'gist'
			WHERE i.indrelid = a.attrelid AND i.indkey[0] = a.attnum AND i.indpred IS NULL) AS indexed
	FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attgenerated = 's' AND NOT a.attisdropped AND a.atttypid = 'geometry'::regtype
	JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
	JOIN pg_attribute o ON o.attrelid = a.attrelid AND o.atttypid = 'geometry'::regtype AND NOT o.attisdropped
		AND quote_ident(o.attname) = substring(pg_get_expr(d.adbin, d.adrelid) FROM '^(?:[[:alnum:]_]+\.)?st_transform\((.+), 3857\)$')
)
SELECT r.nspname, r.relname, r.relkind::text, r.comment, r.key_column, r.geometry_column, r.visibility, r.created_at, r.kind, r.roles,
	greatest(r.reltuples, 0)::bigint, coalesce(ver.tracked, false), coalesce(c.version, 1), coalesce(c.bases, '{}'), coalesce(ver.untriggered, ''),
	g.f_geometry_column::text, coalesce(m.merc::text, ''), coalesce(m.indexed, false), g.srid, g.type, coalesce(s.proj4text, ''),
	CASE WHEN r.relkind IN ('r', 'p', 'm') THEN sit.published_extent(r.nspname, r.relname, g.f_geometry_column, g.srid) END,
	(SELECT json_agg(json_build_object('name', a.attname, 'type', t.typname, 'notnull', a.attnotnull,
		'comment', coalesce(col_description(a.attrelid, a.attnum), '')) ORDER BY a.attnum)
		FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
		WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped AND t.typname NOT IN ('geometry', 'geography')),
	(SELECT json_agg(a.attname) FROM pg_attribute a WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
		AND a.atttypid = 'geometry'::regtype AND a.attname <> g.f_geometry_column AND a.attname IS DISTINCT FROM m.merc),
	coalesce((SELECT a.attname || ' ' || t.typname FROM pg_index i
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
		JOIN pg_type t ON t.oid = a.atttypid
		WHERE i.indrelid = r.oid AND i.indnatts = 1 AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL AND a.attnotnull
		ORDER BY i.indisprimary DESC, a.attnum LIMIT 1), ''),
	r.oid::bigint, r.tile_copy, r.relhassubclass OR r.relrowsecurity, coalesce(tc.state, ''), coalesce(tc.reason, ''),
	coalesce(tc.key_column, ''), coalesce(tc.geometry_column, ''), coalesce(tc.signature = sit.tile_copy_signature(r.oid, g.f_geometry_column), false),
	coalesce(tc.changed_at > now() - CASE WHEN tc.reason LIKE '%` + copyLockTimeout + `%' THEN interval '` + copyLockRetry + `'
		ELSE interval '` + copyFailedRetry + `' END, false),
	EXISTS (SELECT 1 FROM pg_class cc JOIN pg_namespace cn ON cn.oid = cc.relnamespace WHERE cn.nspname = 'sit_copies' AND cc.relname = 't_' || r.oid)
		AND (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = r.oid AND t.tgname LIKE 'sit\_tile\_copy\_%') = 4
FROM rel r
-- The geometry columns from pg_attribute, not geometry_columns (which
-- shows only what the asking role may read: the owner's sit publish
-- --list must see what the reader serves).
CROSS JOIN LATERAL (SELECT a.attname AS f_geometry_column, postgis_typmod_srid(a.atttypmod) AS srid,
		upper(postgis_typmod_type(a.atttypmod)) AS type
	FROM pg_attribute a WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid = 'geometry'::regtype) g
LEFT JOIN ver ON ver.root = r.oid
LEFT JOIN counters c ON c.root = r.oid
LEFT JOIN spatial_ref_sys s ON s.srid = g.srid
LEFT JOIN sit.tile_copies tc ON tc.relid = r.oid
LEFT JOIN LATERAL (SELECT k.copy AS merc, k.indexed FROM copies k WHERE k.relid = r.oid AND k.of = g.f_geometry_column
	ORDER BY k.indexed DESC, k.copy LIMIT 1) m ON true
WHERE r.geometry_column = g.f_geometry_column OR NOT EXISTS (SELECT 1 FROM copies k WHERE k.relid = r.oid AND k.copy = g.f_geometry_column)
ORDER BY r.nspname, r.relname, g.f_geometry_column`

// readerRole is the role whose rights say what is served, as SQL:
// sit_reader (the serving roles' group, granted by sit publish) whoever
// asks, so that the owner's sit publish --list shows what the server
// serves; the connecting role where there is no such group.
const readerRole = `(SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sit_reader') THEN 'sit_reader' ELSE current_user::text END)`

// TrackTrigger is the name of the statement-level trigger that bumps a
// published table's version (sit.published_changed).
const TrackTrigger = "sit_published_changed"

// publishedRow is one row of publishedSQL.
type publishedRow struct {
	schema, relation, relkind, comment, keyColumn, geomColumn, visibility string
	created                                                               time.Time
	kind                                                                  string
	roles                                                                 []string
	tuples                                                                int64
	tracked                                                               bool
	version                                                               int64
	bases                                                                 []int64
	untriggered                                                           string
	geom, merc                                                            string
	mercIndexed                                                           bool
	srid                                                                  int
	geomType, proj4                                                       string
	extent                                                                []float64
	columns, others                                                       []byte
	key                                                                   string
	copy                                                                  copyRow
}

// ListPublished reads the published relations: one layer per relation, or
// per geometry column of a relation with several and none chosen. Names
// are schema.relation (schema.relation.column for the latter). Relations
// whose geometry has no SRID are left out (logged by the caller through
// the returned notes). now dates the version of untracked relations.
func ListPublished(ctx context.Context, q Querier, now time.Time) (out []Layer, skipped []string, err error) {
	rows, err := q.Query(ctx, publishedSQL)
	if err != nil {
		return nil, nil, fmt.Errorf("list published relations: %w", err)
	}
	defer rows.Close()
	var rs []publishedRow
	for rows.Next() {
		var r publishedRow
		if err := rows.Scan(&r.schema, &r.relation, &r.relkind, &r.comment, &r.keyColumn, &r.geomColumn, &r.visibility, &r.created, &r.kind, &r.roles,
			&r.tuples, &r.tracked, &r.version, &r.bases, &r.untriggered, &r.geom, &r.merc, &r.mercIndexed, &r.srid, &r.geomType, &r.proj4, &r.extent, &r.columns, &r.others, &r.key,
			&r.copy.oid, &r.copy.wanted, &r.copy.refused, &r.copy.state, &r.copy.reason, &r.copy.key, &r.copy.geom, &r.copy.current, &r.copy.recent, &r.copy.present); err != nil {
			return nil, nil, fmt.Errorf("list published relations: %w", err)
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("list published relations: %w", err)
	}
	for _, r := range rs {
		if r.geomColumn != "" && r.geomColumn != r.geom {
			continue // another column is the chosen one
		}
		if r.srid <= 0 {
			skipped = append(skipped, fmt.Sprintf("%s.%s.%s: the geometry column has no SRID (give it one: ALTER TABLE … ALTER COLUMN %s TYPE geometry(%s, <srid>))",
				r.schema, r.relation, r.geom, r.geom, typeName(r.geomType)))
			continue
		}
		l, err := r.layer(now)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, l)
	}
	fns, why, err := listPublishedFunctions(ctx, q, now)
	if err != nil {
		return nil, nil, err
	}
	out, skipped = append(out, fns...), append(skipped, why...)
	kept := out[:0]
	for _, l := range out {
		if strings.ContainsAny(l.Name, "/,?#%") {
			// A name is a URL path segment and a member of a tile's list.
			skipped = append(skipped, l.Name+": a name with / , ? # or % cannot be a collection id (rename it or publish a view)")
			continue
		}
		kept = append(kept, l)
	}
	out = kept
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, skipped, nil
}

// publishedColumn is one column as publishedSQL lists it.
type publishedColumn struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	NotNull bool   `json:"notnull"`
	Comment string `json:"comment"`
}

// layer describes the row as a catalog entry.
func (r publishedRow) layer(now time.Time) (Layer, error) {
	var cols []publishedColumn
	var others []string
	if len(r.columns) > 0 {
		if err := json.Unmarshal(r.columns, &cols); err != nil {
			return Layer{}, fmt.Errorf("published %s.%s: columns: %w", r.schema, r.relation, err)
		}
	}
	if len(r.others) > 0 {
		if err := json.Unmarshal(r.others, &others); err != nil {
			return Layer{}, fmt.Errorf("published %s.%s: geometry columns: %w", r.schema, r.relation, err)
		}
	}
	name := r.schema + "." + r.relation
	if len(others) > 0 && r.geomColumn == "" {
		name += "." + r.geom
	}
	title, desc := r.relation, ""
	if r.comment != "" {
		title, desc, _ = strings.Cut(r.comment, "\n")
		desc = strings.TrimSpace(desc)
	}
	src := Source{Origin: origins[r.relkind], Schema: r.schema, Relation: r.relation, Geometry: r.geom, SRID: r.srid,
		Geom3857: r.merc, Indexed3857: r.mercIndexed, OtherGeometries: others, Tracked: r.tracked, Area: areaOf(r.proj4)}
	l := Layer{Name: name, Title: title, Description: desc, Kind: Kind(r.kind), Roles: r.roles, GeometryType: typeName(r.geomType),
		SourceSRID: r.srid, FIDType: TypeText, FeatureCount: r.tuples, MinZoom: 0, MaxZoom: 22,
		Visibility: Visibility(r.visibility), CreatedAt: r.created, UpdatedAt: r.created}
	if len(r.extent) == 4 {
		l.Extent = &[4]float64{r.extent[0], r.extent[1], r.extent[2], r.extent[3]}
	}
	l.Version = r.version
	if r.tracked {
		src.Counters = r.bases
	} else {
		// A version per period: nothing tells when the rows change.
		l.Version = now.Unix() / int64(UntrackedTTL/time.Second)
		src.Notes = append(src.Notes, r.untrackedNote())
	}
	for _, c := range cols {
		l.Properties = append(l.Properties, publishedProperty(c))
	}
	src.Key, src.KeyType = keyOf(r, cols)
	if src.KeyType == "bigint" {
		l.FIDType = TypeInteger
	}
	l.Source = src
	if n := l.NoKeyNote(); n != "" {
		l.Source.Notes = append(l.Source.Notes, n)
	}
	l.Source.Notes = append(l.Source.Notes, l.RoleNotes()...)
	l.Source.MercatorDDL = r.mercatorDDL()
	r.tilePath(&l.Source, len(others) > 0 && r.geomColumn == "")
	l.Source.Notes = append(l.Source.Notes, "tiles: "+l.Source.TilePath)
	if len(l.Source.MercatorDDL) > 0 && l.Source.TileCopy == "" {
		l.Source.Notes = append(l.Source.Notes, "a stored Web Mercator column makes them as fast as an import; the table's owner adds it with: "+
			strings.Join(l.Source.MercatorDDL, " "))
	}
	return l, nil
}

// mercatorDDL are the statements that give a table's tiles a stored Web
// Mercator copy of its geometry column (a generated column, so never
// stale, and its index); none for a table in EPSG:3857, one that has an
// indexed copy, or a relation that is not a table. ALTER TABLE rewrites
// the table under an exclusive lock: the owner chooses when.
func (r publishedRow) mercatorDDL() []string {
	if (r.relkind != "r" && r.relkind != "p") || r.srid == 3857 || (r.merc != "" && r.mercIndexed) {
		return nil
	}
	rel := pgx.Identifier{r.schema, r.relation}.Sanitize()
	if r.merc != "" {
		return []string{"CREATE INDEX ON " + rel + " USING gist (" + pgx.Identifier{r.merc}.Sanitize() + ");"}
	}
	copy := pgx.Identifier{r.geom + "_3857"}.Sanitize()
	// The column's type keeps the source's (Z and M included).
	typ := "geometry"
	if t := strings.ToUpper(r.geomType); t != "" && t != "GEOMETRY" {
		typ = "geometry(" + t + ", 3857)"
	}
	return []string{"ALTER TABLE " + rel + " ADD COLUMN " + copy + " " + typ + " GENERATED ALWAYS AS (ST_Transform(" +
		pgx.Identifier{r.geom}.Sanitize() + ", 3857)) STORED;", "CREATE INDEX ON " + rel + " USING gist (" + copy + ");"}
}

// untrackedNote says why a relation is not tracked and what makes it so.
func (r publishedRow) untrackedNote() string {
	note := "not tracked: edits show within " + UntrackedTTL.String()
	switch {
	case r.relkind == "m" || r.relkind == "f":
		return note + " (a materialized view or a foreign table has no change trigger)"
	case r.untriggered != "":
		// A partition attached, or a table a view reads created, after
		// sit publish ran; or one the owner role may not alter.
		return note + " (no change trigger on " + r.untriggered + ": run sit publish " + r.schema + "." + r.relation +
			" again, or have their owner run the statements it prints)"
	case r.relkind == "r" || r.relkind == "p":
		return note + " (no change trigger: run sit publish " + r.schema + "." + r.relation +
			" again, or have the table's owner run the statement it prints)"
	}
	return note + " (a view over relations that are not all tracked)"
}

var origins = map[string]Origin{"r": OriginTable, "p": OriginTable, "v": OriginView, "m": OriginMatView, "f": OriginForeign}

// keyOf chooses the feature id: the declared key column, else the
// primary key or a unique NOT NULL column of an integer, text or uuid type.
func keyOf(r publishedRow, cols []publishedColumn) (key, cast string) {
	if r.keyColumn != "" {
		for _, c := range cols {
			if c.Name == r.keyColumn {
				return c.Name, keyCast(c.Type)
			}
		}
		return "", ""
	}
	// "column type": a column's name may hold spaces, a type's never.
	i := strings.LastIndexByte(r.key, ' ')
	if i < 0 || keyCast(r.key[i+1:]) == "" {
		return "", ""
	}
	return r.key[:i], keyCast(r.key[i+1:])
}

// keyCast is the type a feature id from a URL is cast to for a key column
// of type typ; "" when the type cannot be a key.
func keyCast(typ string) string {
	switch typ {
	case "int2", "int4", "int8":
		return "bigint"
	case "text", "varchar", "bpchar", "uuid":
		return typ
	}
	return ""
}

// publishedProperty maps a column's type to a property: the types SIT
// filters and sorts on are queryable, every other one is sent as its text.
func publishedProperty(c publishedColumn) Property {
	p := Property{Name: c.Name, Description: c.Comment, Nullable: !c.NotNull, Queryable: true}
	switch c.Type {
	case "int2", "int4", "int8":
		p.Type = TypeInteger
	case "float4", "float8":
		p.Type = TypeDouble
	case "numeric":
		p.Type, p.Cast = TypeDouble, "float8"
	case "bool":
		p.Type = TypeBoolean
	case "date":
		p.Type = TypeDate
	case "timestamp", "timestamptz":
		p.Type = TypeTimestamp
	case "json", "jsonb":
		p.Type, p.Queryable = TypeJSON, false
	case "text", "varchar", "bpchar", "name", "citext":
		p.Type = TypeText
	default:
		// uuid, arrays, intervals, bytea…: shown, not filtered on.
		p.Type, p.Cast, p.Queryable = TypeText, "text", false
	}
	return p
}

// typeName spells a geometry_columns type (MULTIPOLYGON) as the catalog
// does (MultiPolygon).
func typeName(t string) string {
	t = strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(t), "M"), "Z")
	for _, n := range []string{"Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon", "GeometryCollection"} {
		if strings.ToUpper(n) == t {
			return n
		}
	}
	return "Geometry"
}

var (
	lon0    = regexp.MustCompile(`\+lon_0=(-?[0-9.]+)`)
	utmZone = regexp.MustCompile(`\+zone=([0-9]+)`)
)

// areaOf is where a transverse Mercator CRS (Gauss-Boaga, UTM) can be
// used: 60° either side of its central meridian (PROJ's tmerc diverges
// towards 90°). Other projections: anywhere.
func areaOf(proj4 string) [4]float64 {
	if !strings.Contains(proj4, "+proj=tmerc") && !strings.Contains(proj4, "+proj=utm") {
		return [4]float64{}
	}
	lon := 0.0
	if m := lon0.FindStringSubmatch(proj4); m != nil {
		lon, _ = strconv.ParseFloat(m[1], 64)
	} else if z := utmZone.FindStringSubmatch(proj4); z != nil {
		n, _ := strconv.Atoi(z[1])
		lon = float64(n*6 - 183)
	}
	return [4]float64{lon - 60, -84, lon + 60, 84}
}
