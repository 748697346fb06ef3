package query

import (
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/query/cql2"
)

// builtQuery is the SQL of a page of features. Each row is (fid as text,
// the feature as GeoJSON text) — the JSON is built in PostgreSQL, so the
// server only copies bytes — plus, in "before" mode, the row count.
type builtQuery struct {
	SQL  string
	Args []any
	// Fetch is how many rows the query may return: limit+1, the extra row
	// telling whether there is a next (or, in before mode, a previous) page.
	Fetch int
	// Before marks a reversed page: the extra row, if any, comes first.
	Before bool
	// Counted marks a query whose third column is the number of matches,
	// up to the count cap: numberMatched without a second round trip.
	Counted bool
}

func ident(name string) string { return pgx.Identifier{name}.Sanitize() }

// sqlLiteral quotes a catalog name as an SQL string literal (JSON keys).
func sqlLiteral(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, "\x00", ""), "'", "''") + "'"
}

// commentName keeps only safe characters for an SQL comment.
func commentName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// header starts every statement with the layer and its version: a table
// swapped by an import gets new statement text, so pgx's per-connection
// statement cache never runs a plan prepared for the old table.
func header(l layers.Layer, what string) string {
	return "/* sit " + what + " " + commentName(l.Name) + " v" + strconv.FormatInt(l.Version, 10) + " */ "
}

// geometryJSON is the geometry in the output CRS as GeoJSON text.
func geometryJSON(c CRS) string {
	var g string
	switch {
	case c.SRID == 3857:
		g = `"geom_3857"`
	case c.SRID == storageSRID:
		g = `"geom"`
	default:
		g = `ST_Transform("geom", ` + strconv.Itoa(c.SRID) + `)`
	}
	if c.LatLon {
		g = "ST_FlipCoordinates(" + g + ")"
	}
	// Options 0: no "crs" member (GeoJSON has none; Content-Crs says it), no bbox.
	return "coalesce(ST_AsGeoJSON(" + g + ", " + strconv.Itoa(c.Decimals) + ", 0), 'null')"
}

// maxBuildArgs is json_build_object's limit (100 arguments = 50 pairs).
const maxBuildArgs = 50

// propertiesJSON builds the properties object in one pass, in catalog order.
func propertiesJSON(props []layers.Property) string {
	if len(props) == 0 {
		return "'{}'"
	}
	var chunks []string
	for i := 0; i < len(props); i += maxBuildArgs {
		end := min(i+maxBuildArgs, len(props))
		var b strings.Builder
		b.WriteString("json_build_object(")
		for j, p := range props[i:end] {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(sqlLiteral(p.Name))
			b.WriteString(", ")
			b.WriteString(ident(p.Name))
		}
		b.WriteString(")::text")
		chunks = append(chunks, b.String())
	}
	if len(chunks) == 1 {
		return chunks[0]
	}
	// Join objects textually: drop the closing brace of all but the last
	// and the opening brace of all but the first.
	for i := range chunks {
		if i < len(chunks)-1 {
			chunks[i] = "left(" + chunks[i] + ", -1)"
		}
		if i > 0 {
			chunks[i] = "substr(" + chunks[i] + ", 2)"
		}
	}
	return strings.Join(chunks, " || ', ' || ")
}

// selectedProps returns the properties the response carries.
func selectedProps(q ItemsRequest) []layers.Property {
	if q.Props == nil {
		return q.Layer.Properties
	}
	out := make([]layers.Property, 0, len(q.Props))
	for _, name := range q.Props {
		if p, ok := q.Layer.Property(name); ok {
			out = append(out, p)
		}
	}
	return out
}

func featureJSON(q ItemsRequest) string {
	id := "fid::text"
	if q.Layer.FIDType != layers.TypeInteger {
		id = "to_json(fid)::text"
	}
	geom := "'null'"
	if !q.SkipGeometry {
		geom = geometryJSON(q.CRS)
	}
	return `'{"type":"Feature","id":' || ` + id + ` || ',"geometry":' || ` + geom +
		` || ',"properties":' || ` + propertiesJSON(selectedProps(q)) + ` || '}'`
}

// bboxCondition is the bbox term: one envelope, or two OR-ed for a box
// across the antimeridian.
func bboxCondition(q ItemsRequest, a *cql2.Args) string {
	var terms []string
	for _, b := range bboxParts(q.BBox) {
		env := "ST_MakeEnvelope(" + a.Add(b[0]) + "::float8, " + a.Add(b[1]) + "::float8, " + a.Add(b[2]) + "::float8, " + a.Add(b[3]) + "::float8, " + strconv.Itoa(q.BBoxCRS.SRID) + ")"
		switch q.BBoxCRS.SRID {
		case storageSRID:
			terms = append(terms, `ST_Intersects("geom", `+env+`)`)
		case 3857:
			terms = append(terms, `ST_Intersects("geom_3857", `+env+`)`)
		default:
			terms = append(terms, `ST_Intersects("geom", ST_Transform(`+env+`, `+strconv.Itoa(storageSRID)+`))`)
		}
	}
	if len(terms) == 1 {
		return terms[0]
	}
	return "(" + strings.Join(terms, " OR ") + ")"
}

