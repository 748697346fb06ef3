// Package cql2 parses OGC Common Query Language (CQL2) filters, in the text
// and the JSON encodings, into one small syntax tree, and translates that
// tree into a parameterised PostgreSQL/PostGIS WHERE clause.
//
// Both parsers are hand-written (recursive descent for the text encoding)
// and bounded: Limits caps the input length, the number of nodes, the
// nesting depth and the coordinates of geometry literals, so that a hostile
// filter costs little to reject. The translator never splices a value into
// SQL: values become $n parameters, and property names are resolved through
// a Schema that the caller builds from its own catalog.
package cql2

import (
	"fmt"
	"strconv"
	"time"

	"github.com/paulmach/orb"
)

// Node is an element of a parsed filter.
type Node interface{ node() }

// Op applies an operator or a function to its arguments. Name is lower
// case: and, or, not, =, <>, <, >, <=, >=, like, between, in, isnull,
// casei, accenti, s_intersects…, t_after…, +, -, *, /, %, div, ^, or the
// name of any other function (rejected by the translator).
type Op struct {
	Name string
	Args []Node
}

// Property names a queryable of the collection.
type Property struct{ Name string }

// String is a character literal.
type String struct{ V string }

// Number is a numeric literal; Int is set when it is a whole number that
// fits an int64 (Raw keeps the source spelling).
type Number struct {
	V   float64
	I   int64
	Int bool
	Raw string
}

// Bool is TRUE or FALSE.
type Bool struct{ V bool }

// Date is DATE('yyyy-mm-dd').
type Date struct{ V time.Time }

// Timestamp is TIMESTAMP('…Z').
type Timestamp struct{ V time.Time }

// Interval is INTERVAL(start, end); an open end is nil.
type Interval struct{ Start, End Node }

// Geometry is a WKT or GeoJSON literal, in the filter's CRS and axis order.
type Geometry struct{ G orb.Geometry }

// BBox is a BBOX literal as written: the lower corner, then the upper one,
// in the filter CRS's axis order. In a geographic CRS a first longitude
// above the second one is a box across the antimeridian, so the box is only
// turned into a geometry when the CRS is known (by the translator).
type BBox struct{ Min, Max [2]float64 }

// List is the list of an IN predicate (or an array literal).
type List struct{ Items []Node }

func (Op) node()        {}
func (Property) node()  {}
func (String) node()    {}
func (Number) node()    {}
func (Bool) node()      {}
func (Date) node()      {}
func (Timestamp) node() {}
func (Interval) node()  {}
func (Geometry) node()  {}
func (BBox) node()      {}
func (List) node()      {}

// Limits bound the cost of a filter. Zero fields take the defaults.
type Limits struct {
	MaxLength int // bytes of the filter text
	MaxNodes  int // nodes of the tree
	MaxDepth  int // nesting of operators and parentheses
	MaxCoords int // coordinates of all geometry literals together
	MaxList   int // items of one IN list
}

// DefaultLimits are generous for people and tools, small for an attacker.
var DefaultLimits = Limits{MaxLength: 64 << 10, MaxNodes: 2000, MaxDepth: 40, MaxCoords: 20000, MaxList: 1000}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxLength > 0 {
		d.MaxLength = l.MaxLength
	}
	if l.MaxNodes > 0 {
		d.MaxNodes = l.MaxNodes
	}
	if l.MaxDepth > 0 {
		d.MaxDepth = l.MaxDepth
	}
	if l.MaxCoords > 0 {
		d.MaxCoords = l.MaxCoords
	}
	if l.MaxList > 0 {
		d.MaxList = l.MaxList
	}
	return d
}

// Error is a filter that cannot be parsed or translated. Pos is the byte
// offset in the text encoding (-1 when unknown, as for JSON).
type Error struct {
	Pos int
	Msg string
}

func (e *Error) Error() string {
	if e.Pos >= 0 {
		return "at position " + strconv.Itoa(e.Pos+1) + ": " + e.Msg
	}
	return e.Msg
}

func errAt(pos int, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// budget counts nodes, depth and coordinates against the limits while parsing.
type budget struct {
	lim    Limits
	nodes  int
	coords int
}

func (b *budget) node(pos int) error {
	b.nodes++
	if b.nodes > b.lim.MaxNodes {
		return errAt(pos, "the filter is too complex: more than %d elements", b.lim.MaxNodes)
	}
	return nil
}

func (b *budget) depth(pos, d int) error {
	if d > b.lim.MaxDepth {
		return errAt(pos, "the filter is nested too deeply: more than %d levels", b.lim.MaxDepth)
	}
	return nil
}

func (b *budget) coord(pos int) error {
	b.coords++
	if b.coords > b.lim.MaxCoords {
		return errAt(pos, "the geometry literals are too large: more than %d coordinates", b.lim.MaxCoords)
	}
	return nil
}

// parseInstant reads the date or timestamp of a DATE/TIMESTAMP literal.
func parseDate(s string) (time.Time, error) {
	return time.Parse("2006-01-02", s)
}

func parseTimestamp(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an RFC 3339 timestamp (e.g. 2024-05-01T12:00:00Z)", s)
}

// number builds a Number from its spelling.
func number(raw string) (Number, error) {
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return Number{}, fmt.Errorf("%q is not a number", raw)
	}
	n := Number{V: f, Raw: raw}
	if i, err := strconv.ParseInt(raw, 10, 64); err == nil {
		n.I, n.Int = i, true
	}
	return n, nil
}
