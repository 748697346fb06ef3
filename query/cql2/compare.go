package cql2

import (
	"strconv"
	"strings"
	"time"
)

var comparison = map[string]bool{"=": true, "<>": true, "<": true, ">": true, "<=": true, ">=": true}

func compatible(a, b Type) bool {
	return a == b || (a.numeric() && b.numeric()) || (a.temporal() && b.temporal())
}

// common is the type two operands are compared as: a literal takes the type
// of the column or expression it meets; numbers of mixed kinds compare as
// doubles and dates meeting timestamps as instants.
func (t *translator) common(l, r expr, what string) (Type, error) {
	switch {
	case l.lit == nil && r.lit == nil && !compatible(l.t, r.t):
		return 0, fail("%s: cannot compare a %s with a %s", what, l.t, r.t)
	case l.lit != nil && r.lit == nil:
		return settle(r.t, l), nil
	case r.lit != nil && l.lit == nil:
		return settle(l.t, r), nil
	}
	if l.t != r.t && l.t.numeric() && r.t.numeric() {
		return TypeDouble, nil
	}
	if l.t != r.t && l.t.temporal() && r.t.temporal() {
		return TypeTimestamp, nil
	}
	return l.t, nil
}

// settle is the type a literal is compared as when it meets a value of
// type col: a timestamp (or a timestamp-like string) meeting a date column
// promotes the comparison to instants.
func settle(col Type, lit expr) Type {
	if col != TypeDate {
		return col
	}
	switch x := lit.lit.(type) {
	case Timestamp:
		return TypeTimestamp
	case String:
		if n, err := temporalString(x); err == nil && litType(n) == TypeTimestamp {
			return TypeTimestamp
		}
	}
	return col
}

