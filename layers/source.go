package layers

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// Origin says where a layer's rows come from: an import (SIT's own
// versioned tables) or a relation or function of the database published
// as it is (package publish).
type Origin string

const (
	// OriginImported: sit import built sit_versions.<layer>_v<N>.
	OriginImported Origin = ""
	// Published relations, read where the office keeps them.
	OriginTable    Origin = "table"
	OriginView     Origin = "view"
	OriginMatView  Origin = "materialized view"
	OriginForeign  Origin = "foreign table"
	OriginFunction Origin = "function" // a function returning rows
	// OriginTileFunction is a function (z, x, y [, …]) returning MVT bytes:
	// it has tiles, not features.
	OriginTileFunction Origin = "tile function"
)

// StorageSRID is the SRID of an imported layer's geom column.
const StorageSRID = 4326

// Source is what the SQL builders need to read a layer besides its
// properties: the relation, the geometry column and its SRID, the key and
// a column already in Web Mercator. An imported layer leaves it zero (its
// table is sit_versions.<Layer.Table>, with fid, geom in 4326 and
// geom_3857); a published one fills it from the database's catalog.
type Source struct {
	Origin Origin
	// Schema and Relation name the published relation (or function).
	Schema, Relation string
	// Geometry is the geometry column, in SRID.
	Geometry string
	SRID     int
	// Key is the column that identifies a feature ("" when there is none:
	// no single-feature URL, offset paging only); KeyType is the SQL type
	// cursors are cast to (bigint, text or uuid).
	Key, KeyType string
	// Geom3857 is a column holding the geometry in EPSG:3857 ("" when the
	// tiles transform Geometry on the fly): a published table's generated
	// copy, GENERATED ALWAYS AS (ST_Transform(Geometry, 3857)) STORED, so
	// never stale. Indexed3857: it has a GiST index of its own (else tiles
	// select rows through the index of Geometry).
	Geom3857    string
	Indexed3857 bool
	// TileCopy is SIT's own Web Mercator copy of a published table that
	// tiles read instead of the table ("" when none is usable): a table in
	// schema sit_copies (TileCopyIdent) holding the key, the other
	// non-geometry columns and the geometry column (same name) in EPSG:3857
	// with a GiST index, kept exact by triggers in the editing transaction.
	TileCopy string
	// Relid is the published relation's oid (a table's copy is
	// sit_copies.t_<Relid>, its row in sit.tile_copies has relid Relid).
	Relid int64
	// TilePath says, for people, how tiles get the geometry in Web
	// Mercator: the copy, a stored column, or by transforming the rows
	// (and why there is no copy).
	TilePath string
	// buildCopy: the table should have a copy and has none usable (none
	// yet, stale, its columns changed): the catalog's pass builds it.
	buildCopy bool
	// copyFailed: the last build failed recently; the catalog waits
	// before trying again, an explicit publish does not.
	copyFailed bool
	// copyCandidate: a keyed plain table outside EPSG:3857 without a
	// stored column whose copy the office has not declined: what stands
	// between it and its copy is tracking or privileges.
	copyCandidate bool
	// MercatorDDL are the statements with which the table's owner gives it
	// an indexed Web Mercator copy (none when it has one or needs none).
	MercatorDDL []string
	// OtherGeometries are the relation's other geometry columns: never
	// properties.
	OtherGeometries []string
	// Tracked: a trigger bumps the version at each committed edit of every
	// base relation, so Layer.Version changes with the data. Untracked
	// layers change version on a timer (a short TTL) and claim no strong
	// ETag.
	Tracked bool
	// Counters are the relations (oids) whose change counters in
	// sit.published_versions sum to a tracked layer's Version (a missing
	// row counts 1): a statement re-reads them to learn whether the rows
	// it saw are newer than the catalog it was built from.
	Counters []int64
	// Notes say what the layer cannot do (no key, no spatial index…), for
	// people reading the catalog.
	Notes []string
	// Function is the signature of a function source.
	Function *Function
	// Area is where the layer's CRS can be used, in longitude/latitude
	// (minx, miny, maxx, maxy; zero: anywhere): a box is clipped to it
	// before being transformed into SRID, since PROJ turns points far
	// outside a projection's zone into nonsense.
	Area [4]float64
}

