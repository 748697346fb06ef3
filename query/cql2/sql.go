package cql2

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// Type is the SQL-facing type of a property or an expression.
type Type int

const (
	TypeUnknown Type = iota
	TypeString
	TypeInteger
	TypeDouble
	TypeBoolean
	TypeDate
	TypeTimestamp
	TypeGeometry
	typeInterval // internal: an INTERVAL(…) literal
)

func (t Type) String() string {
	switch t {
	case TypeString:
		return "text"
	case TypeInteger:
		return "integer"
	case TypeDouble:
		return "number"
	case TypeBoolean:
		return "boolean"
	case TypeDate:
		return "date"
	case TypeTimestamp:
		return "timestamp"
	case TypeGeometry:
		return "geometry"
	case typeInterval:
		return "interval"
	}
	return "unknown"
}

func (t Type) numeric() bool  { return t == TypeInteger || t == TypeDouble }
func (t Type) temporal() bool { return t == TypeDate || t == TypeTimestamp }

// Column is how a queryable maps onto SQL. SQL must be a quoted identifier
// (pgx.Identifier.Sanitize) or another expression the caller trusts.
type Column struct {
	SQL  string
	Type Type
}

// Schema resolves a property name; false means the name is not queryable.
type Schema func(name string) (Column, bool)

// Args collects the values of the $n parameters.
type Args struct{ Values []any }

// Add appends a value and returns its placeholder.
func (a *Args) Add(v any) string {
	a.Values = append(a.Values, v)
	return "$" + strconv.Itoa(len(a.Values))
}

// Options tell the translator about the collection and the literals.
type Options struct {
	Schema Schema
	// LiteralSRID is the EPSG code of geometry literals (filter-crs);
	// 0 means 4326 (CRS84 longitude/latitude).
	LiteralSRID int
	// SwapXY says the literals are in latitude/longitude (northing/easting)
	// order and must be swapped into the storage's x/y order.
	SwapXY bool
	// StorageSRID is the SRID of the geometry column; 0 means 4326.
	StorageSRID int
}

// ToSQL translates a parsed filter into a boolean SQL expression whose
// values are appended to args.
func ToSQL(n Node, o Options, args *Args) (string, error) {
	if o.Schema == nil {
		return "", &Error{Pos: -1, Msg: "no queryables"}
	}
	if o.LiteralSRID == 0 {
		o.LiteralSRID = 4326
	}
	if o.StorageSRID == 0 {
		o.StorageSRID = 4326
	}
	t := &translator{o: o, a: args}
	e, err := t.value(n)
	if err != nil {
		return "", err
	}
	return t.boolean(e, "the filter")
}

type translator struct {
	o Options
	a *Args
}

// typeOf tells the type of an operand without translating it (and so
// without recursion: checking types first must not multiply the work).
func (t *translator) typeOf(n Node) (typ Type, literal bool) {
	switch x := n.(type) {
	case Property:
		if c, ok := t.o.Schema(x.Name); ok {
			return c.Type, false
		}
		return TypeUnknown, false
	case Op:
		switch {
		case x.Name == "casei" || x.Name == "accenti":
			return TypeString, false
		case x.Name == "+" || x.Name == "-" || x.Name == "*" || x.Name == "/" || x.Name == "%" || x.Name == "div" || x.Name == "^":
			return TypeDouble, false
		case x.Name == "and" || x.Name == "or" || x.Name == "not" || comparison[x.Name] || x.Name == "like" ||
			x.Name == "between" || x.Name == "in" || x.Name == "isnull" || spatialFuncs[x.Name] != "" || temporalFuncs[x.Name] != nil:
			return TypeBoolean, false
		}
		return TypeUnknown, false
	case Interval:
		return typeInterval, false
	}
	return litType(n), true
}

// expr is a translated (or, for literals, not yet emitted) expression.
type expr struct {
	sql string
	t   Type
	lit Node // set for a literal whose SQL depends on the type it meets
	// for intervals: the SQL of both ends
	start, end string
}

func fail(format string, args ...any) error {
	return &Error{Pos: -1, Msg: fmt.Sprintf(format, args...)}
}

