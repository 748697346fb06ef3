package cql2

import (
	"fmt"
	"strconv"
	"strings"
	"time"
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
	// Limits are the valid coordinates of the literals' CRS, in x/y
	// (east, north) order: minx, miny, maxx, maxy. Geographic says x is a
	// longitude, which wraps at the antimeridian. Without limits, those of
	// longitude/latitude apply when LiteralSRID is 4326; otherwise literals
	// are not checked.
	Limits     [4]float64
	Geographic bool
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
	if o.Limits == [4]float64{} && o.LiteralSRID == 4326 {
		o.Limits, o.Geographic = [4]float64{-180, -90, 180, 90}, true
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

// expr is a translated (or, for literals, not yet emitted) expression.
type expr struct {
	sql string
	t   Type
	lit Node      // set for a literal whose SQL depends on the type it meets
	iv  *Interval // set for an INTERVAL, whose ends are emitted as needed
}

func fail(format string, args ...any) error {
	return &Error{Pos: -1, Msg: fmt.Sprintf(format, args...)}
}

func prefix(what string, err error) error {
	if e, ok := err.(*Error); ok {
		return &Error{Pos: e.Pos, Msg: what + ": " + e.Msg}
	}
	return err
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
	case Geometry, BBox:
		return TypeGeometry
	}
	return TypeUnknown
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
		case arithOps[x.Name]:
			return TypeDouble, false
		case booleanOps[x.Name] || comparison[x.Name] || spatialFuncs[x.Name] != "" || temporalDefs[x.Name] != nil:
			return TypeBoolean, false
		}
		return TypeUnknown, false
	case Interval:
		return typeInterval, false
	}
	return litType(n), true
}

var booleanOps = map[string]bool{"and": true, "or": true, "not": true, "like": true, "between": true, "in": true, "isnull": true}

func (t *translator) value(n Node) (expr, error) {
	switch x := n.(type) {
	case String, Number, Bool, Date, Timestamp, Geometry, BBox:
		return expr{t: litType(n), lit: n}, nil
	case Property:
		c, ok := t.o.Schema(x.Name)
		if !ok {
			return expr{}, fail("unknown property %q (see the collection's queryables)", clip(x.Name))
		}
		if c.Type == TypeUnknown || c.Type == typeInterval {
			return expr{}, fail("property %q has a type filters cannot use", clip(x.Name))
		}
		return expr{sql: c.SQL, t: c.Type}, nil
	case Interval:
		return expr{t: typeInterval, iv: &x}, nil
	case List:
		return expr{}, fail("a list is only allowed after IN")
	case Op:
		return t.op(x)
	case nil:
		return expr{}, fail("missing value")
	}
	return expr{}, fail("unsupported element %T", n)
}

func (t *translator) op(o Op) (expr, error) {
	switch name := o.Name; {
	case name == "and" || name == "or":
		return t.logical(o)
	case name == "not":
		return t.not(o)
	case comparison[name]:
		return t.compare(o)
	case name == "like":
		return t.like(o)
	case name == "between":
		return t.between(o)
	case name == "in":
		return t.in(o)
	case name == "isnull":
		return t.isNull(o)
	case name == "casei" || name == "accenti":
		return t.fold(o)
	case spatialFuncs[name] != "":
		return t.spatial(o)
	case temporalDefs[name] != nil:
		return t.temporal(o)
	case arithOps[name]:
		return t.arith(o)
	}
	return expr{}, fail("unknown function or operator %s", strings.ToUpper(clip(o.Name)))
}

func (t *translator) arity(o Op, n int) error {
	if len(o.Args) != n {
		return fail("%s takes %d argument(s), got %d", strings.ToUpper(o.Name), n, len(o.Args))
	}
	return nil
}