// Function is the signature of a published function: the parameters a
// request may give, in order, after z, x, y for a tile function.
type Function struct {
	Params []Param
	// JSONParams: a tile function whose last parameter is json/jsonb
	// receives every other query parameter as one object (as Martin does).
	JSONParams bool
	// Lead are the types of the arguments given by position before the
	// named ones (a tile function's z, x, y).
	Lead []string
	// Overloads are the other functions of the same name: a call that
	// matches one of them exactly as well is ambiguous to PostgreSQL.
	Overloads []Overload
}

// Overload is another function of a published function's name, as
// PostgreSQL resolves a call: its input parameters in order.
type Overload struct {
	Name string // its source name, schema.function(type;…)
	Args []OverloadArg
}

// OverloadArg is one input parameter of an overload; Type as the
// catalog prints it (format_type).
type OverloadArg struct {
	Name, Type string
	HasDefault bool
}

// clashes returns an overload that a call giving these named parameters
// (typed as this function's, after Lead by position) matches exactly as
// well: PostgreSQL would refuse it as not unique.
func (f *Function) clashes(given map[string]bool) (Overload, bool) {
	types := map[string]string{}
	for _, p := range f.Params {
		types[p.Name] = p.Type
	}
	for _, o := range f.Overloads {
		if f.matches(o, given, types) {
			return o, true
		}
	}
	return Overload{}, false
}

// matches reports whether o takes the call: the same types by position,
// every given name with the same type, defaults for the rest.
func (f *Function) matches(o Overload, given map[string]bool, types map[string]string) bool {
	if len(o.Args) < len(f.Lead) {
		return false
	}
	for i, t := range f.Lead {
		if o.Args[i].Type != t {
			return false
		}
	}
	n := 0
	for _, a := range o.Args[len(f.Lead):] {
		switch {
		case given[a.Name] && a.Type == types[a.Name]:
			n++
		case given[a.Name] || !a.HasDefault:
			return false
		}
	}
	return n == len(given)
}

// paramNames is every parameter a request may give.
func (f *Function) paramNames() map[string]bool {
	out := map[string]bool{}
	for _, p := range f.Params {
		out[p.Name] = true
	}
	return out
}

// disambiguate says which parameter a call giving these must add so that
// PostgreSQL can choose this function over another overload of its name.
func (f *Function) disambiguate(given map[string]bool) error {
	o, ok := f.clashes(given)
	if !ok {
		return nil
	}
	has := map[string]string{}
	for _, a := range o.Args {
		has[a.Name] = a.Type
	}
	for _, p := range f.Params {
		if !given[p.Name] && has[p.Name] != p.Type {
			return &ParamError{p.Name, "required in this call: without it the call matches " + o.Name +
				" as well (its other parameters have defaults), and PostgreSQL cannot choose (" + p.Type + ")"}
		}
	}
	return &ParamError{"parameters", "the call matches " + o.Name + " as well, and PostgreSQL cannot choose"}
}

// Param is one parameter of a function source.
type Param struct {
	Name string
	// Type is the parameter's PostgreSQL type as the catalog prints it;
	// Field what a request's value is checked as.
	Type  string
	Field FieldType
	// HasDefault: the parameter may be left out.
	HasDefault bool
}

// Published reports whether the layer is read from the office's own
// relations (or functions) rather than from an import.
func (l Layer) Published() bool { return l.Source.Origin != OriginImported }

// HasFeatures reports whether the layer is a collection of features (every
// layer but a tile function's).
func (l Layer) HasFeatures() bool { return l.Source.Origin != OriginTileFunction }

// KeyColumn is the column identifying a feature; "" when there is none.
func (l Layer) KeyColumn() string {
	if !l.Published() {
		return "fid"
	}
	return l.Source.Key
}

// KeyCast is the SQL type a feature id from a URL is cast to.
func (l Layer) KeyCast() string {
	switch {
	case l.Published():
		return l.Source.KeyType
	case l.FIDType == TypeInteger:
		return "bigint"
	}
	return "text"
}

