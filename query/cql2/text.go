package cql2

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// ParseText parses a filter in the CQL2 text encoding.
func ParseText(src string, lim Limits) (Node, error) {
	lim = lim.withDefaults()
	if len(src) > lim.MaxLength {
		return nil, errAt(-1, "the filter is too long: %d bytes, at most %d", len(src), lim.MaxLength)
	}
	if strings.TrimSpace(src) == "" {
		return nil, errAt(-1, "the filter is empty")
	}
	if !utf8.ValidString(src) || strings.ContainsRune(src, 0) {
		return nil, errAt(-1, "the filter is not valid UTF-8 text")
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, b: budget{lim: lim}}
	n, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, errAt(t.pos, "unexpected %s after a complete expression", t.describe())
	}
	return n, nil
}

type parser struct {
	toks  []token
	i     int
	depth int
	b     budget
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) peekN(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}
func (p *parser) next() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

// kw reports whether the next token is the keyword (case-insensitive).
func (p *parser) kw(word string) bool {
	t := p.peek()
	return t.kind == tIdent && strings.EqualFold(t.text, word)
}

func (p *parser) accept(word string) bool {
	if p.kw(word) {
		p.next()
		return true
	}
	return false
}

func (p *parser) expect(k tokKind, what string) (token, error) {
	t := p.next()
	if t.kind != k {
		return t, errAt(t.pos, "expected %s, found %s", what, t.describe())
	}
	return t, nil
}

func (p *parser) enter(pos int) error {
	p.depth++
	return p.b.depth(pos, p.depth)
}
func (p *parser) leave() { p.depth-- }

func (p *parser) op(pos int, name string, args ...Node) (Node, error) {
	if err := p.b.node(pos); err != nil {
		return nil, err
	}
	return Op{Name: name, Args: args}, nil
}

func (p *parser) expr() (Node, error) { return p.chain("or", p.and) }

func (p *parser) and() (Node, error) { return p.chain("and", p.not) }

// chain reads operands joined by the keyword kw (or, and), each read by
// operand: one operand is itself, more are one n-ary operation.
func (p *parser) chain(kw string, operand func() (Node, error)) (Node, error) {
	pos := p.peek().pos
	first, err := operand()
	if err != nil {
		return nil, err
	}
	if !p.kw(kw) {
		return first, nil
	}
	args := []Node{first}
	for p.accept(kw) {
		n, err := operand()
		if err != nil {
			return nil, err
		}
		args = append(args, n)
	}
	return p.op(pos, kw, args...)
}

func (p *parser) not() (Node, error) {
	t := p.peek()
	if p.accept("not") {
		if err := p.enter(t.pos); err != nil {
			return nil, err
		}
		defer p.leave()
		n, err := p.not()
		if err != nil {
			return nil, err
		}
		return p.op(t.pos, "not", n)
	}
	return p.predicate()
}

var compOps = map[string]bool{"=": true, "<>": true, "<": true, ">": true, "<=": true, ">=": true}

func (p *parser) predicate() (Node, error) {
	left, err := p.arith()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind == tOp && compOps[t.text] {
		p.next()
		right, err := p.arith()
		if err != nil {
			return nil, err
		}
		return p.op(t.pos, t.text, left, right)
	}
	negate := false
	if p.kw("not") {
		nt := p.peekN(1)
		if nt.kind == tIdent && (strings.EqualFold(nt.text, "like") || strings.EqualFold(nt.text, "between") || strings.EqualFold(nt.text, "in")) {
			p.next()
			negate = true
			t = p.peek()
		}
	}
	var n Node
	switch {
	case p.accept("like"):
		n, err = p.like(t.pos, left)
	case p.accept("between"):
		n, err = p.between(t.pos, left)
	case p.accept("in"):
		n, err = p.in(t.pos, left)
	case !negate && p.accept("is"):
		return p.isNull(t.pos, left)
	default:
		return left, nil
	}
	if err != nil || !negate {
		return n, err
	}
	return p.op(t.pos, "not", n)
}