// conditions returns the WHERE terms of the request (without key paging).
func conditions(q ItemsRequest, a *cql2.Args) []string {
	var where []string
	if q.BBox != nil {
		where = append(where, bboxCondition(q, a))
	}
	if iv := q.Datetime; iv != nil && q.Layer.TemporalProperty != "" {
		col := ident(q.Layer.TemporalProperty)
		isDate := true
		if p, ok := q.Layer.Property(q.Layer.TemporalProperty); ok && p.Type == layers.TypeTimestamp {
			isDate = false
		}
		if iv.Start != nil {
			if isDate {
				where = append(where, col+" >= "+a.Add(iv.Start.UTC().Truncate(24*time.Hour))+"::date")
			} else {
				where = append(where, col+" >= "+a.Add(*iv.Start)+"::timestamptz")
			}
		}
		if iv.End != nil {
			switch {
			case isDate:
				where = append(where, col+" <= "+a.Add(iv.End.UTC().Truncate(24*time.Hour))+"::date")
			case iv.EndDate:
				where = append(where, col+" < "+a.Add(iv.End.Add(24*time.Hour))+"::timestamptz")
			default:
				where = append(where, col+" <= "+a.Add(*iv.End)+"::timestamptz")
			}
		}
	}
	for _, e := range q.Equals {
		where = append(where, equalityCondition(e, a))
	}
	if q.Filter != nil {
		// Already translated once in ParseItems: it cannot fail here.
		if sql, err := cql2.ToSQL(q.Filter, filterOptions(q.Layer, q.FilterCRS), a); err == nil {
			where = append(where, sql)
		} else {
			where = append(where, "false")
		}
	}
	return where
}

func equalityCondition(e Equality, a *cql2.Args) string {
	col := ident(e.Property.Name)
	cast := "text"
	conv := func(v string) any { return v }
	switch e.Property.Type {
	case layers.TypeInteger:
		cast = "bigint"
		conv = func(v string) any { n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64); return n }
	case layers.TypeDouble:
		cast = "float8"
		conv = func(v string) any { f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64); return f }
	case layers.TypeBoolean:
		cast = "boolean"
		conv = func(v string) any { b, _ := strconv.ParseBool(strings.TrimSpace(v)); return b }
	case layers.TypeDate:
		cast = "date"
		conv = func(v string) any { t, _ := time.Parse("2006-01-02", strings.TrimSpace(v)); return t }
	case layers.TypeTimestamp:
		cast = "timestamptz"
		conv = func(v string) any { t, _ := time.Parse(time.RFC3339Nano, strings.TrimSpace(v)); return t }
	}
	if len(e.Values) == 1 {
		return col + " = " + a.Add(conv(e.Values[0])) + "::" + cast
	}
	vals := make([]any, len(e.Values))
	for i, v := range e.Values {
		vals[i] = conv(v)
	}
	return col + " = ANY(" + a.Add(vals) + "::" + cast + "[])"
}

// itemsSQL builds the page query.
func itemsSQL(q ItemsRequest) builtQuery { return itemsSQLCounted(q, 0) }

// itemsSQLCounted is itemsSQL that also counts the matches, up to
// countCap, in the same statement when countCap > 0 and the page is a
// first or offset page of a filtered request. A spatial filter's plan
// reads every match before sorting by fid anyway, so the window count costs
// next to nothing, while a separate count statement would repeat the whole
// index scan and the exact geometry tests (measured: a third of the
// database time of a bbox page). The features' JSON is built only for the
// rows of the page: the page (LIMIT and OFFSET) is cut in a subquery that
// passes the rows through, and the projection comes after it (see
// itemsQuery for why an OFFSET must not sit over the projection).
func itemsSQLCounted(q ItemsRequest, countCap int64) builtQuery {
	if countCap <= 0 || !q.filtered() || q.After != "" || q.Before != "" {
		return itemsQuery(q)
	}
	var a cql2.Args
	where := conditions(q, &a)
	fetch := q.Limit + 1
	order := orderBy(q, false)
	inner := "SELECT * FROM " + q.Layer.Ident().Sanitize()
	if len(where) > 0 {
		inner += " WHERE " + strings.Join(where, " AND ")
	}
	inner += " ORDER BY " + order + " LIMIT " + a.Add(max(countCap+1, q.Offset+int64(fetch)))
	var b strings.Builder
	b.WriteString("SELECT fid::text AS fid_text, ")
	b.WriteString(featureJSON(q))
	// "_n" cannot clash with a layer column: laundered names never start with "_".
	b.WriteString(" AS feature, _n::text FROM (SELECT * FROM (SELECT *, count(*) OVER () AS _n FROM (")
	b.WriteString(inner)
	b.WriteString(") c) s ORDER BY " + order + " LIMIT " + a.Add(int64(fetch)))
	if q.Offset > 0 {
		b.WriteString(" OFFSET " + a.Add(q.Offset))
	}
	b.WriteString(") p ORDER BY " + order)
	return builtQuery{SQL: header(q.Layer, "items") + b.String(), Args: a.Values, Fetch: fetch, Counted: true}
}