// NoKeyNote says what a layer without a key cannot do and how to give it
// one; "" when it has a key.
func (l Layer) NoKeyNote() string {
	if l.KeyColumn() != "" {
		return ""
	}
	return "no primary key or unique NOT NULL column: features have no URL of their own and pages move by offset only" +
		" (stable only while the " + string(l.Source.Origin) + " is not written); add a key, or name a unique column with sit publish --key"
}

// Key is the key column as SQL, qualified by alias ("" for none).
func (l Layer) Key(alias string) string { return qualified(alias, l.KeyColumn()) }

// SRID is the SRID of the layer's geometry column.
func (l Layer) SRID() int {
	if !l.Published() {
		return StorageSRID
	}
	return l.Source.SRID
}

// GeometryColumn is the name of the geometry column.
func (l Layer) GeometryColumn() string {
	if !l.Published() {
		return "geom"
	}
	return l.Source.Geometry
}

// GeometryColumns are every geometry column of the relation (they are not
// properties).
func (l Layer) GeometryColumns() []string {
	if !l.Published() {
		return []string{"geom", "geom_3857"}
	}
	out := append([]string{l.Source.Geometry}, l.Source.OtherGeometries...)
	if l.Source.Geom3857 != "" && l.Source.Geom3857 != l.Source.Geometry {
		out = append(out, l.Source.Geom3857)
	}
	return out
}

// Native is the geometry column as SQL (in SRID()).
func (l Layer) Native(alias string) string { return qualified(alias, l.GeometryColumn()) }

// GeomIn is the geometry in the given SRID as SQL: a stored column when
// there is one, else the native column transformed.
func (l Layer) GeomIn(alias string, srid int) string {
	switch {
	case srid == l.SRID():
		return l.Native(alias)
	case srid == 3857 && !l.Published():
		return qualified(alias, "geom_3857")
	case srid == 3857 && l.Source.Geom3857 != "":
		return qualified(alias, l.Source.Geom3857)
	}
	return "ST_Transform(" + l.Native(alias) + ", " + strconv.Itoa(srid) + ")"
}

// Geom is the geometry in EPSG:4326 as SQL.
func (l Layer) Geom(alias string) string { return l.GeomIn(alias, StorageSRID) }

// Geom3857 is the geometry in EPSG:3857 as SQL.
func (l Layer) Geom3857(alias string) string { return l.GeomIn(alias, 3857) }

// Has3857 reports whether a stored, indexed column holds the geometry in
// EPSG:3857.
func (l Layer) Has3857() bool {
	return !l.Published() || l.Source.SRID == 3857 || (l.Source.Geom3857 != "" && l.Source.Indexed3857)
}

// ToNative is a geometry expression of the given SRID brought into the
// layer's SRID, so that a test against the native column can use its
// spatial index.
func (l Layer) ToNative(expr string, srid int) string {
	if srid == l.SRID() {
		return expr
	}
	return "ST_Transform(" + expr + ", " + strconv.Itoa(l.SRID()) + ")"
}

// Intersects is an index-friendly test of the layer's geometry against a
// geometry in EPSG:4326 (a point, a parcel): the other geometry is brought
// into the layer's SRID, not every row into 4326.
func (l Layer) Intersects(alias, geom4326 string) string {
	return "ST_Intersects(" + l.Native(alias) + ", " + l.ToNative(geom4326, StorageSRID) + ")"
}

// AttributesJSON is every column of the row aliased alias but the
// geometries, as one jsonb object.
func (l Layer) AttributesJSON(alias string) string {
	out := "to_jsonb(" + alias + ")"
	for _, c := range l.GeometryColumns() {
		out += " - '" + strings.ReplaceAll(c, "'", "''") + "'"
	}
	return out
}