func litType(n Node) Type {
	switch x := n.(type) {
	case String:
		return TypeString
	case Number:
		if x.Int {
			return TypeInteger
		}
		return TypeDouble
	case Bool:
		return TypeBoolean
	case Date:
		return TypeDate
	case Timestamp:
		return TypeTimestamp
	case Geometry:
		return TypeGeometry
	}
	return TypeUnknown
}

func (t *translator) value(n Node) (expr, error) {
	switch x := n.(type) {
	case String, Number, Bool, Date, Timestamp, Geometry:
		return expr{t: litType(n), lit: n}, nil
	case Property:
		c, ok := t.o.Schema(x.Name)
		if !ok {
			return expr{}, fail("unknown property %q (see the collection's queryables)", x.Name)
		}
		return expr{sql: c.SQL, t: c.Type}, nil
	case Interval:
		return t.interval(x)
	case List:
		return expr{}, fail("a list is only allowed after IN")
	case Op:
		return t.op(x)
	case nil:
		return expr{}, fail("missing value")
	}
	return expr{}, fail("unsupported element %T", n)
}

// emit produces the SQL of e, casting a literal to want.
func (t *translator) emit(e expr, want Type) (string, error) {
	if e.t == typeInterval {
		return "", fail("an INTERVAL is only allowed in the T_* functions")
	}
	if e.lit == nil {
		return e.sql, nil
	}
	if want == TypeUnknown {
		want = e.t
	}
	switch x := e.lit.(type) {
	case Geometry:
		if want != TypeGeometry {
			return "", fail("a geometry cannot be compared with a %s", want)
		}
		return t.geometry(x.G)
	case Bool:
		switch want {
		case TypeBoolean:
			if x.V {
				return "true", nil
			}
			return "false", nil
		case TypeString:
			return t.a.Add(strconv.FormatBool(x.V)) + "::text", nil
		}
	case String:
		switch want {
		case TypeString:
			return t.a.Add(x.V) + "::text", nil
		case TypeInteger:
			if i, err := strconv.ParseInt(strings.TrimSpace(x.V), 10, 64); err == nil {
				return t.a.Add(i) + "::bigint", nil
			}
			fallthrough
		case TypeDouble:
			f, err := strconv.ParseFloat(strings.TrimSpace(x.V), 64)
			if err != nil {
				return "", fail("'%s' is not a number", clip(x.V))
			}
			return t.a.Add(f) + "::float8", nil
		case TypeBoolean:
			b, err := strconv.ParseBool(strings.TrimSpace(x.V))
			if err != nil {
				return "", fail("'%s' is not a boolean", clip(x.V))
			}
			return t.a.Add(b) + "::boolean", nil
		case TypeDate, TypeTimestamp:
			if d, err := parseDate(x.V); err == nil {
				return t.a.Add(d) + "::date", nil
			}
			ts, err := parseTimestamp(x.V)
			if err != nil {
				return "", fail("'%s' is not a date or a timestamp", clip(x.V))
			}
			return t.a.Add(ts) + "::timestamptz", nil
		}
	case Number:
		switch want {
		case TypeString:
			return t.a.Add(x.Raw) + "::text", nil
		case TypeInteger:
			if x.Int {
				return t.a.Add(x.I) + "::bigint", nil
			}
			return t.a.Add(x.V) + "::float8", nil
		case TypeDouble:
			return t.a.Add(x.V) + "::float8", nil
		}
	case Date:
		switch want {
		case TypeDate:
			return t.a.Add(x.V) + "::date", nil
		case TypeTimestamp:
			return t.a.Add(x.V) + "::timestamptz", nil
		case TypeString:
			return t.a.Add(x.V.Format("2006-01-02")) + "::text", nil
		}
	case Timestamp:
		switch want {
		case TypeDate, TypeTimestamp:
			return t.a.Add(x.V) + "::timestamptz", nil
		case TypeString:
			return t.a.Add(x.V.Format(time.RFC3339Nano)) + "::text", nil
		}
	}
	return "", fail("%s cannot be used as a %s", describe(e.lit), want)
}