// orderBy is the ORDER BY list of a page: the sort keys, then fid (DESC
// when reading backwards from a before cursor).
func orderBy(q ItemsRequest, backwards bool) string {
	var b strings.Builder
	for _, k := range q.SortBy {
		b.WriteString(ident(k.Property))
		if k.Desc {
			b.WriteString(" DESC NULLS LAST, ")
		} else {
			b.WriteString(" ASC NULLS LAST, ")
		}
	}
	if backwards {
		b.WriteString("fid DESC")
	} else {
		b.WriteString("fid")
	}
	return b.String()
}

// itemsQuery builds a page without the count. With an offset, the rows to
// skip are found in a subquery that reads only their keys: PostgreSQL
// computes a row's output (here the feature's JSON, geometry included)
// before LIMIT and OFFSET drop it, so an OFFSET over the projection built
// the JSON of every skipped row (measured: a 1 000-feature page at offset
// 199 000 of 200 000 parcels 4.7 s, against 0.13 s through the keys, whose
// primary-key index answers without reading the table).
func itemsQuery(q ItemsRequest) builtQuery {
	var a cql2.Args
	where := conditions(q, &a)
	fidCast := "bigint"
	if q.Layer.FIDType != layers.TypeInteger {
		fidCast = "text"
	}
	if q.After != "" {
		where = append(where, "fid > "+a.Add(fidArg(q.Layer, q.After))+"::"+fidCast)
	}
	if q.Before != "" {
		where = append(where, "fid < "+a.Add(fidArg(q.Layer, q.Before))+"::"+fidCast)
	}
	fetch := q.Limit + 1
	order := orderBy(q, q.Before != "")
	table := q.Layer.Ident().Sanitize()
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var b strings.Builder
	if q.Before != "" {
		b.WriteString("SELECT fid::text AS fid_text, fid, ")
	} else {
		// Aliased: an output column named fid would make ORDER BY fid sort text.
		b.WriteString("SELECT fid::text AS fid_text, ")
	}
	b.WriteString(featureJSON(q))
	b.WriteString(" AS feature FROM " + table)
	if q.Offset > 0 {
		b.WriteString(" WHERE fid IN (SELECT fid FROM " + table + cond + " ORDER BY " + order +
			" LIMIT " + a.Add(int64(fetch)) + " OFFSET " + a.Add(q.Offset) + ") ORDER BY " + order)
	} else {
		b.WriteString(cond + " ORDER BY " + order + " LIMIT " + a.Add(int64(fetch)))
	}
	sql := header(q.Layer, "items") + b.String()
	if q.Before != "" {
		// The page is read backwards from the cursor, then put back in
		// ascending order; the extra row, if any, comes first.
		sql = header(q.Layer, "items") + "SELECT fid_text, feature, (count(*) OVER ())::text FROM (" + b.String() + ") s ORDER BY fid"
	}
	return builtQuery{SQL: sql, Args: a.Values, Fetch: fetch, Before: q.Before != ""}
}

func fidArg(l layers.Layer, v string) any {
	if l.FIDType == layers.TypeInteger {
		n, _ := strconv.ParseInt(v, 10, 64)
		return n
	}
	return v
}

// countSQL counts the matches up to limit rows (a bounded scan).
func countSQL(q ItemsRequest, limit int64) (string, []any) {
	var a cql2.Args
	where := conditions(q, &a)
	sql := header(q.Layer, "count") + "SELECT count(*) FROM (SELECT 1 FROM " + q.Layer.Ident().Sanitize()
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	sql += " LIMIT " + a.Add(limit) + ") s"
	return sql, a.Values
}

// estimateSQL asks the planner how many rows match.
func estimateSQL(q ItemsRequest) (string, []any) {
	var a cql2.Args
	where := conditions(q, &a)
	sql := "EXPLAIN (FORMAT JSON) " + header(q.Layer, "estimate") + "SELECT 1 FROM " + q.Layer.Ident().Sanitize()
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	return sql, a.Values
}

// itemSQL selects one feature by id.
func itemSQL(q ItemsRequest, id string) (string, []any) {
	var a cql2.Args
	cast := "bigint"
	if q.Layer.FIDType != layers.TypeInteger {
		cast = "text"
	}
	sql := header(q.Layer, "item") + "SELECT fid::text AS fid_text, " + featureJSON(q) + " FROM " + q.Layer.Ident().Sanitize() +
		" WHERE fid = " + a.Add(fidArg(q.Layer, id)) + "::" + cast
	return sql, a.Values
}
