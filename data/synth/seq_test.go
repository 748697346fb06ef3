package synth

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/valyala/fastjson"
)

// The tests read millions of generated features. encoding/json (through
// orb's geojson) decodes each several times by reflection, which under
// -race took most of the package's time; fastjson parses a line once.

// decodeFeature decodes one line of a GeoJSONSeq file: valid JSON, a
// Feature with an integer id, a geometry of the six simple types (2D
// positions) and properties as encoding/json gives them (string, float64,
// bool, nil, []any, map[string]any).
func decodeFeature(p *fastjson.Parser, line []byte) (feature, error) {
	if err := fastjson.ValidateBytes(line); err != nil {
		return feature{}, fmt.Errorf("invalid JSON: %w", err)
	}
	v, err := p.ParseBytes(line)
	if err != nil {
		return feature{}, err
	}
	if typ := v.Get("type"); typ == nil || string(typ.GetStringBytes()) != "Feature" {
		return feature{}, errors.New("not a Feature")
	}
	id := v.Get("id")
	if id == nil || id.Type() != fastjson.TypeNumber || id.GetFloat64() != math.Trunc(id.GetFloat64()) {
		return feature{}, fmt.Errorf("id %v is not an integer", id)
	}
	g, err := decodeGeometry(v.Get("geometry"))
	if err != nil {
		return feature{}, fmt.Errorf("geometry: %w", err)
	}
	f := feature{id: int64(id.GetFloat64()), geom: g}
	if props := v.Get("properties"); props != nil && props.Type() != fastjson.TypeNull {
		if props.Type() != fastjson.TypeObject {
			return feature{}, fmt.Errorf("properties are a %s, not an object", props.Type())
		}
		f.props = plainValue(props).(map[string]any)
	}
	return f, nil
}

// plainValue is v as encoding/json decodes it into an any.
func plainValue(v *fastjson.Value) any {
	switch v.Type() {
	case fastjson.TypeString:
		return string(v.GetStringBytes())
	case fastjson.TypeNumber:
		return v.GetFloat64()
	case fastjson.TypeTrue:
		return true
	case fastjson.TypeFalse:
		return false
	case fastjson.TypeArray:
		a := []any{}
		for _, e := range v.GetArray() {
			a = append(a, plainValue(e))
		}
		return a
	case fastjson.TypeObject:
		m := map[string]any{}
		v.GetObject().Visit(func(k []byte, e *fastjson.Value) { m[string(k)] = plainValue(e) })
		return m
	}
	return nil
}

// decodeGeometry builds the orb geometry of a GeoJSON geometry object (nil
// for null).
func decodeGeometry(v *fastjson.Value) (orb.Geometry, error) {
	if v == nil || v.Type() == fastjson.TypeNull {
		return nil, nil
	}
	c := v.Get("coordinates")
	if c == nil {
		return nil, errors.New("no coordinates")
	}
	switch typ := string(v.GetStringBytes("type")); typ {
	case "Point":
		return position(c)
	case "MultiPoint":
		ps, err := positions(c)
		return orb.MultiPoint(ps), err
	case "LineString":
		ps, err := positions(c)
		return orb.LineString(ps), err
	case "MultiLineString":
		var ml orb.MultiLineString
		err := each(c, func(e *fastjson.Value) error { ps, err := positions(e); ml = append(ml, ps); return err })
		return ml, err
	case "Polygon":
		return polygon(c)
	case "MultiPolygon":
		var mp orb.MultiPolygon
		err := each(c, func(e *fastjson.Value) error { p, err := polygon(e); mp = append(mp, p); return err })
		return mp, err
	default:
		return nil, fmt.Errorf("type %q", typ)
	}
}

func polygon(v *fastjson.Value) (orb.Polygon, error) {
	var p orb.Polygon
	err := each(v, func(e *fastjson.Value) error { ps, err := positions(e); p = append(p, orb.Ring(ps)); return err })
	return p, err
}

func positions(v *fastjson.Value) ([]orb.Point, error) {
	var ps []orb.Point
	err := each(v, func(e *fastjson.Value) error { p, err := position(e); ps = append(ps, p); return err })
	return ps, err
}

// position is a [lon, lat] pair (a third number, the height, is dropped as
// orb drops it).
func position(v *fastjson.Value) (orb.Point, error) {
	a, err := v.Array()
	if err != nil || len(a) < 2 || a[0].Type() != fastjson.TypeNumber || a[1].Type() != fastjson.TypeNumber {
		return orb.Point{}, fmt.Errorf("position %v", v)
	}
	return orb.Point{a[0].GetFloat64(), a[1].GetFloat64()}, nil
}

// each calls fn on the elements of the array v.
func each(v *fastjson.Value, fn func(*fastjson.Value) error) error {
	a, err := v.Array()
	if err != nil {
		return err
	}
	for _, e := range a {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}