func describe(n Node) string {
	switch x := n.(type) {
	case String:
		return "'" + clip(x.V) + "'"
	case Number:
		return x.Raw
	case Bool:
		return strings.ToUpper(strconv.FormatBool(x.V))
	case Date:
		return "DATE('" + x.V.Format("2006-01-02") + "')"
	case Timestamp:
		return "TIMESTAMP('" + x.V.Format(time.RFC3339) + "')"
	case Geometry:
		return "a geometry"
	}
	return "the value"
}

// geometry emits a literal as a parameter in the storage CRS.
func (t *translator) geometry(g orb.Geometry) (string, error) {
	if t.o.SwapXY {
		g = swapXY(g)
	}
	b, err := wkb.Marshal(g)
	if err != nil {
		return "", fail("geometry literal: %v", err)
	}
	p := t.a.Add(b)
	if t.o.LiteralSRID == t.o.StorageSRID {
		return "ST_GeomFromWKB(" + p + "::bytea, " + strconv.Itoa(t.o.StorageSRID) + ")", nil
	}
	return "ST_Transform(ST_GeomFromWKB(" + p + "::bytea, " + strconv.Itoa(t.o.LiteralSRID) + "), " + strconv.Itoa(t.o.StorageSRID) + ")", nil
}

func swapXY(g orb.Geometry) orb.Geometry {
	sw := func(ps []orb.Point) []orb.Point {
		out := make([]orb.Point, len(ps))
		for i, p := range ps {
			out[i] = orb.Point{p[1], p[0]}
		}
		return out
	}
	switch x := g.(type) {
	case orb.Point:
		return orb.Point{x[1], x[0]}
	case orb.MultiPoint:
		return orb.MultiPoint(sw(x))
	case orb.LineString:
		return orb.LineString(sw(x))
	case orb.MultiLineString:
		out := make(orb.MultiLineString, len(x))
		for i, l := range x {
			out[i] = orb.LineString(sw(l))
		}
		return out
	case orb.Polygon:
		out := make(orb.Polygon, len(x))
		for i, r := range x {
			out[i] = orb.Ring(sw(r))
		}
		return out
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(x))
		for i, p := range x {
			out[i] = swapXY(p).(orb.Polygon)
		}
		return out
	case orb.Collection:
		out := make(orb.Collection, len(x))
		for i, c := range x {
			out[i] = swapXY(c)
		}
		return out
	}
	return g
}

// boolean returns e as a condition.
func (t *translator) boolean(e expr, where string) (string, error) {
	if e.t != TypeBoolean {
		if e.lit != nil {
			return "", fail("%s must be a condition, not %s", where, describe(e.lit))
		}
		return "", fail("%s must be a condition, not a %s value", where, e.t)
	}
	return t.emit(e, TypeBoolean)
}

// pair translates two operands to a common type: a literal takes the type
// of the property or expression it meets.
func (t *translator) pair(a, b Node, what string) (string, string, Type, error) {
	l, err := t.value(a)
	if err != nil {
		return "", "", 0, err
	}
	r, err := t.value(b)
	if err != nil {
		return "", "", 0, err
	}
	want := l.t
	switch {
	case l.lit != nil && r.lit == nil:
		want = r.t
	case l.lit == nil && r.lit == nil:
		if !compatible(l.t, r.t) {
			return "", "", 0, fail("%s: cannot compare a %s with a %s", what, l.t, r.t)
		}
	case l.lit != nil && r.lit != nil && l.t.numeric() && r.t.numeric():
		want = TypeDouble
	}
	if l.lit == nil && r.lit == nil && l.t != r.t && l.t.numeric() {
		want = TypeDouble
	}
	ls, err := t.emit(l, want)
	if err != nil {
		return "", "", 0, prefix(what, err)
	}
	rs, err := t.emit(r, want)
	if err != nil {
		return "", "", 0, prefix(what, err)
	}
	return ls, rs, want, nil
}

func prefix(what string, err error) error {
	if e, ok := err.(*Error); ok {
		return &Error{Pos: e.Pos, Msg: what + ": " + e.Msg}
	}
	return err
}

