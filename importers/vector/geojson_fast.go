package vector

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/valyala/fastjson"

	"github.com/sit-gis/sit/importers"
	"github.com/sit-gis/sit/layers"
)

// Decoding dominates the importer's CPU: encoding/json reads each feature
// three times (the whole, the geometry, the properties) through
// reflection. fastDecoder parses it once with fastjson and builds the orb
// geometry and the properties directly. It takes only the plain shape (a
// Feature with a 2D geometry of one of the six simple types, scalar
// properties, strings without escapes): anything else, and anything
// malformed, goes back to encoding/json (rawFeature.toFeature), which gives
// the same result and words the errors, so that both paths agree on every
// record.

// fastDecoder decodes with a parser pool shared by the decoding workers.
type fastDecoder struct {
	pool fastjson.ParserPool
}

// decode returns the feature of one record; ok is false when the record
// must go through encoding/json.
func (d *fastDecoder) decode(data []byte, rec int64) (f layers.Feature, ok bool) {
	if bytes.IndexByte(data, '\\') >= 0 {
		return f, false // escapes: encoding/json's rules (bad surrogates)
	}
	p := d.pool.Get()
	defer d.pool.Put(p)
	v, err := p.ParseBytes(data)
	if err != nil {
		return f, false
	}
	o, err := v.Object()
	if err != nil {
		return f, false
	}
	var typ, id, geom, props *fastjson.Value
	ok = true
	o.Visit(func(k []byte, v *fastjson.Value) {
		switch string(k) {
		case "type":
			typ = v
		case "id":
			id = v
		case "geometry":
			geom = v
		case "properties":
			props = v
		default:
			// encoding/json matches member names without case, and
			// checks the members it ignores.
			ok = ok && plainString(string(k)) && !nearKey(string(k), "type", "id", "geometry", "properties") && strictJSON(v)
		}
	})
	if !ok || typ == nil || typ.Type() != fastjson.TypeString || string(typ.GetStringBytes()) != "Feature" {
		return f, false
	}
	f.Record = rec
	if f.ID, ok = fastID(id); !ok {
		return f, false
	}
	if f.Geometry, ok = fastGeometry(geom); !ok {
		return f, false
	}
	if f.Props, ok = fastProps(props); !ok {
		return f, false
	}
	return f, true
}

// strictJSON tells whether a value fastjson accepted is JSON as
// encoding/json reads it (numbers, strings and keys).
func strictJSON(v *fastjson.Value) bool {
	switch v.Type() {
	case fastjson.TypeNumber:
		return jsonNumber(v.MarshalTo(nil))
	case fastjson.TypeString:
		_, ok := fastString(v)
		return ok
	case fastjson.TypeArray:
		a, _ := v.Array()
		for _, e := range a {
			if !strictJSON(e) {
				return false
			}
		}
	case fastjson.TypeObject:
		o, _ := v.Object()
		ok := true
		o.Visit(func(k []byte, e *fastjson.Value) { ok = ok && plainString(string(k)) && strictJSON(e) })
		return ok
	}
	return true
}

// nearKey tells a member name that differs from a known one only by case.
func nearKey(k string, known ...string) bool {
	for _, n := range known {
		if strings.EqualFold(k, n) {
			return true
		}
	}
	return false
}

// fastString is a string value without escapes, valid UTF-8.
func fastString(v *fastjson.Value) (string, bool) {
	s := string(v.GetStringBytes())
	return s, plainString(s)
}

// plainString is valid UTF-8 without control characters (encoding/json
// refuses them raw in a string; fastjson does not).
func plainString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 {
			return false
		}
	}
	return utf8.ValidString(s)
}

// jsonNumber tells a number as JSON's grammar writes it: fastjson is more
// lenient (leading zeros, a lone minus, "Inf").
func jsonNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		i = digits(b, i)
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		j := digits(b, i+1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(b, i)
		if j == i {
			return false
		}
		i = j
	}
	return i == len(b)
}

func digits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

func fastID(v *fastjson.Value) (string, bool) {
	if v == nil || v.Type() == fastjson.TypeNull {
		return "", true
	}
	switch v.Type() {
	case fastjson.TypeString:
		return fastString(v)
	case fastjson.TypeNumber:
		b := v.MarshalTo(nil)
		return string(b), jsonNumber(b)
	}
	return "", false
}

