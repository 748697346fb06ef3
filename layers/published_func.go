package layers

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// publishedFuncSQL lists the functions published by name (never a whole
// schema's: a function runs code) that the reader role may execute:
// their input parameters (name, type, whether they have a default), and,
// for a set-returning function, its output columns.
const publishedFuncSQL = `
SELECT n.nspname, p.proname, p.prorettype::regtype::text, p.proretset, p.pronargs, p.pronargdefaults,
	coalesce(p.proargnames, '{}'), coalesce(p.proargmodes::text[], '{}'),
	ARRAY(SELECT t.typname::text FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY u(oid, i)
		JOIN pg_type t ON t.oid = u.oid ORDER BY u.i),
	ARRAY(SELECT format_type(u.oid, NULL) FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY u(oid, i) ORDER BY u.i),
	coalesce(ARRAY(SELECT a.attname::text || ' ' || t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
		WHERE a.attrelid = rt.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum), '{}'),
	coalesce(obj_description(p.oid, 'pg_proc'), ''), pub.visibility, pub.created_at
FROM sit.published pub
JOIN pg_namespace n ON n.nspname = pub.schema_name
JOIN pg_proc p ON p.pronamespace = n.oid AND p.proname = pub.relation
JOIN pg_type rt ON rt.oid = p.prorettype
WHERE pub.relation <> '' AND p.prokind = 'f' AND has_function_privilege(` + readerRole + `, p.oid, 'EXECUTE')
ORDER BY n.nspname, p.proname, p.oid`

// publishedFunc is one row of publishedFuncSQL.
type publishedFunc struct {
	schema, name, returns string
	set                   bool
	nargs, ndefaults      int
	argNames, modes       []string
	argTypes, argSQL      []string
	rowColumns            []string
	comment, visibility   string
	created               time.Time
}

// listPublishedFunctions reads the published functions as layers: a tile
// function (z, x, y [, …]) returning bytea has tiles only; a function
// returning a set of rows with a geometry column is a collection whose
// geometry is in EPSG:4326 (as pg_featureserv expects of its functions).
// Each overload of a name is a layer of its own, named by its signature
// (overloadName).
func listPublishedFunctions(ctx context.Context, q Querier, now time.Time) (out []Layer, skipped []string, err error) {
	rows, err := q.Query(ctx, publishedFuncSQL)
	if err != nil {
		return nil, nil, fmt.Errorf("list published functions: %w", err)
	}
	defer rows.Close()
	var fs []publishedFunc
	for rows.Next() {
		var f publishedFunc
		if err := rows.Scan(&f.schema, &f.name, &f.returns, &f.set, &f.nargs, &f.ndefaults, &f.argNames, &f.modes, &f.argTypes, &f.argSQL,
			&f.rowColumns, &f.comment, &f.visibility, &f.created); err != nil {
			return nil, nil, fmt.Errorf("list published functions: %w", err)
		}
		fs = append(fs, f)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("list published functions: %w", err)
	}
	seen := map[string]bool{}
	for i, f := range fs {
		var others []Overload
		for j, g := range fs {
			if j != i && g.schema == f.schema && g.name == f.name {
				others = append(others, g.overload())
			}
		}
		name := f.sourceName(len(others) > 0)
		l, why := f.layer(name, others, now)
		if why == "" && seen[name] {
			why = "another overload has the same signature's name (its types share a name in another schema)"
		}
		if why != "" {
			skipped = append(skipped, name+": "+why)
			continue
		}
		seen[name] = true
		out = append(out, l)
	}
	return out, skipped, nil
}

// sourceName is schema.function, or for an overloaded name
// schema.function(type;type…): the input parameters' type names (int4,
// text…), joined by ";" since a comma separates the layers of a tile URL.
func (f publishedFunc) sourceName(overloaded bool) string {
	name := f.schema + "." + f.name
	if !overloaded {
		return name
	}
	in, _ := f.split()
	types := make([]string, len(in))
	for i, a := range in {
		types[i] = a.typ
	}
	return name + "(" + strings.Join(types, ";") + ")"
}

// overload is the function as another overload of its name sees it.
func (f publishedFunc) overload() Overload {
	in, _ := f.split()
	o := Overload{Name: f.sourceName(true)}
	for i, a := range in {
		o.Args = append(o.Args, OverloadArg{Name: a.name, Type: a.sql, HasDefault: i >= len(in)-f.ndefaults})
	}
	return o
}