func compatible(a, b Type) bool {
	return a == b || (a.numeric() && b.numeric()) || (a.temporal() && b.temporal())
}

var comparison = map[string]bool{"=": true, "<>": true, "<": true, ">": true, "<=": true, ">=": true}

var spatialFuncs = map[string]string{
	"s_intersects": "ST_Intersects", "s_equals": "ST_Equals", "s_disjoint": "ST_Disjoint",
	"s_touches": "ST_Touches", "s_within": "ST_Within", "s_overlaps": "ST_Overlaps",
	"s_crosses": "ST_Crosses", "s_contains": "ST_Contains",
}

func (t *translator) arity(o Op, n int) error {
	if len(o.Args) != n {
		return fail("%s takes %d argument(s), got %d", strings.ToUpper(o.Name), n, len(o.Args))
	}
	return nil
}

func (t *translator) op(o Op) (expr, error) {
	name := o.Name
	switch {
	case name == "and" || name == "or":
		if len(o.Args) < 2 {
			return expr{}, fail("%s needs at least 2 conditions", strings.ToUpper(name))
		}
		parts := make([]string, 0, len(o.Args))
		for _, a := range o.Args {
			e, err := t.value(a)
			if err != nil {
				return expr{}, err
			}
			s, err := t.boolean(e, "an operand of "+strings.ToUpper(name))
			if err != nil {
				return expr{}, err
			}
			parts = append(parts, s)
		}
		return expr{sql: "(" + strings.Join(parts, " "+strings.ToUpper(name)+" ") + ")", t: TypeBoolean}, nil
	case name == "not":
		if err := t.arity(o, 1); err != nil {
			return expr{}, err
		}
		e, err := t.value(o.Args[0])
		if err != nil {
			return expr{}, err
		}
		s, err := t.boolean(e, "the operand of NOT")
		if err != nil {
			return expr{}, err
		}
		return expr{sql: "(NOT " + s + ")", t: TypeBoolean}, nil
	case comparison[name]:
		if err := t.arity(o, 2); err != nil {
			return expr{}, err
		}
		l, r, typ, err := t.pair(o.Args[0], o.Args[1], "comparison "+name)
		if err != nil {
			return expr{}, err
		}
		if typ == TypeGeometry || typ == typeInterval {
			return expr{}, fail("comparison %s: use the S_* or T_* functions for geometries and intervals", name)
		}
		if typ == TypeBoolean && name != "=" && name != "<>" {
			return expr{}, fail("comparison %s: booleans are only compared with = and <>", name)
		}
		return expr{sql: "(" + l + " " + name + " " + r + ")", t: TypeBoolean}, nil
	case name == "like":
		if err := t.arity(o, 2); err != nil {
			return expr{}, err
		}
		for _, a := range o.Args {
			if typ, lit := t.typeOf(a); !lit && typ != TypeString && typ != TypeUnknown {
				return expr{}, fail("LIKE compares text, not %s", typ)
			}
		}
		l, r, typ, err := t.pair(o.Args[0], o.Args[1], "LIKE")
		if err != nil {
			return expr{}, err
		}
		if typ != TypeString {
			return expr{}, fail("LIKE compares text, not %s", typ)
		}
		return expr{sql: "(" + l + " LIKE " + r + ")", t: TypeBoolean}, nil
	case name == "between":
		if err := t.arity(o, 3); err != nil {
			return expr{}, err
		}
		v, lo, typ, err := t.pair(o.Args[0], o.Args[1], "BETWEEN")
		if err != nil {
			return expr{}, err
		}
		if typ == TypeGeometry || typ == TypeBoolean || typ == typeInterval {
			return expr{}, fail("BETWEEN needs numbers, text or dates, not %s", typ)
		}
		hiE, err := t.value(o.Args[2])
		if err != nil {
			return expr{}, err
		}
		if hiE.lit == nil && !compatible(hiE.t, typ) {
			return expr{}, fail("BETWEEN: cannot compare a %s with a %s", typ, hiE.t)
		}
		hi, err := t.emit(hiE, typ)
		if err != nil {
			return expr{}, prefix("BETWEEN", err)
		}
		return expr{sql: "(" + v + " BETWEEN " + lo + " AND " + hi + ")", t: TypeBoolean}, nil
	case name == "in":
		return t.in(o)
	case name == "isnull":
		if err := t.arity(o, 1); err != nil {
			return expr{}, err
		}
		e, err := t.value(o.Args[0])
		if err != nil {
			return expr{}, err
		}
		s, err := t.emit(e, TypeUnknown)
		if err != nil {
			return expr{}, err
		}
		return expr{sql: "(" + s + " IS NULL)", t: TypeBoolean}, nil
	case name == "casei" || name == "accenti":
		if err := t.arity(o, 1); err != nil {
			return expr{}, err
		}
		e, err := t.value(o.Args[0])
		if err != nil {
			return expr{}, err
		}
		if e.t != TypeString && e.lit == nil {
			return expr{}, fail("%s applies to text, not %s", strings.ToUpper(name), e.t)
		}
		s, err := t.emit(e, TypeString)
		if err != nil {
			return expr{}, err
		}
		if name == "casei" {
			return expr{sql: "lower(" + s + ")", t: TypeString}, nil
		}
		return expr{sql: accentFold(s), t: TypeString}, nil
	case spatialFuncs[name] != "":
		if err := t.arity(o, 2); err != nil {
			return expr{}, err
		}
		var parts [2]string
		for i, a := range o.Args {
			e, err := t.value(a)
			if err != nil {
				return expr{}, err
			}
			if e.t != TypeGeometry {
				return expr{}, fail("%s needs geometries, argument %d is a %s", strings.ToUpper(name), i+1, e.t)
			}
			if parts[i], err = t.emit(e, TypeGeometry); err != nil {
				return expr{}, err
			}
		}
		return expr{sql: spatialFuncs[name] + "(" + parts[0] + ", " + parts[1] + ")", t: TypeBoolean}, nil
	case temporalFuncs[name] != nil:
		return t.temporal(o)
	case name == "+" || name == "-" || name == "*" || name == "/" || name == "%" || name == "div" || name == "^":
		return t.arith(o)
	}
	return expr{}, fail("unknown function or operator %s", strings.ToUpper(name))
}

