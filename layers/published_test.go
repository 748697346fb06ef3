package layers

import (
	"errors"
	"testing"
)

func TestFunctionArgs(t *testing.T) {
	f := &Function{Params: []Param{
		{Name: "soglia", Type: "double precision", Field: TypeDouble},
		{Name: "n", Type: "integer", Field: TypeInteger, HasDefault: true},
		{Name: "dal", Type: "date", Field: TypeDate, HasDefault: true},
		{Name: "attivo", Type: "boolean", Field: TypeBoolean, HasDefault: true},
		{Name: "opzioni", Type: "jsonb", Field: TypeJSON, HasDefault: true},
	}}
	tests := []struct {
		name  string
		given map[string]string
		bad   string // the parameter named in the error, "" for none
		n     int    // values returned
	}{
		{"required given", map[string]string{"soglia": "2.5"}, "", 1},
		{"required missing", map[string]string{"n": "3"}, "soglia", 0},
		{"integer", map[string]string{"soglia": "1", "n": "3.5"}, "n", 0},
		{"not finite", map[string]string{"soglia": "NaN"}, "soglia", 0},
		{"date", map[string]string{"soglia": "1", "dal": "2024-02-30"}, "dal", 0},
		{"boolean", map[string]string{"soglia": "1", "attivo": "yes"}, "attivo", 0},
		{"json", map[string]string{"soglia": "1", "opzioni": "{"}, "opzioni", 0},
		{"all", map[string]string{"soglia": "-1e3", "n": "7", "dal": "2024-02-29", "attivo": "true", "opzioni": `{"a":1}`}, "", 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := f.Args(func(n string) (string, bool) { v, ok := tc.given[n]; return v, ok })
			var pe *ParamError
			switch {
			case tc.bad == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tc.bad != "" && (!errors.As(err, &pe) || pe.Param != tc.bad):
				t.Fatalf("error %v, want one naming %s", err, tc.bad)
			case len(got) != tc.n:
				t.Fatalf("%d values, want %d", len(got), tc.n)
			}
		})
	}
}

func TestCallNamedNotation(t *testing.T) {
	l := Layer{Source: Source{Origin: OriginTileFunction, Schema: "uff", Relation: "Tile", Function: &Function{Params: []Param{
		{Name: "a", Type: "integer"}, {Name: "b", Type: "text", HasDefault: true}, {Name: "c", Type: "date", HasDefault: true}}}}}
	n := 3
	got := l.Call([]string{"$1::integer", "$2::integer", "$3::integer"}, map[string]string{"a": "1", "c": "2024-01-01"},
		func(string) string { n++; return "$" + string(rune('0'+n)) })
	want := `"uff"."Tile"($1::integer, $2::integer, $3::integer, "a" => $4::text::integer, "c" => $5::text::date)`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestPublishedHelpers(t *testing.T) {
	for in, want := range map[string]string{"MULTIPOLYGON": "MultiPolygon", "POINTZ": "Point", "LINESTRINGM": "LineString", "GEOMETRY": "Geometry", "CURVEPOLYGON": "Geometry"} {
		if got := typeName(in); got != want {
			t.Errorf("typeName(%s) = %s, want %s", in, got, want)
		}
	}
	gb := "+proj=tmerc +lat_0=0 +lon_0=9 +k=0.9996 +x_0=1500000 +y_0=0 +ellps=intl"
	if a := areaOf(gb); a != [4]float64{-51, -84, 69, 84} {
		t.Errorf("Gauss-Boaga west: %v", a)
	}
	if a := areaOf("+proj=utm +zone=32 +ellps=GRS80"); a != [4]float64{-51, -84, 69, 84} {
		t.Errorf("UTM 32: %v", a)
	}
	if a := areaOf("+proj=merc +a=6378137"); a != ([4]float64{}) {
		t.Errorf("Mercator: %v", a)
	}
	for typ, cast := range map[string]string{"int4": "bigint", "uuid": "uuid", "varchar": "varchar", "float8": "", "numeric": ""} {
		if got := keyCast(typ); got != cast {
			t.Errorf("keyCast(%s) = %q, want %q", typ, got, cast)
		}
	}
	for found, want := range map[string][2]string{"gid int4": {"gid", "bigint"}, "Chiave ID uuid": {"Chiave ID", "uuid"},
		"codice catastale varchar": {"codice catastale", "varchar"}, "area float8": {"", ""}, "": {"", ""}} {
		if k, c := keyOf(publishedRow{key: found}, nil); k != want[0] || c != want[1] {
			t.Errorf("keyOf(%q) = %q, %q, want %q", found, k, c, want)
		}
	}
	if p := publishedProperty(publishedColumn{Name: "x", Type: "numeric"}); p.Type != TypeDouble || p.Cast != "float8" || !p.Queryable {
		t.Errorf("numeric: %+v", p)
	}
	if p := publishedProperty(publishedColumn{Name: "x", Type: "uuid", NotNull: true}); p.Type != TypeText || p.Queryable || p.Nullable {
		t.Errorf("uuid: %+v", p)
	}
}

// TestFunctionOverloads: a call that another overload of the function's
// name takes exactly as well (PostgreSQL: "not unique") is a 400 naming
// the parameter that tells them apart; other calls pass.
func TestFunctionOverloads(t *testing.T) {
	// entro(r integer, d text DEFAULT …) beside entro(r integer) and
	// entro(r bigint, d text).
	f := &Function{
		Params: []Param{{Name: "r", Type: "integer", Field: TypeInteger}, {Name: "d", Type: "text", Field: TypeText, HasDefault: true}},
		Overloads: []Overload{
			{Name: "s.entro(int4)", Args: []OverloadArg{{Name: "r", Type: "integer"}}},
			{Name: "s.entro(int8;text)", Args: []OverloadArg{{Name: "r", Type: "bigint"}, {Name: "d", Type: "text"}}},
		},
	}
	tile := &Function{Lead: []string{"integer", "integer", "integer"},
		Params:    []Param{{Name: "anno", Type: "integer", Field: TypeInteger, HasDefault: true}},
		Overloads: []Overload{{Name: "s.t(int4;int4;int4)", Args: []OverloadArg{{Type: "integer"}, {Type: "integer"}, {Type: "integer"}}}}}
	tests := []struct {
		name  string
		f     *Function
		given map[string]string
		bad   string
	}{
		{"a defaulted parameter left out", f, map[string]string{"r": "3"}, "d"},
		{"given", f, map[string]string{"r": "3", "d": "x"}, ""},
		{"a tile function's default left out", tile, map[string]string{}, "anno"},
		{"a tile function's given", tile, map[string]string{"anno": "2025"}, ""},
		{"no overloads", &Function{Params: f.Params}, map[string]string{"r": "3"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.f.Args(func(n string) (string, bool) { v, ok := tc.given[n]; return v, ok })
			var pe *ParamError
			switch {
			case tc.bad == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tc.bad != "" && (!errors.As(err, &pe) || pe.Param != tc.bad):
				t.Fatalf("error %v, want one naming %s", err, tc.bad)
			}
		})
	}
	// The one overload no call can reach.
	one := &Function{Params: []Param{{Name: "r", Type: "integer", Field: TypeInteger}},
		Overloads: []Overload{{Name: "s.entro(int4;text)", Args: []OverloadArg{{Name: "r", Type: "integer"}, {Name: "d", Type: "text", HasDefault: true}}}}}
	if o, ok := one.clashes(one.paramNames()); !ok || o.Name != "s.entro(int4;text)" {
		t.Errorf("entro(r integer) beside entro(r integer, d text DEFAULT …): clashes %v %v", o, ok)
	}
}