func (p *parser) like(pos int, left Node) (Node, error) {
	pat, err := p.arith()
	if err != nil {
		return nil, err
	}
	return p.op(pos, "like", left, pat)
}

func (p *parser) between(pos int, left Node) (Node, error) {
	lo, err := p.arith()
	if err != nil {
		return nil, err
	}
	if !p.accept("and") {
		nt := p.peek()
		return nil, errAt(nt.pos, "expected AND in BETWEEN … AND …, found %s", nt.describe())
	}
	hi, err := p.arith()
	if err != nil {
		return nil, err
	}
	return p.op(pos, "between", left, lo, hi)
}

func (p *parser) in(pos int, left Node) (Node, error) {
	lp, err := p.expect(tLParen, "'(' after IN")
	if err != nil {
		return nil, err
	}
	items, err := p.args(lp.pos)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, errAt(lp.pos, "IN needs at least one value")
	}
	if len(items) > p.b.lim.MaxList {
		return nil, errAt(lp.pos, "IN list too long: %d values, at most %d", len(items), p.b.lim.MaxList)
	}
	return p.op(pos, "in", left, List{Items: items})
}

// isNull reads the rest of IS [NOT] NULL.
func (p *parser) isNull(pos int, left Node) (Node, error) {
	neg := p.accept("not")
	if !p.accept("null") {
		nt := p.peek()
		return nil, errAt(nt.pos, "expected NULL after IS, found %s", nt.describe())
	}
	n, err := p.op(pos, "isnull", left)
	if err != nil || !neg {
		return n, err
	}
	return p.op(pos, "not", n)
}

func (p *parser) arith() (Node, error) {
	left, err := p.term()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tOp || (t.text != "+" && t.text != "-") {
			return left, nil
		}
		p.next()
		right, err := p.term()
		if err != nil {
			return nil, err
		}
		if left, err = p.op(t.pos, t.text, left, right); err != nil {
			return nil, err
		}
	}
}

func (p *parser) term() (Node, error) {
	left, err := p.power()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		name := ""
		switch {
		case t.kind == tOp && (t.text == "*" || t.text == "/" || t.text == "%"):
			name = t.text
		case p.kw("div"):
			name = "div"
		default:
			return left, nil
		}
		p.next()
		right, err := p.power()
		if err != nil {
			return nil, err
		}
		if left, err = p.op(t.pos, name, left, right); err != nil {
			return nil, err
		}
	}
}

func (p *parser) power() (Node, error) {
	base, err := p.unary()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind == tOp && t.text == "^" {
		p.next()
		if err := p.enter(t.pos); err != nil {
			return nil, err
		}
		defer p.leave()
		exp, err := p.power()
		if err != nil {
			return nil, err
		}
		return p.op(t.pos, "^", base, exp)
	}
	return base, nil
}

func (p *parser) unary() (Node, error) {
	t := p.peek()
	if t.kind == tOp && (t.text == "-" || t.text == "+") {
		p.next()
		if nt := p.peek(); nt.kind == tNumber {
			p.next()
			raw := nt.text
			if t.text == "-" {
				raw = "-" + raw
			}
			n, err := number(raw)
			if err != nil {
				return nil, errAt(nt.pos, "%v", err)
			}
			return n, p.b.node(nt.pos)
		}
		if err := p.enter(t.pos); err != nil {
			return nil, err
		}
		defer p.leave()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		if t.text == "+" {
			return x, nil
		}
		return p.op(t.pos, "*", Number{V: -1, I: -1, Int: true, Raw: "-1"}, x)
	}
	return p.primary()
}

var wktTypes = map[string]bool{"point": true, "linestring": true, "polygon": true, "multipoint": true,
	"multilinestring": true, "multipolygon": true, "geometrycollection": true}