func (t *translator) in(o Op) (expr, error) {
	if err := t.arity(o, 2); err != nil {
		return expr{}, err
	}
	list, ok := o.Args[1].(List)
	if !ok {
		return expr{}, fail("IN needs a list of values")
	}
	if len(list.Items) == 0 {
		return expr{}, fail("IN needs at least one value")
	}
	v, err := t.value(o.Args[0])
	if err != nil {
		return expr{}, err
	}
	want := v.t
	if v.lit != nil {
		// A literal on the left: take the type of the first non-literal item.
		for _, it := range list.Items {
			if typ, lit := t.typeOf(it); !lit && typ != TypeUnknown {
				want = typ
				break
			}
		}
	}
	if want == TypeGeometry || want == typeInterval {
		return expr{}, fail("IN does not apply to %s values", want)
	}
	vs, err := t.emit(v, want)
	if err != nil {
		return expr{}, prefix("IN", err)
	}
	allLit := true
	for _, it := range list.Items {
		if litType(it) == TypeUnknown {
			allLit = false
		}
	}
	if allLit && want != TypeUnknown {
		// One array parameter keeps the statement text independent of the list size.
		vals, cast, err := arrayValues(list.Items, want)
		if err != nil {
			return expr{}, prefix("IN", err)
		}
		return expr{sql: "(" + vs + " = ANY(" + t.a.Add(vals) + "::" + cast + "))", t: TypeBoolean}, nil
	}
	parts := make([]string, 0, len(list.Items))
	for _, it := range list.Items {
		e, err := t.value(it)
		if err != nil {
			return expr{}, err
		}
		if e.lit == nil && !compatible(e.t, want) {
			return expr{}, fail("IN: cannot compare a %s with a %s", want, e.t)
		}
		s, err := t.emit(e, want)
		if err != nil {
			return expr{}, prefix("IN", err)
		}
		parts = append(parts, s)
	}
	return expr{sql: "(" + vs + " IN (" + strings.Join(parts, ", ") + "))", t: TypeBoolean}, nil
}

