package cql2

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// ParseJSON parses a filter in the CQL2 JSON encoding.
func ParseJSON(src []byte, lim Limits) (Node, error) {
	lim = lim.withDefaults()
	if len(src) > lim.MaxLength {
		return nil, errAt(-1, "the filter is too long: %d bytes, at most %d", len(src), lim.MaxLength)
	}
	if !utf8.Valid(src) || bytes.IndexByte(src, 0) >= 0 {
		return nil, errAt(-1, "the filter is not valid UTF-8 text")
	}
	// encoding/json recurses once per nesting level: refuse deep input
	// before it does, counting brackets outside strings.
	if d := jsonDepth(src); d > 4*lim.MaxDepth+8 {
		return nil, errAt(-1, "the filter is nested too deeply: more than %d levels", lim.MaxDepth)
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errAt(-1, "the filter is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errAt(-1, "the filter has data after its JSON value")
	}
	c := &jconv{b: budget{lim: lim}}
	return c.expr(v, 0, "filter")
}

func jsonDepth(src []byte) int {
	depth, max := 0, 0
	inStr, esc := false, false
	for _, c := range src {
		switch {
		case esc:
			esc = false
		case inStr && c == '\\':
			esc = true
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '[' || c == '{':
			depth++
			if depth > max {
				max = depth
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return max
}

type jconv struct{ b budget }

func jerr(path, format string, args ...any) *Error {
	return &Error{Pos: -1, Msg: path + ": " + fmt.Sprintf(format, args...)}
}

func (c *jconv) expr(v any, depth int, path string) (Node, error) {
	if err := c.b.node(-1); err != nil {
		return nil, err
	}
	if err := c.b.depth(-1, depth); err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case nil:
		return nil, jerr(path, "null is not a CQL2 value")
	case bool:
		return Bool{V: x}, nil
	case string:
		if strings.IndexByte(x, 0) >= 0 {
			// Decoded from \u0000: PostgreSQL text cannot hold it.
			return nil, jerr(path, "a string cannot contain the NUL character")
		}
		return String{V: x}, nil
	case json.Number:
		n, err := number(x.String())
		if err != nil {
			return nil, jerr(path, "%v", err)
		}
		return n, nil
	case []any:
		if len(x) > c.b.lim.MaxList {
			return nil, jerr(path, "array too long: %d values, at most %d", len(x), c.b.lim.MaxList)
		}
		items := make([]Node, 0, len(x))
		for i, it := range x {
			n, err := c.expr(it, depth+1, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			items = append(items, n)
		}
		return List{Items: items}, nil
	case map[string]any:
		return c.object(x, depth, path)
	}
	return nil, jerr(path, "unexpected JSON value")
}

func (c *jconv) object(m map[string]any, depth int, path string) (Node, error) {
	if op, ok := m["op"]; ok {
		name, ok := op.(string)
		if !ok || name == "" {
			return nil, jerr(path, `"op" must be a non-empty string`)
		}
		rawArgs, ok := m["args"].([]any)
		if !ok {
			if _, present := m["args"]; present {
				return nil, jerr(path, `"args" of %q must be an array`, name)
			}
			rawArgs = nil
		}
		return c.op(strings.ToLower(name), rawArgs, depth, path)
	}
	if fn, ok := m["function"].(map[string]any); ok { // earlier drafts
		name, _ := fn["name"].(string)
		if name == "" {
			return nil, jerr(path, `"function" needs a "name"`)
		}
		rawArgs, _ := fn["args"].([]any)
		return c.op(strings.ToLower(name), rawArgs, depth, path)
	}
	if p, ok := m["property"]; ok {
		name, ok := p.(string)
		if !ok || name == "" || strings.IndexByte(name, 0) >= 0 {
			return nil, jerr(path, `"property" must be a non-empty string`)
		}
		return Property{Name: name}, nil
	}
	if n, ok, err := c.literal(m, depth, path); ok {
		return n, err
	}
	if _, ok := m["type"]; ok {
		g, err := c.geojson(m, depth, path)
		if err != nil {
			return nil, err
		}
		return Geometry{G: g}, nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return nil, jerr(path, "unknown object with keys %v (expected op/args, property, date, timestamp, interval, bbox or a GeoJSON geometry)", keys)
}

// literal reads a {"date"}, {"timestamp"}, {"interval"} or {"bbox"} object;
// false when m is none of them.
func (c *jconv) literal(m map[string]any, depth int, path string) (Node, bool, error) {
	if d, ok := m["date"]; ok {
		s, _ := d.(string)
		t, err := parseDate(s)
		if err != nil {
			return nil, true, jerr(path, "%q is not a date (yyyy-mm-dd)", clip(s))
		}
		return Date{V: t}, true, nil
	}
	if d, ok := m["timestamp"]; ok {
		s, _ := d.(string)
		t, err := parseTimestamp(s)
		if err != nil {
			return nil, true, jerr(path, "%v", err)
		}
		return Timestamp{V: t}, true, nil
	}
	if iv, ok := m["interval"]; ok {
		n, err := c.interval(iv, depth, path)
		return n, true, err
	}
	if bb, ok := m["bbox"]; ok {
		arr, ok := bb.([]any)
		if !ok {
			return nil, true, jerr(path, `"bbox" must be an array of 4 or 6 numbers`)
		}
		nums, err := c.numbers(arr, path+".bbox")
		if err != nil {
			return nil, true, err
		}
		b, err := bbox(nums)
		if err != nil {
			return nil, true, jerr(path, "%s", err.(*Error).Msg)
		}
		return b, true, nil
	}
	return nil, false, nil
}

func (c *jconv) interval(iv any, depth int, path string) (Node, error) {
	arr, ok := iv.([]any)
	if !ok || len(arr) != 2 {
		return nil, jerr(path, `"interval" must be an array of 2 ends`)
	}
	var ends [2]Node
	for i, e := range arr {
		n, err := c.intervalEnd(e, depth+1, fmt.Sprintf("%s.interval[%d]", path, i))
		if err != nil {
			return nil, err
		}
		ends[i] = n
	}
	return Interval{Start: ends[0], End: ends[1]}, nil
}

func (c *jconv) op(name string, raw []any, depth int, path string) (Node, error) {
	args := make([]Node, 0, len(raw))
	for i, a := range raw {
		n, err := c.expr(a, depth+1, fmt.Sprintf("%s.args[%d]", path, i))
		if err != nil {
			return nil, err
		}
		args = append(args, n)
	}
	if name == "isnull" && len(args) == 1 {
		return Op{Name: "isnull", Args: args}, nil
	}
	return Op{Name: name, Args: args}, nil
}

func (c *jconv) intervalEnd(v any, depth int, path string) (Node, error) {
	if s, ok := v.(string); ok {
		if s == ".." {
			return nil, nil
		}
		if len(s) == 10 {
			if t, err := parseDate(s); err == nil {
				return Date{V: t}, nil
			}
		}
		t, err := parseTimestamp(s)
		if err != nil {
			return nil, jerr(path, "%v", err)
		}
		return Timestamp{V: t}, nil
	}
	n, err := c.expr(v, depth, path)
	if err != nil {
		return nil, err
	}
	switch n.(type) {
	case Date, Timestamp, Property:
		return n, nil
	}
	return nil, jerr(path, "an end of an interval must be a date, a timestamp, '..' or a property")
}

func (c *jconv) numbers(arr []any, path string) ([]float64, error) {
	out := make([]float64, 0, len(arr))
	for i, v := range arr {
		n, ok := v.(json.Number)
		if !ok {
			return nil, jerr(fmt.Sprintf("%s[%d]", path, i), "expected a number")
		}
		f, err := n.Float64()
		if err != nil {
			return nil, jerr(fmt.Sprintf("%s[%d]", path, i), "%q is not a number", n.String())
		}
		out = append(out, f)
	}
	return out, nil
}

// geojson reads a GeoJSON geometry object.
func (c *jconv) geojson(m map[string]any, depth int, path string) (orb.Geometry, error) {
	typ, _ := m["type"].(string)
	if typ == "GeometryCollection" {
		gs, ok := m["geometries"].([]any)
		if !ok {
			return nil, jerr(path, `a GeometryCollection needs "geometries"`)
		}
		var coll orb.Collection
		for i, g := range gs {
			gm, ok := g.(map[string]any)
			if !ok {
				return nil, jerr(fmt.Sprintf("%s.geometries[%d]", path, i), "expected a GeoJSON geometry")
			}
			if err := c.b.depth(-1, depth+1); err != nil {
				return nil, err
			}
			sub, err := c.geojson(gm, depth+1, fmt.Sprintf("%s.geometries[%d]", path, i))
			if err != nil {
				return nil, err
			}
			coll = append(coll, sub)
		}
		return coll, nil
	}
	coords, ok := m["coordinates"]
	if !ok {
		return nil, jerr(path, "a GeoJSON %s needs \"coordinates\"", typ)
	}
	cp := path + ".coordinates"
	switch typ {
	case "Point":
		return c.point(coords, cp)
	case "LineString":
		ls, err := c.line(coords, cp, 2)
		return orb.LineString(ls), err
	case "Polygon":
		return c.polygon(coords, cp)
	case "MultiPoint":
		pts, err := c.line(coords, cp, 1)
		return orb.MultiPoint(pts), err
	case "MultiLineString":
		arr, ok := coords.([]any)
		if !ok {
			return nil, jerr(cp, "expected an array of lines")
		}
		var ml orb.MultiLineString
		for i, l := range arr {
			ls, err := c.line(l, fmt.Sprintf("%s[%d]", cp, i), 2)
			if err != nil {
				return nil, err
			}
			ml = append(ml, ls)
		}
		return ml, nil
	case "MultiPolygon":
		arr, ok := coords.([]any)
		if !ok {
			return nil, jerr(cp, "expected an array of polygons")
		}
		var mp orb.MultiPolygon
		for i, pg := range arr {
			poly, err := c.polygon(pg, fmt.Sprintf("%s[%d]", cp, i))
			if err != nil {
				return nil, err
			}
			mp = append(mp, poly)
		}
		return mp, nil
	}
	return nil, jerr(path, "unknown GeoJSON geometry type %q", typ)
}

func (c *jconv) point(v any, path string) (orb.Point, error) {
	if err := c.b.coord(-1); err != nil {
		return orb.Point{}, err
	}
	arr, ok := v.([]any)
	if !ok || len(arr) < 2 || len(arr) > 3 {
		return orb.Point{}, jerr(path, "a position is an array of 2 or 3 numbers")
	}
	nums, err := c.numbers(arr, path)
	if err != nil {
		return orb.Point{}, err
	}
	return orb.Point{nums[0], nums[1]}, nil
}

func (c *jconv) line(v any, path string, min int) (orb.LineString, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, jerr(path, "expected an array of positions")
	}
	if len(arr) < min {
		return nil, jerr(path, "expected at least %d positions", min)
	}
	ls := make(orb.LineString, 0, len(arr))
	for i, p := range arr {
		pt, err := c.point(p, fmt.Sprintf("%s[%d]", path, i))
		if err != nil {
			return nil, err
		}
		ls = append(ls, pt)
	}
	return ls, nil
}

func (c *jconv) polygon(v any, path string) (orb.Polygon, error) {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		return nil, jerr(path, "expected an array of rings")
	}
	var poly orb.Polygon
	for i, r := range arr {
		ring, err := c.line(r, fmt.Sprintf("%s[%d]", path, i), 4)
		if err != nil {
			return nil, err
		}
		if ring[0] != ring[len(ring)-1] {
			return nil, jerr(fmt.Sprintf("%s[%d]", path, i), "a ring must end where it starts")
		}
		poly = append(poly, orb.Ring(ring))
	}
	return poly, nil
}