// BoxOverlaps is an index-friendly prefilter: the rows whose geometry's
// bounding box overlaps rect4326, a rectangle in EPSG:4326 (SQL). Outside
// 4326 the rectangle is clipped to Source.Area, its edges cut into
// segments of at most seg degrees (SQL) and then transformed, so that the
// bounding box of its image covers the image of every point inside it
// (lines of longitude and latitude are curves in a projection).
func (l Layer) BoxOverlaps(alias, rect4326, seg string) string {
	if l.SRID() == StorageSRID {
		return l.Native(alias) + " && " + rect4326
	}
	r := rect4326
	if a := l.Source.Area; a != ([4]float64{}) {
		r = "ST_ClipByBox2D(" + r + ", ST_MakeEnvelope(" + num(a[0]) + ", " + num(a[1]) + ", " + num(a[2]) + ", " + num(a[3]) + ", 4326)::box2d)"
	}
	return l.Native(alias) + " && ST_Transform(ST_Segmentize(" + r + ", " + seg + "), " + strconv.Itoa(l.SRID()) + ")"
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// qualified quotes a column name, qualified by an alias ("" for none).
func qualified(alias, name string) string {
	if name == "" {
		return ""
	}
	q := pgx.Identifier{name}.Sanitize()
	if alias == "" {
		return q
	}
	return alias + "." + q
}

// ParamError says which function parameter a request got wrong.
type ParamError struct{ Param, Msg string }

func (e *ParamError) Error() string { return e.Param + ": " + e.Msg }

// maxParamLength bounds a text parameter of a function.
const maxParamLength = 1000

// Args checks the values a request gives the function's parameters (get
// returns one by name) against their types: the values by name, or the
// first parameter that is missing or not of its type.
func (f *Function) Args(get func(name string) (string, bool)) (map[string]string, error) {
	out := map[string]string{}
	for _, p := range f.Params {
		v, ok := get(p.Name)
		if !ok {
			if !p.HasDefault {
				return nil, &ParamError{p.Name, "required (" + p.Type + ")"}
			}
			continue
		}
		if err := checkParam(p.Field, v); err != "" {
			return nil, &ParamError{p.Name, fmt.Sprintf("%q is not %s (the function takes %s)", clip(v), err, p.Type)}
		}
		out[p.Name] = v
	}
	given := map[string]bool{}
	for n := range out {
		given[n] = true
	}
	if err := f.disambiguate(given); err != nil {
		return nil, err
	}
	return out, nil
}

// checkParam returns what v should have been, or "" when it is of type t.
func checkParam(t FieldType, v string) string {
	var err error
	switch t {
	case TypeInteger:
		_, err = strconv.ParseInt(v, 10, 64)
		return failed(err, "an integer")
	case TypeDouble:
		f, err := strconv.ParseFloat(v, 64)
		if err == nil && (math.IsNaN(f) || math.IsInf(f, 0)) {
			return "a finite number"
		}
		return failed(err, "a number")
	case TypeBoolean:
		if v != "true" && v != "false" {
			return "true or false"
		}
	case TypeDate:
		_, err = time.Parse(time.DateOnly, v)
		return failed(err, "a date (YYYY-MM-DD)")
	case TypeTimestamp:
		_, err = time.Parse(time.RFC3339, v)
		return failed(err, "an RFC 3339 timestamp")
	case TypeJSON:
		if !json.Valid([]byte(v)) {
			return "JSON"
		}
	}
	if len(v) > maxParamLength || !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
		return fmt.Sprintf("UTF-8 text of at most %d bytes", maxParamLength)
	}
	return ""
}

func failed(err error, want string) string {
	if err != nil {
		return want
	}
	return ""
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// Call is the function called with the given values, in named notation
// (parameters left out take their defaults); lead are the arguments
// before them (a tile function's z, x, y) and bind binds the value of the
// named parameter and returns its placeholder. The values are sent as text and cast to the
// parameter's type by PostgreSQL.
func (l Layer) Call(lead []string, given map[string]string, bind func(param string) string) string {
	args := append([]string(nil), lead...)
	for _, p := range l.Source.Function.Params {
		if _, ok := given[p.Name]; ok {
			args = append(args, pgx.Identifier{p.Name}.Sanitize()+" => "+bind(p.Name)+"::text::"+p.Type)
		}
	}
	return pgx.Identifier{l.Source.Schema, l.Source.Relation}.Sanitize() + "(" + strings.Join(args, ", ") + ")"
}