// arrayValues converts IN literals into one typed Go slice.
func arrayValues(items []Node, want Type) (any, string, error) {
	scratch := &translator{a: &Args{}}
	switch want {
	case TypeString:
		out := make([]string, 0, len(items))
		for _, it := range items {
			switch x := it.(type) {
			case String:
				out = append(out, x.V)
			case Number:
				out = append(out, x.Raw)
			default:
				return nil, "", fail("%s is not text", describe(it))
			}
		}
		return out, "text[]", nil
	case TypeInteger, TypeDouble:
		out := make([]float64, 0, len(items))
		for _, it := range items {
			if _, err := scratch.emit(expr{t: litType(it), lit: it}, TypeDouble); err != nil {
				return nil, "", err
			}
			out = append(out, scratch.a.Values[len(scratch.a.Values)-1].(float64))
		}
		return out, "float8[]", nil
	case TypeBoolean:
		out := make([]bool, 0, len(items))
		for _, it := range items {
			if _, err := scratch.emit(expr{t: litType(it), lit: it}, TypeBoolean); err != nil {
				return nil, "", err
			}
			b, _ := scratch.a.Values[len(scratch.a.Values)-1].(bool)
			if x, ok := it.(Bool); ok {
				b = x.V
			}
			out = append(out, b)
		}
		return out, "boolean[]", nil
	case TypeDate, TypeTimestamp:
		out := make([]time.Time, 0, len(items))
		for _, it := range items {
			if _, err := scratch.emit(expr{t: litType(it), lit: it}, TypeTimestamp); err != nil {
				return nil, "", err
			}
			out = append(out, scratch.a.Values[len(scratch.a.Values)-1].(time.Time))
		}
		return out, "timestamptz[]", nil
	}
	return nil, "", fail("IN does not apply to %s values", want)
}

// accentFold removes the accents of Latin letters without the unaccent
// extension (which the database may lack).
func accentFold(s string) string {
	return "translate(" + s + ", '" + accented + "', '" + plain + "')"
}

const (
	accented = "àáâãäåèéêëìíîïòóôõöùúûüýÿñçÀÁÂÃÄÅÈÉÊËÌÍÎÏÒÓÔÕÖÙÚÛÜÝÑÇ"
	plain    = "aaaaaaeeeeiiiiooooouuuuyyncAAAAAAEEEEIIIIOOOOOUUUUYNC"
)

func (t *translator) arith(o Op) (expr, error) {
	if err := t.arity(o, 2); err != nil {
		return expr{}, err
	}
	var parts [2]string
	for i, a := range o.Args {
		e, err := t.value(a)
		if err != nil {
			return expr{}, err
		}
		if !e.t.numeric() {
			return expr{}, fail("%s needs numbers, argument %d is %s", o.Name, i+1, typeOrLit(e))
		}
		if parts[i], err = t.emit(e, e.t); err != nil {
			return expr{}, err
		}
	}
	l, r := parts[0], parts[1]
	switch o.Name {
	case "+", "-", "*":
		// Computed in double precision: no integer overflow errors.
		return expr{sql: "(" + l + "::float8 " + o.Name + " " + r + "::float8)", t: TypeDouble}, nil
	case "/":
		return expr{sql: "(" + l + "::float8 / NULLIF(" + r + "::float8, 0))", t: TypeDouble}, nil
	case "%":
		return expr{sql: "mod(" + l + "::numeric, NULLIF(" + r + "::numeric, 0))::float8", t: TypeDouble}, nil
	case "div":
		return expr{sql: "div(" + l + "::numeric, NULLIF(" + r + "::numeric, 0))::float8", t: TypeDouble}, nil
	default: // ^
		return expr{sql: "power(" + l + "::float8, " + r + "::float8)", t: TypeDouble}, nil
	}
}

func typeOrLit(e expr) string {
	if e.lit != nil {
		return describe(e.lit)
	}
	return "a " + e.t.String()
}