// pair translates two operands to their common type.
func (t *translator) pair(a, b Node, what string) (string, string, Type, error) {
	l, err := t.value(a)
	if err != nil {
		return "", "", 0, err
	}
	r, err := t.value(b)
	if err != nil {
		return "", "", 0, err
	}
	if l.t == typeInterval || r.t == typeInterval {
		return "", "", 0, fail("%s: an INTERVAL is only allowed in the T_* functions", what)
	}
	want, err := t.common(l, r, what)
	if err != nil {
		return "", "", 0, err
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

// ordered marks text for an ordering comparison: CQL2 orders strings by
// code point, which is the byte order of UTF-8, whatever the database's
// collation.
func ordered(sql string, typ Type) string {
	if typ == TypeString {
		return sql + ` COLLATE "C"`
	}
	return sql
}

func (t *translator) compare(o Op) (expr, error) {
	if err := t.arity(o, 2); err != nil {
		return expr{}, err
	}
	l, r, typ, err := t.pair(o.Args[0], o.Args[1], "comparison "+o.Name)
	if err != nil {
		return expr{}, err
	}
	if typ == TypeGeometry {
		return expr{}, fail("comparison %s: use the S_* functions to compare geometries", o.Name)
	}
	if o.Name != "=" && o.Name != "<>" {
		l = ordered(l, typ)
	}
	return expr{sql: "(" + l + " " + o.Name + " " + r + ")", t: TypeBoolean}, nil
}

func (t *translator) between(o Op) (expr, error) {
	if err := t.arity(o, 3); err != nil {
		return expr{}, err
	}
	v, lo, typ, err := t.pair(o.Args[0], o.Args[1], "BETWEEN")
	if err != nil {
		return expr{}, err
	}
	if typ == TypeGeometry {
		return expr{}, fail("BETWEEN needs numbers, text or dates, not geometries")
	}
	hiE, err := t.value(o.Args[2])
	if err != nil {
		return expr{}, err
	}
	if hiE.lit == nil && !compatible(hiE.t, typ) {
		return expr{}, fail("BETWEEN: cannot compare a %s with a %s", typ, hiE.t)
	}
	if hiE.lit == nil && hiE.t != typ && typ.temporal() {
		typ = TypeTimestamp // a date between timestamps, or the reverse: compare instants
	}
	hi, err := t.emit(hiE, typ)
	if err != nil {
		return expr{}, prefix("BETWEEN", err)
	}
	return expr{sql: "(" + ordered(v, typ) + " BETWEEN " + lo + " AND " + hi + ")", t: TypeBoolean}, nil
}

func (t *translator) like(o Op) (expr, error) {
	sides, err := t.operands(o, 2)
	if err != nil {
		return expr{}, err
	}
	for _, e := range sides {
		if e.lit == nil && e.t != TypeString {
			return expr{}, fail("LIKE compares text, not %s", typeOrLit(e))
		}
	}
	if p, ok := sides[1].lit.(String); ok && endsWithEscape(p.V) {
		return expr{}, fail("LIKE: the pattern '%s' ends with the escape character \\", clip(p.V))
	}
	var sql [2]string
	for i, e := range sides {
		s, err := t.emit(e, TypeString)
		if err != nil {
			return expr{}, prefix("LIKE", err)
		}
		sql[i] = s
	}
	if sides[1].lit == nil {
		// A pattern read from the data may end with a lone backslash, which
		// PostgreSQL refuses: match it literally.
		sql[1] = "regexp_replace(" + sql[1] + `, '(^|[^\\])((\\\\)*)\\$', '\1\2\\\\')`
	}
	return expr{sql: "(" + sql[0] + " LIKE " + sql[1] + ")", t: TypeBoolean}, nil
}

// endsWithEscape reports a LIKE pattern whose last backslash escapes nothing.
func endsWithEscape(p string) bool {
	n := 0
	for i := len(p) - 1; i >= 0 && p[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
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
	items := make([]expr, len(list.Items))
	allLit := true
	for i, it := range list.Items {
		if items[i], err = t.value(it); err != nil {
			return expr{}, err
		}
		allLit = allLit && items[i].lit != nil
	}
	want, err := t.inType(v, items)
	if err != nil {
		return expr{}, err
	}
	vs, err := t.emit(v, want)
	if err != nil {
		return expr{}, prefix("IN", err)
	}
	if allLit {
		// One array parameter keeps the statement text independent of the list size.
		vals, cast, err := arrayValues(items, want)
		if err != nil {
			return expr{}, prefix("IN", err)
		}
		return expr{sql: "(" + vs + " = ANY(" + t.a.Add(vals) + "::" + cast + "))", t: TypeBoolean}, nil
	}
	parts := make([]string, 0, len(items))
	for _, e := range items {
		s, err := t.emit(e, want)
		if err != nil {
			return expr{}, prefix("IN", err)
		}
		parts = append(parts, s)
	}
	return expr{sql: "(" + vs + " IN (" + strings.Join(parts, ", ") + "))", t: TypeBoolean}, nil
}

// inType is the type the value and the items of an IN list are compared as.
func (t *translator) inType(v expr, items []expr) (Type, error) {
	want := v.t
	if v.lit != nil {
		// A literal on the left takes the type of the first expression in the list.
		for _, e := range items {
			if e.lit == nil {
				want = e.t
				break
			}
		}
	}
	for _, e := range items {
		switch {
		case e.t == typeInterval:
			return 0, fail("IN: an INTERVAL is only allowed in the T_* functions")
		case e.lit == nil && !compatible(e.t, want):
			return 0, fail("IN: cannot compare a %s with a %s", want, e.t)
		case e.lit == nil && e.t != want && want.numeric():
			want = TypeDouble
		case e.lit == nil && e.t != want && want.temporal():
			want = TypeTimestamp
		case e.lit != nil && want == TypeDate && settle(TypeDate, e) == TypeTimestamp:
			want = TypeTimestamp
		}
	}
	switch want {
	case TypeGeometry, typeInterval, TypeUnknown:
		return 0, fail("IN does not apply to %s values", want)
	}
	return want, nil
}

// arrayValues converts IN literals into one typed Go slice for an = ANY($n).
func arrayValues(items []expr, want Type) (any, string, error) {
	switch want {
	case TypeString:
		out := make([]string, len(items))
		for i, e := range items {
			switch x := e.lit.(type) {
			case String:
				out[i] = x.V
			case Number:
				out[i] = x.Raw
			default:
				return nil, "", fail("%s is not text", describe(e.lit))
			}
		}
		return out, "text[]", nil
	case TypeInteger, TypeDouble:
		return numberArray(items, want)
	case TypeBoolean:
		out := make([]bool, len(items))
		for i, e := range items {
			b, ok := boolOf(e.lit)
			if !ok {
				return nil, "", fail("%s is not a boolean", describe(e.lit))
			}
			out[i] = b
		}
		return out, "boolean[]", nil
	case TypeDate, TypeTimestamp:
		return timeArray(items, want)
	}
	return nil, "", fail("IN does not apply to %s values", want)
}

func numberArray(items []expr, want Type) (any, string, error) {
	ints := make([]int64, 0, len(items))
	floats := make([]float64, 0, len(items))
	for _, e := range items {
		var n Number
		switch x := e.lit.(type) {
		case Number:
			n = x
		case String:
			var err error
			if n, err = number(strings.TrimSpace(x.V)); err != nil {
				return nil, "", fail("'%s' is not a number", clip(x.V))
			}
		default:
			return nil, "", fail("%s is not a number", describe(e.lit))
		}
		if n.Int {
			ints = append(ints, n.I)
		}
		floats = append(floats, n.V)
	}
	if want == TypeInteger && len(ints) == len(items) {
		return ints, "bigint[]", nil
	}
	return floats, "float8[]", nil
}

// boolOf reads a boolean literal, or a string spelling one as emitString does.
func boolOf(n Node) (bool, bool) {
	switch x := n.(type) {
	case Bool:
		return x.V, true
	case String:
		b, err := strconv.ParseBool(strings.TrimSpace(x.V))
		return b, err == nil
	}
	return false, false
}

// timeArray reads dates (as date[] for a date column) or instants.
func timeArray(items []expr, want Type) (any, string, error) {
	out := make([]time.Time, len(items))
	for i, e := range items {
		n := e.lit
		if s, ok := n.(String); ok {
			var err error
			if n, err = temporalString(s); err != nil {
				return nil, "", err
			}
		}
		switch x := n.(type) {
		case Date:
			out[i] = x.V
		case Timestamp:
			if want == TypeDate {
				return nil, "", fail("%s is not a date", describe(x))
			}
			out[i] = x.V
		default:
			return nil, "", fail("%s is not a %s", describe(e.lit), want)
		}
	}
	if want == TypeDate {
		return out, "date[]", nil
	}
	return out, "timestamptz[]", nil
}