func (p *parser) primary() (Node, error) {
	t := p.peek()
	if err := p.b.node(t.pos); err != nil {
		return nil, err
	}
	switch t.kind {
	case tNumber:
		p.next()
		n, err := number(t.text)
		if err != nil {
			return nil, errAt(t.pos, "%v", err)
		}
		return n, nil
	case tString:
		p.next()
		return String{V: t.text}, nil
	case tQuoted:
		p.next()
		return Property{Name: t.text}, nil
	case tLParen:
		p.next()
		if err := p.enter(t.pos); err != nil {
			return nil, err
		}
		defer p.leave()
		n, err := p.expr()
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tRParen, "')'"); err != nil {
			return nil, err
		}
		return n, nil
	case tIdent:
		// handled below
	default:
		return nil, errAt(t.pos, "expected a value, a property or a function, found %s", t.describe())
	}
	low := strings.ToLower(t.text)
	call := p.peekN(1).kind == tLParen
	switch low {
	case "true", "false":
		p.next()
		return Bool{V: low == "true"}, nil
	case "and", "or", "not", "like", "between", "in", "is", "null", "div":
		return nil, errAt(t.pos, "unexpected keyword %s", strings.ToUpper(low))
	}
	if wktTypes[low] && (call || p.dimensionFollows()) {
		p.next()
		g, err := p.wkt(low, t.pos)
		if err != nil {
			return nil, err
		}
		return Geometry{G: g}, nil
	}
	if !call {
		p.next()
		return Property{Name: t.text}, nil
	}
	return p.call(t, low)
}

// call reads a function call whose name (t, lower-cased low) is next: the
// literal constructors DATE, TIMESTAMP, INTERVAL and BBOX, or a function.
func (p *parser) call(t token, low string) (Node, error) {
	p.next()
	lp := p.next()
	if err := p.enter(lp.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	switch low {
	case "date", "timestamp":
		s, err := p.expect(tString, "a quoted "+low+" in "+strings.ToUpper(low)+"(…)")
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tRParen, "')'"); err != nil {
			return nil, err
		}
		return instant(low, s.text, s.pos)
	case "interval":
		return p.interval()
	case "bbox", "envelope":
		return p.bbox(t.pos)
	}
	args, err := p.args(lp.pos)
	if err != nil {
		return nil, err
	}
	return Op{Name: low, Args: args}, nil
}

// interval reads the ends of INTERVAL(…) after its '('.
func (p *parser) interval() (Node, error) {
	a, err := p.intervalEnd()
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tComma, "',' between the ends of INTERVAL"); err != nil {
		return nil, err
	}
	b, err := p.intervalEnd()
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tRParen, "')'"); err != nil {
		return nil, err
	}
	return Interval{Start: a, End: b}, nil
}

// bbox reads the numbers of BBOX(…) after its '('.
func (p *parser) bbox(pos int) (Node, error) {
	var nums []float64
	for {
		f, err := p.coordNumber()
		if err != nil {
			return nil, err
		}
		if nums = append(nums, f); len(nums) > 6 {
			return nil, errAt(pos, "a BBOX needs 4 or 6 numbers")
		}
		if !p.listNext() {
			break
		}
	}
	if _, err := p.expect(tRParen, "')'"); err != nil {
		return nil, err
	}
	b, err := bbox(nums)
	if err != nil {
		return nil, errAt(pos, "%s", err.(*Error).Msg)
	}
	return b, nil
}

// args reads a comma-separated list up to ')' (the '(' is consumed).
func (p *parser) args(pos int) ([]Node, error) {
	var out []Node
	if p.peek().kind == tRParen {
		p.next()
		return out, nil
	}
	for {
		n, err := p.expr()
		if err != nil {
			return nil, err
		}
		out = append(out, n)
		t := p.next()
		switch t.kind {
		case tComma:
			continue
		case tRParen:
			return out, nil
		default:
			return nil, errAt(t.pos, "expected ',' or ')' in the list opened at position %d, found %s", pos+1, t.describe())
		}
	}
}