// funcParamTypes are the parameter types a request's text can be checked
// as, by pg_type name.
var funcParamTypes = map[string]FieldType{"int2": TypeInteger, "int4": TypeInteger, "int8": TypeInteger,
	"float4": TypeDouble, "float8": TypeDouble, "numeric": TypeDouble, "text": TypeText, "varchar": TypeText,
	"bool": TypeBoolean, "date": TypeDate, "timestamp": TypeTimestamp, "timestamptz": TypeTimestamp,
	"json": TypeJSON, "jsonb": TypeJSON}

// layer describes a published function, named name (others are the
// other overloads of its name), or says why it cannot be served.
func (f publishedFunc) layer(name string, others []Overload, now time.Time) (Layer, string) {
	in, out := f.split()
	fn := &Function{Overloads: others}
	src := Source{Schema: f.schema, Relation: f.name, SRID: StorageSRID, Function: fn, Notes: []string{"a function: edits show within " + UntrackedTTL.String()}}
	first := len(in) - f.ndefaults // the parameters from here on have defaults
	for i, a := range in {
		if f.returns == "bytea" && i < 3 {
			fn.Lead = append(fn.Lead, a.sql)
			continue
		}
		ft, ok := funcParamTypes[a.typ]
		if !ok {
			if i >= first {
				continue // left to its default: requests cannot give it
			}
			return Layer{}, fmt.Sprintf("parameter %s has type %s, which requests cannot give", a.name, a.sql)
		}
		if a.name == "" {
			return Layer{}, "every parameter needs a name (requests give them by name)"
		}
		fn.Params = append(fn.Params, Param{Name: a.name, Type: a.sql, Field: ft, HasDefault: i >= first})
	}
	if o, ok := fn.clashes(fn.paramNames()); ok {
		return Layer{}, "cannot be called: " + o.Name + " takes the same call (its other parameters have defaults), " +
			"so PostgreSQL cannot choose between them (drop or rename one, or remove a default)"
	}
	l := Layer{Name: name, Title: strings.TrimPrefix(name, f.schema+"."), Description: f.comment, Kind: KindGeneric, GeometryType: "Geometry",
		SourceSRID: StorageSRID, FIDType: TypeText, MinZoom: 0, MaxZoom: 22, Visibility: Visibility(f.visibility),
		CreatedAt: f.created, UpdatedAt: f.created, Version: now.Unix() / int64(UntrackedTTL/time.Second)}
	if f.comment != "" {
		l.Title, _, _ = strings.Cut(f.comment, "\n")
	}
	switch {
	case f.returns == "bytea" && !f.set:
		if len(in) < 3 || in[0].typ != "int4" || in[1].typ != "int4" || in[2].typ != "int4" {
			return Layer{}, "a tile function takes (z integer, x integer, y integer, …)"
		}
		src.Origin = OriginTileFunction
	case f.set:
		src.Origin = OriginFunction
		for _, c := range out {
			if c.typ == "geometry" && src.Geometry == "" {
				src.Geometry = c.name
				continue
			}
			if c.typ == "geometry" {
				src.OtherGeometries = append(src.OtherGeometries, c.name)
				continue
			}
			l.Properties = append(l.Properties, publishedProperty(publishedColumn{Name: c.name, Type: c.typ}))
		}
		if src.Geometry == "" {
			return Layer{}, "it returns no geometry column"
		}
	default:
		return Layer{}, "neither a tile function (returns bytea) nor a set of rows"
	}
	l.Source = src
	l.Source.Notes = append(l.Source.Notes, l.NoKeyNote())
	return l, ""
}

// funcArg is one argument of a function's signature.
type funcArg struct{ name, typ, sql string }

// split separates the input parameters from the output columns (RETURNS
// TABLE or OUT parameters, else the columns of the returned row type).
func (f publishedFunc) split() (in, out []funcArg) {
	for i, typ := range f.argTypes {
		a := funcArg{typ: typ, sql: f.argSQL[i]}
		if i < len(f.argNames) {
			a.name = f.argNames[i]
		}
		mode := "i"
		if i < len(f.modes) {
			mode = f.modes[i]
		}
		switch mode {
		case "i", "b", "v":
			in = append(in, a)
		}
		if mode == "o" || mode == "b" || mode == "t" {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		for _, c := range f.rowColumns {
			if i := strings.LastIndexByte(c, ' '); i > 0 {
				out = append(out, funcArg{name: c[:i], typ: c[i+1:]})
			}
		}
	}
	return in, out
}