// operands checks the arity of o and translates its arguments.
func (t *translator) operands(o Op, n int) ([]expr, error) {
	if err := t.arity(o, n); err != nil {
		return nil, err
	}
	out := make([]expr, n)
	for i, a := range o.Args {
		e, err := t.value(a)
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

func (t *translator) logical(o Op) (expr, error) {
	word := strings.ToUpper(o.Name)
	if len(o.Args) < 2 {
		return expr{}, fail("%s needs at least 2 conditions", word)
	}
	parts := make([]string, 0, len(o.Args))
	for _, a := range o.Args {
		e, err := t.value(a)
		if err != nil {
			return expr{}, err
		}
		s, err := t.boolean(e, "an operand of "+word)
		if err != nil {
			return expr{}, err
		}
		parts = append(parts, s)
	}
	return expr{sql: "(" + strings.Join(parts, " "+word+" ") + ")", t: TypeBoolean}, nil
}

func (t *translator) not(o Op) (expr, error) {
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
}

func (t *translator) isNull(o Op) (expr, error) {
	if err := t.arity(o, 1); err != nil {
		return expr{}, err
	}
	e, err := t.value(o.Args[0])
	if err != nil {
		return expr{}, err
	}
	s, err := t.emit(e, TypeUnknown)
	if err != nil {
		return expr{}, prefix("IS NULL", err)
	}
	return expr{sql: "(" + s + " IS NULL)", t: TypeBoolean}, nil
}

// boolean returns e as a condition.
func (t *translator) boolean(e expr, where string) (string, error) {
	if e.t != TypeBoolean {
		return "", fail("%s must be a condition, not %s", where, typeOrLit(e))
	}
	return t.emit(e, TypeBoolean)
}

// emit produces the SQL of e as a value of type want (TypeUnknown: its own
// type). A literal is sent as a parameter of that type; a date column that
// meets a timestamp is read as the instant its day starts in UTC, so that
// results never depend on the session's time zone.
func (t *translator) emit(e expr, want Type) (string, error) {
	if e.t == typeInterval {
		return "", fail("an INTERVAL is only allowed in the T_* functions")
	}
	if e.lit == nil {
		if e.t == TypeDate && want == TypeTimestamp {
			return utcInstant(e.sql), nil
		}
		return e.sql, nil
	}
	if want == TypeUnknown {
		want = e.t
	}
	switch x := e.lit.(type) {
	case Geometry, BBox:
		if want != TypeGeometry {
			return "", fail("a geometry cannot be used as a %s", want)
		}
		return t.geometry(x)
	case Bool:
		return t.emitBool(x, want)
	case String:
		return t.emitString(x, want)
	case Number:
		return t.emitNumber(x, want)
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

// utcInstant reads a date as the instant its day starts in UTC.
func utcInstant(dateSQL string) string {
	return "((" + dateSQL + ")::timestamp AT TIME ZONE 'UTC')"
}

func (t *translator) emitBool(x Bool, want Type) (string, error) {
	switch want {
	case TypeBoolean:
		return strconv.FormatBool(x.V), nil
	case TypeString:
		return t.a.Add(strconv.FormatBool(x.V)) + "::text", nil
	}
	return "", fail("%s cannot be used as a %s", describe(x), want)
}

func (t *translator) emitString(x String, want Type) (string, error) {
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
		if err != nil || f != f {
			return "", fail("'%s' is not a number", clip(x.V))
		}
		return t.a.Add(f) + "::float8", nil
	case TypeBoolean:
		b, err := strconv.ParseBool(strings.TrimSpace(x.V))
		if err != nil {
			return "", fail("'%s' is not a boolean", clip(x.V))
		}
		return strconv.FormatBool(b), nil
	case TypeDate, TypeTimestamp:
		n, err := temporalString(x)
		if err != nil {
			return "", err
		}
		return t.emit(expr{t: litType(n), lit: n}, want)
	}
	return "", fail("%s cannot be used as a %s", describe(x), want)
}

func (t *translator) emitNumber(x Number, want Type) (string, error) {
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
	return "", fail("%s cannot be used as a %s", describe(x), want)
}

// temporalString reads a character literal used as a date or a timestamp.
func temporalString(s String) (Node, error) {
	v := strings.TrimSpace(s.V)
	if d, err := parseDate(v); err == nil {
		return Date{V: d}, nil
	}
	ts, err := parseTimestamp(v)
	if err != nil {
		return nil, fail("'%s' is not a date (yyyy-mm-dd) or a timestamp (RFC 3339)", clip(s.V))
	}
	return Timestamp{V: ts}, nil
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
	case BBox:
		return "a BBOX"
	}
	return "the value"
}

func typeOrLit(e expr) string {
	if e.lit != nil {
		return describe(e.lit)
	}
	return "a " + e.t.String()
}