func (p *parser) intervalEnd() (Node, error) {
	t := p.peek()
	switch {
	case t.kind == tString:
		p.next()
		if t.text == ".." {
			return nil, nil
		}
		if len(t.text) == 10 {
			return instant("date", t.text, t.pos)
		}
		return instant("timestamp", t.text, t.pos)
	case t.kind == tIdent && (strings.EqualFold(t.text, "date") || strings.EqualFold(t.text, "timestamp")) && p.peekN(1).kind == tLParen:
		return p.primary()
	case t.kind == tIdent || t.kind == tQuoted:
		p.next()
		return Property{Name: t.text}, nil
	}
	return nil, errAt(t.pos, "expected a date, a timestamp, '..' or a property as an end of INTERVAL, found %s", t.describe())
}

func instant(kind, s string, pos int) (Node, error) {
	if kind == "date" {
		d, err := parseDate(s)
		if err != nil {
			return nil, errAt(pos, "%q is not a date (yyyy-mm-dd)", s)
		}
		return Date{V: d}, nil
	}
	ts, err := parseTimestamp(s)
	if err != nil {
		return nil, errAt(pos, "%v", err)
	}
	return Timestamp{V: ts}, nil
}

// dimensionFollows reports "POINT Z (" and friends.
func (p *parser) dimensionFollows() bool {
	d := p.peekN(1)
	if d.kind != tIdent {
		return false
	}
	switch strings.ToLower(d.text) {
	case "z", "m", "zm":
		return p.peekN(2).kind == tLParen
	}
	return false
}

// wkt reads the body of a WKT geometry whose type keyword was consumed.
func (p *parser) wkt(kind string, pos int) (orb.Geometry, error) {
	if t := p.peek(); t.kind == tIdent {
		switch strings.ToLower(t.text) {
		case "z", "m", "zm":
			p.next()
		}
	}
	if err := p.enter(pos); err != nil {
		return nil, err
	}
	defer p.leave()
	if _, err := p.expect(tLParen, "'(' after "+strings.ToUpper(kind)); err != nil {
		return nil, err
	}
	switch kind {
	case "point":
		pt, err := p.coord()
		if err != nil {
			return nil, err
		}
		_, err = p.expect(tRParen, "')'")
		return pt, err
	case "linestring":
		ls, err := p.coordsTail()
		if err != nil {
			return nil, err
		}
		if len(ls) < 2 {
			return nil, errAt(pos, "a LINESTRING needs at least 2 points")
		}
		return orb.LineString(ls), nil
	case "polygon":
		return p.polygonTail(pos)
	case "multipoint":
		return p.multiPoint()
	case "multilinestring":
		return p.multiLineString()
	case "multipolygon":
		return p.multiPolygon(pos)
	default: // geometrycollection
		return p.collection()
	}
}

// each reads the items of a comma-separated list up to its ')'.
func (p *parser) each(item func() error) error {
	for {
		if err := item(); err != nil {
			return err
		}
		if !p.listNext() {
			break
		}
	}
	_, err := p.expect(tRParen, "')'")
	return err
}

// multiPoint reads "x y, (x y), …)": the points with or without parentheses.
func (p *parser) multiPoint() (orb.Geometry, error) {
	var mp orb.MultiPoint
	err := p.each(func() error {
		paren := p.peek().kind == tLParen
		if paren {
			p.next()
		}
		pt, err := p.coord()
		if err != nil {
			return err
		}
		mp = append(mp, pt)
		if paren {
			_, err = p.expect(tRParen, "')'")
		}
		return err
	})
	return mp, err
}

func (p *parser) multiLineString() (orb.Geometry, error) {
	var ml orb.MultiLineString
	err := p.each(func() error {
		if _, err := p.expect(tLParen, "'('"); err != nil {
			return err
		}
		ls, err := p.coordsTail()
		if err == nil && len(ls) < 2 {
			err = errAt(p.peek().pos, "a line of a MULTILINESTRING needs at least 2 points")
		}
		ml = append(ml, orb.LineString(ls))
		return err
	})
	return ml, err
}

