package cql2

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

var testSchema = Schema(func(name string) (Column, bool) {
	cols := map[string]Column{
		"foglio":   {`"foglio"`, TypeString},
		"name":     {`"name"`, TypeString},
		"n":        {`"n"`, TypeInteger},
		"h":        {`"h"`, TypeDouble},
		"ok":       {`"ok"`, TypeBoolean},
		"snapshot": {`"snapshot"`, TypeDate},
		"ts":       {`"ts"`, TypeTimestamp},
		"geometry": {`"geom"`, TypeGeometry},
	}
	c, ok := cols[name]
	return c, ok
})

func translateText(t *testing.T, src string, o Options) (string, []any, error) {
	t.Helper()
	n, err := ParseText(src, Limits{})
	if err != nil {
		return "", nil, err
	}
	if o.Schema == nil {
		o.Schema = testSchema
	}
	var a Args
	sql, err := ToSQL(n, o, &a)
	if err == nil {
		checkPlaceholders(t, sql, len(a.Values))
	}
	return sql, a.Values, err
}

// checkPlaceholders fails when a parameter is not referenced by the SQL:
// PostgreSQL cannot type it and refuses the statement.
func checkPlaceholders(t *testing.T, sql string, n int) {
	t.Helper()
	for i := n; i >= 1; i-- {
		p := "$" + strconv.Itoa(i)
		if !regexp.MustCompile(`\` + p + `\b`).MatchString(sql) {
			t.Errorf("parameter %s of %d is not used in %s", p, n, sql)
		}
	}
}

func TestTextToSQL(t *testing.T) {
	day := time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)
	tests := []sqlCase{
		{"text equality", "foglio = '37'", `("foglio" = $1::text)`, []any{"37"}},
		{"number literal meets text property", "foglio = 37", `("foglio" = $1::text)`, []any{"37"}},
		{"integer property", "n >= 3", `("n" >= $1::bigint)`, []any{int64(3)}},
		{"integer property, decimal literal", "n < 2.5", `("n" < $1::float8)`, []any{2.5}},
		{"double property, negative literal", "h > -1.5e2", `("h" > $1::float8)`, []any{-150.0}},
		{"string literal parsed for number property", "n = '12'", `("n" = $1::bigint)`, []any{int64(12)}},
		{"not equal", "foglio <> 'A'", `("foglio" <> $1::text)`, []any{"A"}},
		{"and or precedence", "n = 1 OR n = 2 AND foglio = 'x'",
			`(("n" = $1::bigint) OR (("n" = $2::bigint) AND ("foglio" = $3::text)))`, []any{int64(1), int64(2), "x"}},
		{"n-ary or", "n=1 or n=2 or n=3", `(("n" = $1::bigint) OR ("n" = $2::bigint) OR ("n" = $3::bigint))`, []any{int64(1), int64(2), int64(3)}},
		{"parentheses", "(n = 1 OR n = 2) AND ok = TRUE",
			`((("n" = $1::bigint) OR ("n" = $2::bigint)) AND ("ok" = true))`, []any{int64(1), int64(2)}},
		{"not", "NOT foglio = '1'", `(NOT ("foglio" = $1::text))`, []any{"1"}},
		{"boolean property alone", "ok", `"ok"`, nil},
		{"like", "name LIKE 'Via%'", `("name" LIKE $1::text)`, []any{"Via%"}},
		{"not like", "name NOT LIKE '%x_'", `(NOT ("name" LIKE $1::text))`, []any{"%x_"}},
		{"casei like", "CASEI(name) LIKE casei('via%')", `(sit.cql2_casei("name") LIKE regexp_replace(sit.cql2_casei($1::text), '(^|[^\\])((\\\\)*)\\$', '\1\2\\\\'))`, []any{"via%"}},
		{"casei of a number", "CASEI(name) = CASEI(12)", `(sit.cql2_casei("name") = sit.cql2_casei($1::text))`, []any{"12"}},
		{"ordering text is by code point", "name >= 'København'", `("name" COLLATE "C" >= $1::text)`, []any{"København"}},
		{"escaped quotes", `name = 'l\'aquila' OR name = 'l''aquila'`, `(("name" = $1::text) OR ("name" = $2::text))`, []any{"l'aquila", "l'aquila"}},
		{"backslash kept", `name LIKE 'a\%b'`, `("name" LIKE $1::text)`, []any{`a\%b`}},
		{"boolean ordered", "ok > false", `("ok" > false)`, nil},
		{"literals compared", "'foo' = 'foo' AND 1 < 2.5 AND TRUE <> FALSE", `(($1::text = $2::text) AND ($3::float8 < $4::float8) AND (true <> false))`, []any{"foo", "foo", 1.0, 2.5}},
		{"accenti", "ACCENTI(name) = accenti('Città')", `(sit.cql2_accenti("name") = sit.cql2_accenti($1::text))`, []any{"Città"}},
		{"between", "h BETWEEN 1 AND 10", `("h" BETWEEN $1::float8 AND $2::float8)`, []any{1.0, 10.0}},
		{"between text", "name BETWEEN 'a' AND 'b'", `("name" COLLATE "C" BETWEEN $1::text AND $2::text)`, []any{"a", "b"}},
		{"not between", "n NOT BETWEEN 1 AND 10", `(NOT ("n" BETWEEN $1::bigint AND $2::bigint))`, []any{int64(1), int64(10)}},
		{"in text", "foglio IN ('1', '2', 3)", `("foglio" = ANY($1::text[]))`, []any{[]string{"1", "2", "3"}}},
		{"in integers", "n IN (1, 2)", `("n" = ANY($1::bigint[]))`, []any{[]int64{1, 2}}},
		{"in integers and a decimal", "n IN (1, 2.5)", `("n" = ANY($1::float8[]))`, []any{[]float64{1, 2.5}}},
		{"not in", "n NOT IN (1)", `(NOT ("n" = ANY($1::bigint[])))`, []any{[]int64{1}}},
		{"in booleans", "ok IN (true)", `("ok" = ANY($1::boolean[]))`, []any{[]bool{true}}},
		{"not in booleans", "ok NOT IN (false, 'true')", `(NOT ("ok" = ANY($1::boolean[])))`, []any{[]bool{false, true}}},
		{"in dates", "snapshot IN ('2024-01-31', DATE('2024-01-31'))", `("snapshot" = ANY($1::date[]))`, []any{[]time.Time{day, day}}},
		{"in dates with a timestamp", "snapshot IN (TIMESTAMP('2024-01-31T00:00:00Z'))", `((("snapshot")::timestamp AT TIME ZONE 'UTC') = ANY($1::timestamptz[]))`, []any{[]time.Time{day}}},
		{"in timestamps", "ts IN ('2024-01-31T00:00:00Z', DATE('2024-01-31'))", `("ts" = ANY($1::timestamptz[]))`, []any{[]time.Time{day, day}}},
		{"in expressions", "n IN (1 + 1, h)", `("n" IN (($1::bigint::float8 + $2::bigint::float8), "h"))`, []any{int64(1), int64(1)}},
		{"in folded", "CASEI(name) IN (casei('Kiev'), 'x')", `(sit.cql2_casei("name") IN (sit.cql2_casei($1::text), $2::text))`, []any{"Kiev", "x"}},
		{"is null", "name IS NULL", `("name" IS NULL)`, nil},
		{"is not null", "name IS NOT NULL", `(NOT ("name" IS NULL))`, nil},
		{"quoted property", `"foglio" = 'a'`, `("foglio" = $1::text)`, []any{"a"}},
		{"escaped quote", "name = 'l''aquila'", `("name" = $1::text)`, []any{"l'aquila"}},
		{"date", "snapshot > DATE('2024-01-31')", `("snapshot" > $1::date)`, []any{day}},
		{"timestamp", "ts <= TIMESTAMP('2024-01-31T00:00:00Z')", `("ts" <= $1::timestamptz)`, []any{day}},
		{"date string coerced", "snapshot = '2024-01-31'", `("snapshot" = $1::date)`, []any{day}},
		{"date meets a timestamp", "snapshot < TIMESTAMP('2024-01-31T00:00:00Z')", `((("snapshot")::timestamp AT TIME ZONE 'UTC') < $1::timestamptz)`, []any{day}},
		{"arithmetic", "h * 2 + 1 > n / 4", `((("h"::float8 * $1::bigint::float8)::float8 + $2::bigint::float8) > ("n"::float8 / NULLIF($3::bigint::float8, 0)))`, []any{int64(2), int64(1), int64(4)}},
		{"property to property", "h > n", `("h" > "n")`, nil},
		{"keywords in any case", "foglio = '1' aNd NoT n iS nUlL", `(("foglio" = $1::text) AND (NOT ("n" IS NULL)))`, []any{"1"}},
	}
	runSQLCases(t, tests)
}

type sqlCase struct {
	name string
	src  string
	sql  string
	args []any
}

func runSQLCases(t *testing.T, tests []sqlCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sql, args, err := translateText(t, tc.src, Options{})
			if err != nil {
				t.Fatalf("ToSQL(%q): %v", tc.src, err)
			}
			if sql != tc.sql {
				t.Errorf("sql\n got %s\nwant %s", sql, tc.sql)
			}
			if len(args) != len(tc.args) || (len(args) > 0 && !reflect.DeepEqual(args, tc.args)) {
				t.Errorf("args = %#v, want %#v", args, tc.args)
			}
		})
	}
}

// TestTemporalToSQL: each T_* function emits the ends it compares, and only
// those, whatever mix of instants, intervals and open ends it gets.
func TestTemporalToSQL(t *testing.T) {
	day := time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)
	runSQLCases(t, []sqlCase{
		{"t_after dates", "T_AFTER(snapshot, DATE('2024-01-31'))", `("snapshot" > $1::date)`, []any{day}},
		{"t_after an interval uses its end only", "T_AFTER(snapshot, INTERVAL('2020-01-01', '2024-01-31'))", `("snapshot" > $1::date)`, []any{day}},
		{"t_before an interval uses its start only", "T_BEFORE(ts, INTERVAL('2024-01-31T00:00:00Z', '2025-01-01T00:00:00Z'))", `("ts" < $1::timestamptz)`, []any{day}},
		{"t_meets", "T_MEETS(INTERVAL(snapshot, snapshot), INTERVAL('2024-01-31', '..'))", `("snapshot" = $1::date)`, []any{day}},
		{"t_metby open start", "T_METBY(INTERVAL(ts, ts), INTERVAL('..', '2024-01-31'))", `("ts" = $1::timestamptz)`, []any{day}},
		{"t_during open interval", "T_DURING(ts, INTERVAL('2024-01-31', '..'))",
			`("ts" > $1::timestamptz AND "ts" < 'infinity'::timestamptz)`, []any{day}},
		{"t_intersects mixed intervals", "T_INTERSECTS(INTERVAL(snapshot, ts), INTERVAL('..', '2024-01-31T00:00:00Z'))",
			`((("snapshot")::timestamp AT TIME ZONE 'UTC') <= $1::timestamptz AND "ts" >= '-infinity'::timestamptz)`, []any{day}},
		{"t_disjoint instant literal first", "T_DISJOINT(DATE('2024-01-31'), snapshot)", `($1::date < "snapshot" OR $1::date > "snapshot")`, []any{day}},
		{"t_equals string instants", "T_EQUALS(ts, '2024-01-31T00:00:00Z')", `("ts" = $1::timestamptz AND "ts" = $1::timestamptz)`, []any{day}},
	})
}

// valid is how a polygonal literal is emitted: made valid and dissolved, once.
func valid(sql string) string { return "(SELECT ST_UnaryUnion(ST_MakeValid(" + sql + ")))" }

func TestSpatialLiterals(t *testing.T) {
	tests := []struct {
		name string
		src  string
		opts Options
		sql  string
		geom orb.Geometry
	}{
		{"point", "S_INTERSECTS(geometry, POINT(10.5 43.8))", Options{},
			`ST_Intersects("geom", ST_GeomFromWKB($1::bytea, 4326))`, orb.Point{10.5, 43.8}},
		{"point z dropped", "S_INTERSECTS(geometry, POINT Z (10.5 43.8 12))", Options{},
			`ST_Intersects("geom", ST_GeomFromWKB($1::bytea, 4326))`, orb.Point{10.5, 43.8}},
		{"bbox", "s_intersects(geometry, BBOX(10, 43, 11, 44))", Options{},
			`ST_Intersects("geom", ` + valid(`ST_GeomFromWKB($1::bytea, 4326)`) + `)`, orb.Bound{Min: orb.Point{10, 43}, Max: orb.Point{11, 44}}.ToPolygon()},
		{"bbox 3D", "s_intersects(geometry, BBOX(10, 43, 0, 11, 44, 100))", Options{},
			`ST_Intersects("geom", ` + valid(`ST_GeomFromWKB($1::bytea, 4326)`) + `)`, orb.Bound{Min: orb.Point{10, 43}, Max: orb.Point{11, 44}}.ToPolygon()},
		{"bbox across the antimeridian", "S_INTERSECTS(geometry, BBOX(150, -90, -150, 90))", Options{},
			`ST_Intersects("geom", ` + valid(`ST_GeomFromWKB($1::bytea, 4326)`) + `)`,
			orb.MultiPolygon{orb.Bound{Min: orb.Point{150, -90}, Max: orb.Point{180, 90}}.ToPolygon(), orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{-150, 90}}.ToPolygon()}},
		{"lat/lon bbox across the antimeridian", "S_INTERSECTS(geometry, BBOX(-10, 170, 10, -170))", Options{SwapXY: true},
			`ST_Intersects("geom", ` + valid(`ST_GeomFromWKB($1::bytea, 4326)`) + `)`,
			orb.MultiPolygon{orb.Bound{Min: orb.Point{170, -10}, Max: orb.Point{180, 10}}.ToPolygon(), orb.Bound{Min: orb.Point{-180, -10}, Max: orb.Point{-170, 10}}.ToPolygon()}},
		{"projected bbox", "S_INTERSECTS(geometry, BBOX(1600000, 4800000, 1650000, 4900000))", Options{LiteralSRID: 3003},
			`ST_Intersects("geom", ` + valid(`ST_Transform(ST_GeomFromWKB($1::bytea, 3003), 4326)`) + `)`, orb.Bound{Min: orb.Point{1600000, 4800000}, Max: orb.Point{1650000, 4900000}}.ToPolygon()},
		{"polygon with hole", "S_WITHIN(geometry, POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 2 1, 2 2, 1 1)))", Options{},
			`ST_Within("geom", ` + valid(`ST_GeomFromWKB($1::bytea, 4326)`) + `)`,
			orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, {{1, 1}, {2, 1}, {2, 2}, {1, 1}}}},
		{"linestring crosses", "S_CROSSES(geometry, LINESTRING(0 0, -1 -1.5))", Options{},
			`ST_Crosses("geom", ST_GeomFromWKB($1::bytea, 4326))`, orb.LineString{{0, 0}, {-1, -1.5}}},
		{"multipoint both spellings", "S_DISJOINT(geometry, MULTIPOINT((1 2), 3 4))", Options{},
			`ST_Disjoint("geom", ST_GeomFromWKB($1::bytea, 4326))`, orb.MultiPoint{{1, 2}, {3, 4}}},
		{"multipolygon", "S_CONTAINS(geometry, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5))))", Options{},
			`ST_Contains("geom", ` + valid(`ST_GeomFromWKB($1::bytea, 4326)`) + `)`,
			orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}, {{{5, 5}, {6, 5}, {6, 6}, {5, 5}}}}},
		{"collection", "S_TOUCHES(geometry, GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0, 1 1)))", Options{},
			`ST_Touches("geom", ST_GeomFromWKB($1::bytea, 4326))`, orb.Collection{orb.Point{1, 2}, orb.LineString{{0, 0}, {1, 1}}}},
		{"lat/lon filter-crs swapped", "S_EQUALS(POINT(43.8 10.5), geometry)", Options{SwapXY: true},
			`ST_Equals(ST_GeomFromWKB($1::bytea, 4326), "geom")`, orb.Point{10.5, 43.8}},
		{"projected filter-crs transformed", "S_OVERLAPS(geometry, POINT(1600000 4850000))", Options{LiteralSRID: 3003},
			`ST_Overlaps("geom", ST_Transform(ST_GeomFromWKB($1::bytea, 3003), 4326))`, orb.Point{1600000, 4850000}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sql, args, err := translateText(t, tc.src, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if sql != tc.sql {
				t.Errorf("sql\n got %s\nwant %s", sql, tc.sql)
			}
			if len(args) != 1 {
				t.Fatalf("args = %v", args)
			}
			g, err := wkb.Unmarshal(args[0].([]byte))
			if err != nil {
				t.Fatal(err)
			}
			if !orb.Equal(g, tc.geom) {
				t.Errorf("geometry = %v, want %v", g, tc.geom)
			}
		})
	}
}

func TestJSONMatchesText(t *testing.T) {
	tests := []struct {
		name, json, text string
	}{
		{"equality", `{"op":"=","args":[{"property":"foglio"},"37"]}`, "foglio = '37'"},
		{"and", `{"op":"and","args":[{"op":">","args":[{"property":"n"},3]},{"op":"isNull","args":[{"property":"name"}]}]}`, "n > 3 AND name IS NULL"},
		{"like casei", `{"op":"like","args":[{"op":"casei","args":[{"property":"name"}]},{"op":"casei","args":["via%"]}]}`, "CASEI(name) LIKE CASEI('via%')"},
		{"in", `{"op":"in","args":[{"property":"foglio"},["1","2"]]}`, "foglio IN ('1','2')"},
		{"between", `{"op":"between","args":[{"property":"h"},1,2.5]}`, "h BETWEEN 1 AND 2.5"},
		{"date", `{"op":">","args":[{"property":"snapshot"},{"date":"2024-01-31"}]}`, "snapshot > DATE('2024-01-31')"},
		{"interval", `{"op":"t_during","args":[{"property":"ts"},{"interval":["2024-01-01T00:00:00Z",".."]}]}`, "T_DURING(ts, INTERVAL('2024-01-01T00:00:00Z','..'))"},
		{"geojson polygon", `{"op":"s_intersects","args":[{"property":"geometry"},{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}]}`, "S_INTERSECTS(geometry, POLYGON((0 0,1 0,1 1,0 0)))"},
		{"bbox", `{"op":"s_intersects","args":[{"property":"geometry"},{"bbox":[10,43,11,44]}]}`, "S_INTERSECTS(geometry, BBOX(10,43,11,44))"},
		{"not", `{"op":"not","args":[{"op":"=","args":[{"property":"ok"},true]}]}`, "NOT ok = TRUE"},
		{"arithmetic", `{"op":">","args":[{"op":"+","args":[{"property":"h"},1]},{"op":"*","args":[{"property":"n"},2]}]}`, "h + 1 > n * 2"},
		{"old function form", `{"op":"=","args":[{"function":{"name":"casei","args":[{"property":"name"}]}},"x"]}`, "CASEI(name) = 'x'"},
		{"bbox across the antimeridian", `{"op":"s_intersects","args":[{"property":"geometry"},{"bbox":[170,-10,-170,10]}]}`, "S_INTERSECTS(geometry, BBOX(170,-10,-170,10))"},
		{"interval of properties and objects", `{"op":"t_meets","args":[{"interval":[{"property":"snapshot"},{"property":"ts"}]},{"interval":[{"date":"2024-01-01"},".."]}]}`, "T_MEETS(INTERVAL(snapshot, ts), INTERVAL(DATE('2024-01-01'), '..'))"},
		{"in booleans", `{"op":"in","args":[{"property":"ok"},[true]]}`, "ok IN (TRUE)"},
		{"accenti casei", `{"op":"=","args":[{"op":"accenti","args":[{"op":"casei","args":[{"property":"name"}]}]},{"op":"accenti","args":[{"op":"casei","args":["ÄÉ"]}]}]}`, "ACCENTI(CASEI(name)) = accenti(casei('ÄÉ'))"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			jn, err := ParseJSON([]byte(tc.json), Limits{})
			if err != nil {
				t.Fatalf("ParseJSON: %v", err)
			}
			var ja Args
			jsql, err := ToSQL(jn, Options{Schema: testSchema}, &ja)
			if err != nil {
				t.Fatalf("ToSQL(json): %v", err)
			}
			tsql, targs, err := translateText(t, tc.text, Options{})
			if err != nil {
				t.Fatalf("text: %v", err)
			}
			if jsql != tsql || !reflect.DeepEqual(ja.Values, targs) {
				t.Errorf("json → %s %v\ntext → %s %v", jsql, ja.Values, tsql, targs)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	deep := strings.Repeat("(", 100) + "n = 1" + strings.Repeat(")", 100)
	nestedLike := strings.Repeat("(", 35) + "name" + strings.Repeat(" LIKE 'a')", 35)
	many := "n IN (" + strings.TrimSuffix(strings.Repeat("1,", 1500), ",") + ")"
	nodes := strings.TrimSuffix(strings.Repeat("n = 1 AND ", 1200), " AND ")
	tests := []struct {
		name, src, want string
	}{
		{"empty", "  ", "empty"},
		{"unterminated string", "foglio = 'abc", "unterminated string"},
		{"unterminated quoted name", `"foglio = 1`, "unterminated quoted name"},
		{"dangling operator", "foglio =", "expected a value"},
		{"trailing garbage", "foglio = '1' foglio", "unexpected 'foglio'"},
		{"missing parenthesis", "(n = 1", "expected ')'"},
		{"unknown property", "nope = 1", `unknown property "nope"`},
		{"injection as a property", `"foglio; DROP TABLE x" = 1`, "unknown property"},
		{"unknown function", "evil(n) = 1", "unknown function or operator EVIL"},
		{"not a condition", "n + 1", "must be a condition"},
		{"bare literal", "'abc'", "must be a condition"},
		{"type mismatch", "n = 'abc'", "is not a number"},
		{"bad date", "snapshot = DATE('2024-13-45')", "is not a date"},
		{"bad timestamp", "ts = TIMESTAMP('yesterday')", "not an RFC 3339 timestamp"},
		{"like on a number", "n LIKE '1%'", "LIKE compares text"},
		{"spatial on a text", "S_INTERSECTS(foglio, POINT(1 2))", "needs geometries"},
		{"compare geometries", "geometry = POINT(1 2)", "use the S_* functions"},
		{"ring not closed", "S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 1)))", "last equal to the first"},
		{"bbox arity", "S_INTERSECTS(geometry, BBOX(1,2,3))", "4 or 6 numbers"},
		{"bbox inverted latitudes", "S_INTERSECTS(geometry, BBOX(1,4,3,2))", "BBOX: its lower latitude 4 is above its upper latitude 2"},
		{"bbox outside the CRS", "S_INTERSECTS(geometry, BBOX(1,-91,3,2))", "latitude must be between -90 and 90"},
		{"point outside CRS84", "S_INTERSECTS(geometry, POINT(90 180))", "the coordinates (90 180) are outside the limits of CRS84: latitude must be between -90 and 90"},
		{"multipoint outside CRS84", "S_INTERSECTS(geometry, MULTIPOINT(7.02 49.92, 90 180))", "(90 180)"},
		{"longitude outside CRS84", "S_INTERSECTS(geometry, LINESTRING(0 0, 180.5 0))", "longitude must be between -180 and 180"},
		{"bbox 5 numbers", "S_INTERSECTS(geometry, BBOX(1,2,3,4,5))", "4 or 6 numbers"},
		{"multilinestring of one point", "S_INTERSECTS(geometry, MULTILINESTRING((1 2)))", "at least 2 points"},
		{"linestring of one point in a collection", "S_INTERSECTS(geometry, GEOMETRYCOLLECTION(LINESTRING(1 2)))", "at least 2 points"},
		{"bbox 7 numbers", "S_INTERSECTS(geometry, BBOX(1,2,3,4,5,6,7))", "4 or 6 numbers"},
		{"like ends with the escape", `name LIKE 'abc\\'`, "unterminated string"},
		{"in with an interval", "ts IN (INTERVAL('..','..'))", "INTERVAL is only allowed"},
		{"casei of a number property", "CASEI(n) = 'x'", "CASEI applies to text, not a integer"},
		{"temporal interval reversed", "T_AFTER(ts, INTERVAL('2024-01-02', '2024-01-01'))", "ends (DATE('2024-01-01')) before it starts"},
		{"temporal end not temporal", "T_AFTER(ts, INTERVAL(name, '..'))", "an end of an INTERVAL must be"},
		{"temporal instant not temporal", "T_AFTER(ts, 'yesterday')", "argument 2 is 'yesterday'"},
		{"wrong arity", "S_INTERSECTS(geometry)", "takes 2 argument(s)"},
		{"too deep", deep, "nested too deeply"},
		{"nested like does not blow up", nestedLike, "LIKE compares text, not a boolean"},
		{"too many in values", many, "IN list too long"},
		{"too many nodes", nodes, "too complex"},
		{"between without and", "n BETWEEN 1 OR 2", "expected AND"},
		{"is without null", "n IS 3", "expected NULL"},
		{"bad character", "n = 1 ; DROP TABLE x", "unexpected character"},
		{"interval compared", "ts = INTERVAL('..','..')", "INTERVAL is only allowed"},
		{"temporal on text", "T_AFTER(foglio, DATE('2020-01-01'))", "needs dates"},
		{"temporal unknown property", "T_AFTER(nope, DATE('2020-01-01'))", `unknown property "nope"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := translateText(t, tc.src, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
			if _, ok := err.(*Error); !ok {
				t.Errorf("error is %T, want *cql2.Error", err)
			}
		})
	}
}

func TestJSONErrors(t *testing.T) {
	deep := strings.Repeat(`{"op":"not","args":[`, 200) + `true` + strings.Repeat(`]}`, 200)
	tests := []struct {
		name, src, want string
	}{
		{"not json", `{"op":`, "not valid JSON"},
		{"trailing data", `{"op":"=","args":[1,1]} x`, "data after"},
		{"null", `null`, "null is not"},
		{"unknown object", `{"foo":1}`, "unknown object"},
		{"op not string", `{"op":1,"args":[]}`, `"op" must be`},
		{"args not array", `{"op":"=","args":1}`, `must be an array`},
		{"too deep", deep, "nested too deeply"},
		{"bad geojson", `{"op":"s_intersects","args":[{"property":"geometry"},{"type":"Point","coordinates":[1]}]}`, "2 or 3 numbers"},
		{"unknown geojson", `{"op":"s_intersects","args":[{"property":"geometry"},{"type":"Circle","coordinates":[1,2]}]}`, "unknown GeoJSON"},
		{"bad interval", `{"op":"t_after","args":[{"property":"ts"},{"interval":["x"]}]}`, "array of 2 ends"},
		{"NUL in a string", `{"op":"=","args":[{"property":"name"},"a\u0000b"]}`, "NUL"},
		{"NUL in a property", `{"op":"=","args":[{"property":"na\u0000me"},"a"]}`, `"property" must be`},
		{"bbox inverted latitudes", `{"op":"s_intersects","args":[{"property":"geometry"},{"bbox":[1,4,3,2]}]}`, "lower latitude 4 is above"},
		{"coordinates out of CRS84", `{"op":"s_intersects","args":[{"property":"geometry"},{"type":"Point","coordinates":[90,180]}]}`, "(90 180) are outside the limits of CRS84"},
		{"like ending with the escape", `{"op":"like","args":[{"property":"name"},"abc\\"]}`, "ends with the escape character"},
		{"interval reversed", `{"op":"t_during","args":[{"property":"ts"},{"interval":["2024-02-01","2024-01-01"]}]}`, "before it starts"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := ParseJSON([]byte(tc.src), Limits{})
			if err == nil {
				var a Args
				_, err = ToSQL(n, Options{Schema: testSchema}, &a)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestCoordinateLimit(t *testing.T) {
	src := "S_INTERSECTS(geometry, LINESTRING(" + strings.TrimSuffix(strings.Repeat("1 2,", 60), ",") + "))"
	if _, err := ParseText(src, Limits{MaxCoords: 50}); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("err = %v", err)
	}
	if _, err := ParseText(src, Limits{MaxCoords: 60}); err != nil {
		t.Fatalf("60 coordinates within a limit of 60: %v", err)
	}
}

func TestLengthLimit(t *testing.T) {
	src := "foglio = '" + strings.Repeat("x", 100) + "'"
	if _, err := ParseText(src, Limits{MaxLength: 50}); err == nil || !strings.Contains(err.Error(), "too long") {
		t.Fatalf("err = %v", err)
	}
	if _, err := ParseJSON([]byte(`"`+strings.Repeat("x", 100)+`"`), Limits{MaxLength: 50}); err == nil || !strings.Contains(err.Error(), "too long") {
		t.Fatalf("err = %v", err)
	}
}

// FuzzParseText checks that no input makes the parser or the translator panic.
func FuzzParseText(f *testing.F) {
	for _, s := range []string{"n = 1", "S_INTERSECTS(geometry, POLYGON((0 0,1 0,1 1,0 0)))", "T_AFTER(ts, INTERVAL('..','2020-01-01'))",
		"name LIKE 'a%' AND NOT (h BETWEEN 1 AND 2) OR foglio IN ('1')", "((((", "'", `"`, "-(-(-1)) = n ^ 2 div 3 % 4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseText(s, Limits{})
		if err != nil {
			return
		}
		var a Args
		_, _ = ToSQL(n, Options{Schema: testSchema}, &a)
	})
}

// TestLiteralLimits: literals are checked against Options.Limits, named in
// the CRS's own axis order, and only a geographic CRS wraps.
func TestLiteralLimits(t *testing.T) {
	gb := Options{LiteralSRID: 3003, Limits: [4]float64{630000, 3318000, 2370000, 9337000}}
	latlon := Options{SwapXY: true}
	tests := []struct {
		name string
		src  string
		o    Options
		want string // "" means accepted
	}{
		{"projected inside", "S_INTERSECTS(geometry, POINT(1600000 4850000))", gb, ""},
		{"projected outside", "S_INTERSECTS(geometry, POINT(1e10 1e10))", gb, "the coordinates (1e+10 1e+10) are outside the limits of EPSG:3003: easting must be between 630000 and 2.37e+06"},
		{"projected box does not wrap", "S_INTERSECTS(geometry, BBOX(1700000, 4800000, 1600000, 4900000))", gb, "its lower easting 1.7e+06 is above its upper easting"},
		{"lat/lon names latitude first", "S_INTERSECTS(geometry, POINT(95 10))", latlon, "outside the limits of EPSG:4326: latitude must be between -90 and 90"},
		{"lat/lon inside", "S_INTERSECTS(geometry, POINT(43.8 10.5))", latlon, ""},
		{"unknown CRS unchecked", "S_INTERSECTS(geometry, POINT(1e10 1e10))", Options{LiteralSRID: 9999}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := translateText(t, tc.src, tc.o)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
