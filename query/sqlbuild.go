package query

import (
	"slices"
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

// geometryJSON is the layer's geometry in the output CRS as GeoJSON text.
func geometryJSON(l layers.Layer, c CRS) string {
	g := l.GeomIn("", c.SRID)
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
	geom := "'null'"
	if !q.SkipGeometry {
		geom = geometryJSON(q.Layer, q.CRS)
	}
	// A layer without a key has no feature ids (GeoJSON's id is optional).
	id := ""
	switch key := q.Layer.Key(""); {
	case key == "":
	case q.Layer.FIDType == layers.TypeInteger:
		id = `'"id":' || ` + key + `::text || ',' || `
	default:
		id = `'"id":' || to_json(` + key + `)::text || ',' || `
	}
	return `'{"type":"Feature",' || ` + id + `'"geometry":' || ` + geom +
		` || ',"properties":' || ` + propertiesJSON(selectedProps(q)) + ` || '}'`
}

// fidText is the first column of a page's rows: the key as text (the
// cursor of the next and previous pages), NULL without a key.
func fidText(l layers.Layer) string {
	if l.KeyColumn() == "" {
		return "NULL::text AS fid_text"
	}
	return l.Key("") + "::text AS fid_text"
}

// bboxCondition is the bbox term: one envelope, or two OR-ed for a box
// across the antimeridian.
func bboxCondition(q ItemsRequest, a *cql2.Args) string {
	var terms []string
	for _, b := range bboxParts(q.BBox) {
		env := "ST_MakeEnvelope(" + a.Add(b[0]) + "::float8, " + a.Add(b[1]) + "::float8, " + a.Add(b[2]) + "::float8, " + a.Add(b[3]) + "::float8, " + strconv.Itoa(q.BBoxCRS.SRID) + ")"
		terms = append(terms, bboxTerm(q.Layer, env, q.BBoxCRS.SRID, b, a))
	}
	if len(terms) == 1 {
		return terms[0]
	}
	return "(" + strings.Join(terms, " OR ") + ")"
}

// bboxTerm tests the layer's geometry against one envelope of a CRS. A
// geometry column of that CRS is tested as it is (3857 has a column of
// its own); otherwise the envelope goes to 4326 as it did for an import,
// and a layer stored in yet another CRS is first narrowed down with its
// spatial index (BoxOverlaps), then tested in 4326 exactly as an imported
// copy of it would be.
func bboxTerm(l layers.Layer, env string, srid int, b [4]float64, a *cql2.Args) string {
	if srid == l.SRID() || srid == 3857 && l.Has3857() {
		return "ST_Intersects(" + l.GeomIn("", srid) + ", " + env + ")"
	}
	env4326 := env
	if srid != layers.StorageSRID {
		env4326 = "ST_Transform(" + env + ", " + strconv.Itoa(layers.StorageSRID) + ")"
	}
	exact := "ST_Intersects(" + l.Geom("") + ", " + env4326 + ")"
	if l.SRID() == layers.StorageSRID {
		return exact
	}
	// Edges in segments of a sixteenth of the box's larger side, in
	// degrees (a projected box's metres taken at 111 km a degree).
	side := max(b[2]-b[0], b[3]-b[1])
	rect := env4326
	if srid != layers.StorageSRID {
		rect, side = "ST_Envelope("+env4326+")", side/111e3
	}
	seg := strconv.FormatFloat(max(side/16, 1e-9), 'g', -1, 64)
	return "(" + l.BoxOverlaps("", rect, seg) + " AND " + exact + ")"
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

// rowOrder is what orders a layer's rows after the sort keys: its key; a
// table without one by its physical row (stable while nobody writes it);
// a keyless view by every sortable column and its geometry, so that equal
// rows are the only ones whose order is left open.
func rowOrder(l layers.Layer) []string {
	if k := l.KeyColumn(); k != "" {
		return []string{ident(k)}
	}
	switch l.Source.Origin {
	case layers.OriginTable, layers.OriginMatView:
		return []string{"ctid"}
	}
	var out []string
	for _, p := range l.Properties {
		if p.Queryable {
			out = append(out, ident(p.Name))
		}
	}
	return append(out, ident(l.GeometryColumn()))
}

// orderBy is the ORDER BY list: the sort keys then the row order, each
// qualified by alias (an output column named like a property must not be
// the one sorted on); rename maps a row-order term to the name a
// subquery exposes it under.
func orderBy(q ItemsRequest, alias string, desc bool, rename func(string) string) string {
	var b strings.Builder
	for _, k := range q.SortBy {
		b.WriteString(alias + "." + ident(k.Property))
		if k.Desc {
			b.WriteString(" DESC NULLS LAST, ")
		} else {
			b.WriteString(" ASC NULLS LAST, ")
		}
	}
	for i, term := range rowOrder(q.Layer) {
		if i > 0 {
			b.WriteString(", ")
		}
		if rename != nil {
			term = rename(term)
		}
		b.WriteString(alias + "." + term)
		if desc {
			b.WriteString(" DESC")
		}
	}
	return b.String()
}

// ctidAlias is the name under which a subquery exposes the row's ctid
// (SELECT * does not carry system columns).
const ctidAlias = `"sit:ctid"`

func exposeCtid(term string) string {
	if term == "ctid" {
		return ctidAlias
	}
	return term
}

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
	inner := "SELECT t.*"
	if slices.Contains(rowOrder(q.Layer), "ctid") {
		inner += ", t.ctid AS " + ctidAlias
	}
	inner += " FROM " + relation(q, &a) + " t"
	if len(where) > 0 {
		inner += " WHERE " + strings.Join(where, " AND ")
	}
	inner += " ORDER BY " + orderBy(q, "t", false, nil) + " LIMIT " + a.Add(max(countCap+1, q.Offset+int64(fetch)))
	var b strings.Builder
	b.WriteString("SELECT " + fidText(q.Layer) + ", ")
	b.WriteString(featureJSON(q))
	// "sit:n" cannot clash with a column of a layer: no one names one so.
	b.WriteString(` AS feature, "sit:n"::text FROM (SELECT * FROM (SELECT *, count(*) OVER () AS "sit:n" FROM (`)
	b.WriteString(inner)
	b.WriteString(") c) s ORDER BY " + orderBy(q, "s", false, exposeCtid) + " LIMIT " + a.Add(int64(fetch)))
	if q.Offset > 0 {
		b.WriteString(" OFFSET " + a.Add(q.Offset))
	}
	b.WriteString(") p ORDER BY " + orderBy(q, "p", false, exposeCtid))
	return builtQuery{SQL: header(q.Layer, "items") + b.String(), Args: a.Values, Fetch: fetch, Counted: true}
}

// itemsQuery builds a page without the count. With an offset, the rows to
// skip are found in a subquery that reads only their keys (or, in a
// keyless table, their ctids): PostgreSQL computes a row's output (here
// the feature's JSON, geometry included) before LIMIT and OFFSET drop it,
// so an OFFSET over the projection built the JSON of every skipped row
// (measured: a 1 000-feature page at offset 199 000 of 200 000 parcels
// 4.7 s, against 0.13 s through the keys, whose primary-key index answers
// without reading the table). A keyless view has neither: plain OFFSET.
func itemsQuery(q ItemsRequest) builtQuery {
	var a cql2.Args
	where := conditions(q, &a)
	key := q.Layer.Key("t")
	if q.After != "" {
		where = append(where, key+" > "+a.Add(fidArg(q.Layer, q.After))+"::"+q.Layer.KeyCast())
	}
	if q.Before != "" {
		where = append(where, key+" < "+a.Add(fidArg(q.Layer, q.Before))+"::"+q.Layer.KeyCast())
	}
	fetch := q.Limit + 1
	order := orderBy(q, "t", q.Before != "", nil)
	from := " FROM " + relation(q, &a) + " t"
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var b strings.Builder
	b.WriteString("SELECT " + fidText(q.Layer) + ", ")
	if q.Before != "" {
		b.WriteString(key + ` AS "sit:key", `)
	}
	b.WriteString(featureJSON(q))
	b.WriteString(" AS feature" + from)
	rows := rowID(q.Layer)
	switch {
	case q.Offset > 0 && rows != "":
		b.WriteString(" WHERE " + rows + " IN (SELECT " + rows + from + cond + " ORDER BY " + order +
			" LIMIT " + a.Add(int64(fetch)) + " OFFSET " + a.Add(q.Offset) + ") ORDER BY " + order)
	case q.Offset > 0:
		b.WriteString(cond + " ORDER BY " + order + " LIMIT " + a.Add(int64(fetch)) + " OFFSET " + a.Add(q.Offset))
	default:
		b.WriteString(cond + " ORDER BY " + order + " LIMIT " + a.Add(int64(fetch)))
	}
	sql := header(q.Layer, "items") + b.String()
	if q.Before != "" {
		// The page is read backwards from the cursor, then put back in
		// ascending order; the extra row, if any, comes first.
		sql = header(q.Layer, "items") + `SELECT fid_text, feature, (count(*) OVER ())::text FROM (` + b.String() + `) s ORDER BY s."sit:key"`
	}
	return builtQuery{SQL: sql, Args: a.Values, Fetch: fetch, Before: q.Before != ""}
}

// rowID is what identifies a row of the layer aliased t (its key, or the
// ctid of a keyless table); "" for a keyless view.
func rowID(l layers.Layer) string {
	if k := l.Key("t"); k != "" {
		return k
	}
	if slices.Contains(rowOrder(l), "ctid") {
		return "t.ctid"
	}
	return ""
}

// relation is what a page reads: the layer's table or view, or its
// function called with the request's arguments (bound in a).
func relation(q ItemsRequest, a *cql2.Args) string {
	if q.Layer.Source.Origin != layers.OriginFunction {
		return q.Layer.Ident().Sanitize()
	}
	return q.Layer.Call(nil, q.Args, func(name string) string { return a.Add(q.Args[name]) })
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
	sql := header(q.Layer, "count") + "SELECT count(*) FROM (SELECT 1 FROM " + relation(q, &a) + " t"
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
	sql := "EXPLAIN (FORMAT JSON) " + header(q.Layer, "estimate") + "SELECT 1 FROM " + relation(q, &a) + " t"
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	return sql, a.Values
}

// itemSQL selects one feature by id (the layer has a key).
func itemSQL(q ItemsRequest, id string) (string, []any) {
	var a cql2.Args
	sql := header(q.Layer, "item") + "SELECT " + fidText(q.Layer) + ", " + featureJSON(q) + " FROM " + q.Layer.Ident().Sanitize() +
		" t WHERE " + q.Layer.Key("t") + " = " + a.Add(fidArg(q.Layer, id)) + "::" + q.Layer.KeyCast()
	return sql, a.Values
}