func (p *parser) multiPolygon(pos int) (orb.Geometry, error) {
	var mp orb.MultiPolygon
	err := p.each(func() error {
		if _, err := p.expect(tLParen, "'('"); err != nil {
			return err
		}
		poly, err := p.polygonTail(pos)
		if err == nil {
			mp = append(mp, poly.(orb.Polygon))
		}
		return err
	})
	return mp, err
}

func (p *parser) collection() (orb.Geometry, error) {
	var c orb.Collection
	err := p.each(func() error {
		t := p.next()
		low := strings.ToLower(t.text)
		if t.kind != tIdent || !wktTypes[low] {
			return errAt(t.pos, "expected a WKT geometry in GEOMETRYCOLLECTION, found %s", t.describe())
		}
		g, err := p.wkt(low, t.pos)
		c = append(c, g)
		return err
	})
	return c, err
}

func (p *parser) listNext() bool {
	if p.peek().kind == tComma {
		p.next()
		return true
	}
	return false
}

// polygonTail reads "(ring), (ring))" after the polygon's '('.
func (p *parser) polygonTail(pos int) (orb.Geometry, error) {
	var poly orb.Polygon
	err := p.each(func() error {
		if _, err := p.expect(tLParen, "'(' opening a ring"); err != nil {
			return err
		}
		ring, err := p.coordsTail()
		if err != nil {
			return err
		}
		if len(ring) < 4 || ring[0] != ring[len(ring)-1] {
			return errAt(pos, "a polygon ring needs at least 4 points, the last equal to the first")
		}
		poly = append(poly, orb.Ring(ring))
		return nil
	})
	return poly, err
}

// coordsTail reads "x y, x y, …)" (the '(' is consumed).
func (p *parser) coordsTail() ([]orb.Point, error) {
	var pts []orb.Point
	err := p.each(func() error {
		pt, err := p.coord()
		pts = append(pts, pt)
		return err
	})
	return pts, err
}

// coord reads "x y" or "x y z" (z is dropped).
func (p *parser) coord() (orb.Point, error) {
	pos := p.peek().pos
	if err := p.b.coord(pos); err != nil {
		return orb.Point{}, err
	}
	x, err := p.coordNumber()
	if err != nil {
		return orb.Point{}, err
	}
	y, err := p.coordNumber()
	if err != nil {
		return orb.Point{}, err
	}
	if t := p.peek(); t.kind == tNumber || (t.kind == tOp && t.text == "-") {
		if _, err := p.coordNumber(); err != nil {
			return orb.Point{}, err
		}
	}
	return orb.Point{x, y}, nil
}

func (p *parser) coordNumber() (float64, error) {
	t := p.next()
	sign := ""
	if t.kind == tOp && (t.text == "-" || t.text == "+") {
		sign = t.text
		t = p.next()
	}
	if t.kind != tNumber {
		return 0, errAt(t.pos, "expected a coordinate, found %s", t.describe())
	}
	n, err := number(sign + t.text)
	if err != nil {
		return 0, errAt(t.pos, "%v", err)
	}
	return n.V, nil
}

// bbox reads the 4 (2D) or 6 (3D) numbers of a BBOX; the heights are dropped.
func bbox(nums []float64) (BBox, error) {
	switch len(nums) {
	case 4:
		return BBox{Min: [2]float64{nums[0], nums[1]}, Max: [2]float64{nums[2], nums[3]}}, nil
	case 6:
		return BBox{Min: [2]float64{nums[0], nums[1]}, Max: [2]float64{nums[3], nums[4]}}, nil
	}
	return BBox{}, &Error{Pos: -1, Msg: fmt.Sprintf("a BBOX needs 4 or 6 numbers, got %d", len(nums))}
}