// fastProps converts scalar properties as normaliseJSONValue does.
func fastProps(v *fastjson.Value) (map[string]any, bool) {
	if v == nil || v.Type() == fastjson.TypeNull {
		return nil, true
	}
	o, err := v.Object()
	if err != nil {
		return nil, false
	}
	props := make(map[string]any, o.Len())
	ok := true
	var num []byte
	o.Visit(func(k []byte, v *fastjson.Value) {
		if !ok {
			return
		}
		key := string(k)
		if !plainString(key) {
			ok = false
			return
		}
		switch v.Type() {
		case fastjson.TypeNull:
			props[key] = nil
		case fastjson.TypeTrue:
			props[key] = true
		case fastjson.TypeFalse:
			props[key] = false
		case fastjson.TypeString:
			props[key], ok = fastString(v)
		case fastjson.TypeNumber:
			num = v.MarshalTo(num[:0])
			props[key], ok = fastNumber(num)
		default:
			ok = false
		}
	})
	return props, ok
}

// fastNumber reads a JSON number as encoding/json with UseNumber and
// normaliseJSONValue do: an int64 when it is one, else a float64.
func fastNumber(b []byte) (any, bool) {
	if !jsonNumber(b) {
		return nil, false
	}
	s := string(b)
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i, true
	}
	fl, err := strconv.ParseFloat(s, 64)
	return fl, err == nil
}

// fastGeometry builds one of the six simple geometry types.
func fastGeometry(v *fastjson.Value) (orb.Geometry, bool) {
	if v == nil || v.Type() == fastjson.TypeNull {
		return nil, true
	}
	o, err := v.Object()
	if err != nil {
		return nil, false
	}
	var typ, coords *fastjson.Value
	ok := true
	o.Visit(func(k []byte, v *fastjson.Value) {
		switch string(k) {
		case "type":
			typ = v
		case "coordinates":
			coords = v
		default:
			ok = ok && plainString(string(k)) && !nearKey(string(k), "type", "coordinates", "geometries") && strictJSON(v)
		}
	})
	if !ok || typ == nil || coords == nil || typ.Type() != fastjson.TypeString {
		return nil, false
	}
	var g orb.Geometry
	var buf []byte
	switch string(typ.GetStringBytes()) {
	case "Point":
		g, ok = fastPoint(coords, &buf)
	case "MultiPoint", "LineString":
		var ps []orb.Point
		ps, ok = fastPoints(coords, &buf)
		if string(typ.GetStringBytes()) == "MultiPoint" {
			g = orb.MultiPoint(ps)
		} else {
			g = orb.LineString(ps)
		}
	case "MultiLineString":
		var rs []orb.Ring
		rs, ok = fastRings(coords, &buf)
		ml := make(orb.MultiLineString, len(rs))
		for i, r := range rs {
			ml[i] = orb.LineString(r)
		}
		g = ml
	case "Polygon":
		var rs []orb.Ring
		rs, ok = fastRings(coords, &buf)
		g = orb.Polygon(rs)
	case "MultiPolygon":
		g, ok = fastMultiPolygon(coords, &buf)
	default:
		return nil, false
	}
	if !ok || !importers.Finite(g) {
		return nil, false
	}
	return g, true
}

// fastArray is a non-empty array's elements.
func fastArray(v *fastjson.Value) ([]*fastjson.Value, bool) {
	a, err := v.Array()
	return a, err == nil && len(a) > 0
}

// fastPoint reads a position of exactly two numbers.
func fastPoint(v *fastjson.Value, buf *[]byte) (orb.Point, bool) {
	a, err := v.Array()
	if err != nil || len(a) != 2 {
		return orb.Point{}, false
	}
	var p orb.Point
	for i, c := range a {
		if c.Type() != fastjson.TypeNumber {
			return p, false
		}
		*buf = c.MarshalTo((*buf)[:0])
		if !jsonNumber(*buf) {
			return p, false
		}
		f, err := strconv.ParseFloat(string(*buf), 64)
		if err != nil {
			return p, false
		}
		p[i] = f
	}
	return p, true
}

func fastPoints(v *fastjson.Value, buf *[]byte) ([]orb.Point, bool) {
	a, ok := fastArray(v)
	if !ok {
		return nil, false
	}
	ps := make([]orb.Point, len(a))
	for i, c := range a {
		if ps[i], ok = fastPoint(c, buf); !ok {
			return nil, false
		}
	}
	return ps, true
}

func fastRings(v *fastjson.Value, buf *[]byte) ([]orb.Ring, bool) {
	a, ok := fastArray(v)
	if !ok {
		return nil, false
	}
	rs := make([]orb.Ring, len(a))
	for i, c := range a {
		ps, ok := fastPoints(c, buf)
		if !ok {
			return nil, false
		}
		rs[i] = orb.Ring(ps)
	}
	return rs, true
}

func fastMultiPolygon(v *fastjson.Value, buf *[]byte) (orb.MultiPolygon, bool) {
	a, ok := fastArray(v)
	if !ok {
		return nil, false
	}
	mp := make(orb.MultiPolygon, len(a))
	for i, c := range a {
		rs, ok := fastRings(c, buf)
		if !ok {
			return nil, false
		}
		mp[i] = orb.Polygon(rs)
	}
	return mp, true
}