// Temporal functions compare the ends of instants and intervals (an
// instant is an interval whose ends are equal), per CQL2 §6.4.
type tcmp func(as, ae, bs, be string) string

var temporalFuncs = map[string]tcmp{
	"t_after":      func(as, ae, bs, be string) string { return as + " > " + be },
	"t_before":     func(as, ae, bs, be string) string { return ae + " < " + bs },
	"t_contains":   func(as, ae, bs, be string) string { return as + " < " + bs + " AND " + ae + " > " + be },
	"t_disjoint":   func(as, ae, bs, be string) string { return "(" + ae + " < " + bs + " OR " + as + " > " + be + ")" },
	"t_during":     func(as, ae, bs, be string) string { return as + " > " + bs + " AND " + ae + " < " + be },
	"t_equals":     func(as, ae, bs, be string) string { return as + " = " + bs + " AND " + ae + " = " + be },
	"t_finishedby": func(as, ae, bs, be string) string { return as + " < " + bs + " AND " + ae + " = " + be },
	"t_finishes":   func(as, ae, bs, be string) string { return as + " > " + bs + " AND " + ae + " = " + be },
	"t_intersects": func(as, ae, bs, be string) string { return as + " <= " + be + " AND " + ae + " >= " + bs },
	"t_meets":      func(as, ae, bs, be string) string { return ae + " = " + bs },
	"t_metby":      func(as, ae, bs, be string) string { return as + " = " + be },
	"t_overlappedby": func(as, ae, bs, be string) string {
		return as + " > " + bs + " AND " + as + " < " + be + " AND " + ae + " > " + be
	},
	"t_overlaps": func(as, ae, bs, be string) string {
		return as + " < " + bs + " AND " + ae + " > " + bs + " AND " + ae + " < " + be
	},
	"t_startedby": func(as, ae, bs, be string) string { return as + " = " + bs + " AND " + ae + " > " + be },
	"t_starts":    func(as, ae, bs, be string) string { return as + " = " + bs + " AND " + ae + " < " + be },
}

func (t *translator) temporal(o Op) (expr, error) {
	if err := t.arity(o, 2); err != nil {
		return expr{}, err
	}
	var ends [2][2]string
	for i, a := range o.Args {
		e, err := t.value(a)
		if err != nil {
			return expr{}, err
		}
		switch {
		case e.t == typeInterval:
			ends[i] = [2]string{e.start, e.end}
		case e.t.temporal():
			s, err := t.emit(e, TypeTimestamp)
			if err != nil {
				return expr{}, err
			}
			s = "(" + s + ")::timestamptz"
			ends[i] = [2]string{s, s}
		case e.lit != nil && e.t == TypeString:
			s, err := t.emit(e, TypeTimestamp)
			if err != nil {
				return expr{}, prefix(strings.ToUpper(o.Name), err)
			}
			s = "(" + s + ")::timestamptz"
			ends[i] = [2]string{s, s}
		default:
			return expr{}, fail("%s needs dates, timestamps or intervals, argument %d is %s", strings.ToUpper(o.Name), i+1, typeOrLit(e))
		}
	}
	sql := temporalFuncs[o.Name](ends[0][0], ends[0][1], ends[1][0], ends[1][1])
	return expr{sql: "(" + sql + ")", t: TypeBoolean}, nil
}

func (t *translator) interval(iv Interval) (expr, error) {
	end := func(n Node, open string) (string, error) {
		if n == nil {
			return "'" + open + "'::timestamptz", nil
		}
		e, err := t.value(n)
		if err != nil {
			return "", err
		}
		if !e.t.temporal() && e.lit == nil {
			return "", fail("an end of an INTERVAL must be a date or a timestamp, not a %s", e.t)
		}
		s, err := t.emit(e, TypeTimestamp)
		if err != nil {
			return "", err
		}
		return "(" + s + ")::timestamptz", nil
	}
	s, err := end(iv.Start, "-infinity")
	if err != nil {
		return expr{}, err
	}
	e, err := end(iv.End, "infinity")
	if err != nil {
		return expr{}, err
	}
	return expr{t: typeInterval, start: s, end: e}, nil
}
