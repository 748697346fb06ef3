package cql2

import (
	"strings"
	"time"
)

// The temporal functions compare the ends of two instants or intervals (an
// instant is an interval whose two ends are the same), per the definitions
// of CQL2 §6.4 (after Allen's interval algebra). An open end ('..') is
// -infinity or infinity. Only the ends a function compares are emitted, so
// every $n parameter of the statement is used and typed.
const (
	startA = iota
	endA
	startB
	endB
)

type tcond struct {
	l  int
	op string
	r  int
}

type tdef struct {
	or    bool // the conditions are alternatives (T_DISJOINT)
	conds []tcond
}

var temporalDefs = map[string]*tdef{
	"t_after":        {conds: []tcond{{startA, ">", endB}}},
	"t_before":       {conds: []tcond{{endA, "<", startB}}},
	"t_contains":     {conds: []tcond{{startA, "<", startB}, {endA, ">", endB}}},
	"t_disjoint":     {or: true, conds: []tcond{{endA, "<", startB}, {startA, ">", endB}}},
	"t_during":       {conds: []tcond{{startA, ">", startB}, {endA, "<", endB}}},
	"t_equals":       {conds: []tcond{{startA, "=", startB}, {endA, "=", endB}}},
	"t_finishedby":   {conds: []tcond{{startA, "<", startB}, {endA, "=", endB}}},
	"t_finishes":     {conds: []tcond{{startA, ">", startB}, {endA, "=", endB}}},
	"t_intersects":   {conds: []tcond{{startA, "<=", endB}, {endA, ">=", startB}}},
	"t_meets":        {conds: []tcond{{endA, "=", startB}}},
	"t_metby":        {conds: []tcond{{startA, "=", endB}}},
	"t_overlappedby": {conds: []tcond{{startA, ">", startB}, {startA, "<", endB}, {endA, ">", endB}}},
	"t_overlaps":     {conds: []tcond{{startA, "<", startB}, {endA, ">", startB}, {endA, "<", endB}}},
	"t_startedby":    {conds: []tcond{{startA, "=", startB}, {endA, ">", endB}}},
	"t_starts":       {conds: []tcond{{startA, "=", startB}, {endA, "<", endB}}},
}

// tEnd is one end of an instant or an interval, emitted on first use.
type tEnd struct {
	lit  Node   // Date or Timestamp literal
	col  string // SQL of a date or timestamp property
	t    Type   // TypeDate or TypeTimestamp; TypeUnknown for an open end
	open string // "-infinity" or "infinity" for an open end
	sql  string
}

func (t *translator) temporal(o Op) (expr, error) {
	if err := t.arity(o, 2); err != nil {
		return expr{}, err
	}
	name := strings.ToUpper(o.Name)
	var ends [4]*tEnd
	for i, a := range o.Args {
		s, e, err := t.temporalOperand(a, i+1, name)
		if err != nil {
			return expr{}, err
		}
		ends[2*i], ends[2*i+1] = s, e
	}
	as := TypeDate
	for _, e := range ends {
		if e.t == TypeTimestamp {
			as = TypeTimestamp // any timestamp: compare instants
		}
	}
	def := temporalDefs[o.Name]
	parts := make([]string, len(def.conds))
	for i, c := range def.conds {
		l, err := t.emitEnd(ends[c.l], as)
		if err != nil {
			return expr{}, prefix(name, err)
		}
		r, err := t.emitEnd(ends[c.r], as)
		if err != nil {
			return expr{}, prefix(name, err)
		}
		parts[i] = l + " " + c.op + " " + r
	}
	join := " AND "
	if def.or {
		join = " OR "
	}
	return expr{sql: "(" + strings.Join(parts, join) + ")", t: TypeBoolean}, nil
}

// temporalOperand returns the start and the end of an argument of a T_*
// function; an instant's two ends are the same.
func (t *translator) temporalOperand(n Node, pos int, fn string) (*tEnd, *tEnd, error) {
	if iv, ok := n.(Interval); ok {
		s, err := t.intervalEnd(iv.Start, "-infinity")
		if err != nil {
			return nil, nil, prefix(fn, err)
		}
		e, err := t.intervalEnd(iv.End, "infinity")
		if err != nil {
			return nil, nil, prefix(fn, err)
		}
		if s.lit != nil && e.lit != nil && timeOf(e.lit).Before(timeOf(s.lit)) {
			return nil, nil, fail("%s: the INTERVAL ends (%s) before it starts (%s)", fn, describe(e.lit), describe(s.lit))
		}
		return s, e, nil
	}
	e, what, err := t.instantEnd(n)
	if err != nil {
		return nil, nil, err
	}
	if e == nil {
		return nil, nil, fail("%s needs dates, timestamps or intervals, argument %d is %s", fn, pos, what)
	}
	return e, e, nil
}

func (t *translator) intervalEnd(n Node, open string) (*tEnd, error) {
	if n == nil {
		return &tEnd{open: open}, nil
	}
	e, what, err := t.instantEnd(n)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return nil, fail("an end of an INTERVAL must be a date, a timestamp, '..' or a property of those types, not %s", what)
	}
	return e, nil
}

// instantEnd reads a date or timestamp literal, a string spelling one, or a
// date or timestamp property. For anything else it returns no end and what
// the operand is instead.
func (t *translator) instantEnd(n Node) (*tEnd, string, error) {
	if s, ok := n.(String); ok {
		v, err := temporalString(s)
		if err != nil {
			return nil, describe(s), nil
		}
		n = v
	}
	switch x := n.(type) {
	case Date:
		return &tEnd{lit: x, t: TypeDate}, "", nil
	case Timestamp:
		return &tEnd{lit: x, t: TypeTimestamp}, "", nil
	case Interval:
		return nil, "an INTERVAL", nil
	}
	e, err := t.value(n)
	if err != nil {
		return nil, "", err
	}
	if e.lit != nil || !e.t.temporal() {
		return nil, typeOrLit(e), nil
	}
	return &tEnd{col: e.sql, t: e.t}, "", nil
}

// emitEnd emits an end as a date or an instant, once.
func (t *translator) emitEnd(e *tEnd, as Type) (string, error) {
	if e.sql != "" {
		return e.sql, nil
	}
	switch {
	case e.open != "" && as == TypeDate:
		e.sql = "'" + e.open + "'::date"
	case e.open != "":
		e.sql = "'" + e.open + "'::timestamptz"
	case e.lit != nil:
		s, err := t.emit(expr{t: e.t, lit: e.lit}, as)
		if err != nil {
			return "", err
		}
		e.sql = s
	default:
		s, err := t.emit(expr{sql: e.col, t: e.t}, as)
		if err != nil {
			return "", err
		}
		e.sql = s
	}
	return e.sql, nil
}

// timeOf is the time of a date or timestamp literal.
func timeOf(n Node) time.Time {
	switch x := n.(type) {
	case Date:
		return x.V
	case Timestamp:
		return x.V
	}
	return time.Time{}
}
