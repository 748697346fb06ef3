package ingest

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sit-gis/sit/crs"
	"github.com/sit-gis/sit/importers/broadband"
	"github.com/sit-gis/sit/importers/profile"
	"github.com/sit-gis/sit/layers"
)

// Request is an import as a user asks for it. Every field arrives as text,
// a switch or a list, exactly as command-line flags or HTTP form fields
// carry them; Prepare checks them all. Field names in errors (FieldError)
// are the flag and form names given in the comments.
type Request struct {
	// Path is the file to read. SourceName is the name the user knows it
	// by (an upload is stored under another name); default: Path's base name.
	Path       string
	SourceName string

	Layer       string   // layer: the layer name; default derived from the file
	Kind        string   // kind: cadastral, zoning, …, or TABLE=KIND,… per table; default generic or the format's
	Roles       []string // role: the layer's parts in domain queries; TABLE=ROLE for one table
	Title       string   // title
	Description string   // description
	Attribution string   // attribution
	Synthetic   bool     // synthetic: demo data

	SRID      string // srid: the source CRS, an EPSG code or a PROJ string
	ForceSRID bool   // force-srid: use SRID even where the file declares another CRS
	Replace   bool   // replace: replace the layer (the default, except broadband)
	Append    bool   // append: append to the layer
	Snapshot  string // snapshot: YYYY-MM-DD for broadband records that carry none
	ValidFrom string // valid-from: the date (or RFC 3339 instant) the data describe; default the commit

	Format    string // format: force a reader
	Table     string // table: one table/member of a multi-table source
	Encoding  string // encoding: text encoding of dBase/CSV attributes
	CSVWKT    string // csv-wkt
	CSVLon    string // csv-lon
	CSVLat    string // csv-lat
	Delimiter string // delimiter: , ; | or tab

	SwapAxes     bool   // swap-axes: the file stores y before x (latitude first)
	ExpectedArea string // expected-area: W,S,E,N where the data should be (default Italy), or "any"
	Mixed        string // mixed: what to do with mixed geometry types: refuse (default), keep, split

	// An archive (the cadastre's bulk download): which comuni (Belfiore
	// code or name) and provinces (two-letter code) to import, and the
	// date of the release when the archive does not say it. The command
	// line has one --comune: for any other file, its one value is the
	// comune owning a new layer (Comune; see Plan.checkArchiveFlags).
	Comuni      []string // comune, repeatable
	Provinces   []string // province, repeatable
	ReleaseDate string   // release-date: YYYY-MM-DD

	Mapping      string   // mapping: the text of a mapping (source = canonical per line, or JSON)
	Join         string   // join: LAYER.COLUMN=PROPERTY
	Filters      []string // filter: PROPERTY=VALUE, repeatable
	FailOnReject bool     // fail-on-reject

	Comune     string // comune: the comune owning a layer the import creates ("" province-wide)
	Visibility string // visibility: public, professional or internal, of a layer the import creates
}

// FieldError is a request field that cannot be used. Field is the flag or
// form name, so that the CLI can say --layer and an HTTP handler can name
// the parameter in its problem.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(field string, err error) error { return &FieldError{Field: field, Err: err} }

func fieldErrf(field, format string, args ...any) error {
	return &FieldError{Field: field, Err: fmt.Errorf(format, args...)}
}

// settings are the request's fields, parsed.
type settings struct {
	kind      layers.Kind
	kindSet   bool
	kinds     map[string]layers.Kind // per table (--kind TABLE=KIND,…)
	roles     []string               // for every table
	roleMap   map[string][]string    // per table (--role TABLE=ROLE)
	srs       crs.Source
	snapshot  time.Time
	validFrom *time.Time
	delim     rune
	join      *layers.GeometryJoin
	filters   map[string]string
	mapping   map[string]string
	area      *crs.Box // nil: no area check
	mixed     string
	vis       layers.Visibility
	released  time.Time
}

// parse checks every field that needs no file and no database.
func (r Request) parse() (settings, error) {
	var s settings
	var err error
	if s.srs, err = crs.ParseSource(r.SRID); err != nil {
		return s, fieldErr("srid", err)
	}
	if s.vis, err = layers.ParseVisibility(r.Visibility); err != nil {
		return s, fieldErr("visibility", err)
	}
	if r.Comune != "" {
		if err := layers.ValidateSlug(r.Comune); err != nil {
			return s, fieldErr("comune", err)
		}
	}
	if err := s.parseKinds(r.Kind); err != nil {
		return s, err
	}
	if err := s.parseRoles(r.Roles); err != nil {
		return s, err
	}
	if r.Layer != "" {
		if err := layers.ValidateName(r.Layer); err != nil {
			return s, fieldErr("layer", err)
		}
	}
	if r.Replace && r.Append {
		return s, fieldErr("replace", errors.New("--replace and --append exclude each other"))
	}
	if s.snapshot, err = r.parseSnapshot(); err != nil {
		return s, err
	}
	if r.ValidFrom != "" {
		t, err := parseValidFrom(r.ValidFrom)
		if err != nil {
			return s, fieldErr("valid-from", err)
		}
		s.validFrom = &t
	}
	if s.delim, err = parseDelimiter(r.Delimiter); err != nil {
		return s, err
	}
	if s.join, err = parseJoin(r.Join); err != nil {
		return s, err
	}
	if s.filters, err = parseFilters(r.Filters); err != nil {
		return s, err
	}
	if s.area, err = parseArea(r.ExpectedArea); err != nil {
		return s, err
	}
	if err := r.parseSelection(&s); err != nil {
		return s, err
	}
	switch r.Mixed {
	case "", MixedRefuse, MixedKeep, MixedSplit:
		s.mixed = r.Mixed
	default:
		return s, fieldErrf("mixed", "%q: want refuse, keep or split", r.Mixed)
	}
	return s, r.parseMapping(&s)
}

// parseSelection checks what picks the parts of an archive: the release
// date, the comuni and the provinces.
func (r Request) parseSelection(s *settings) error {
	if r.ReleaseDate != "" {
		var err error
		if s.released, err = time.Parse(time.DateOnly, r.ReleaseDate); err != nil {
			return fieldErrf("release-date", "%q: want a date YYYY-MM-DD", r.ReleaseDate)
		}
	}
	for _, c := range r.Comuni {
		if strings.TrimSpace(c) == "" {
			return fieldErrf("comune", "empty: give a Belfiore code (E715) or a name (Lucca)")
		}
	}
	for _, pr := range r.Provinces {
		if len(strings.TrimSpace(pr)) != 2 {
			return fieldErrf("province", "%q: give the province's two-letter code (LU), the name of its zip in the download", pr)
		}
	}
	return nil
}

// parseMapping reads the user's attribute mapping and, for a one-kind
// import, checks it against the kind's columns.
func (r Request) parseMapping(s *settings) error {
	if r.Mapping == "" {
		return nil
	}
	var err error
	if s.mapping, err = profile.ParseMapping([]byte(r.Mapping)); err != nil {
		return fieldErr("mapping", err)
	}
	if s.kinds == nil {
		if err := profile.ValidateMapping(s.kind, s.mapping); err != nil {
			return fieldErr("mapping", err)
		}
	}
	return nil
}

func (r Request) sourceName() string {
	if r.SourceName != "" {
		return r.SourceName
	}
	return baseName(r.Path)
}

// parseSnapshot reads --snapshot, else takes the date the file name carries.
func (r Request) parseSnapshot() (time.Time, error) {
	if r.Snapshot == "" {
		t, _ := broadband.SnapshotFromName(r.sourceName())
		return t, nil
	}
	t, err := time.Parse("2006-01-02", r.Snapshot)
	if err != nil {
		return t, fieldErrf("snapshot", "%q: want a date YYYY-MM-DD", r.Snapshot)
	}
	return t, nil
}

func parseDelimiter(d string) (rune, error) {
	switch d {
	case "":
		return 0, nil
	case "tab", `\t`, "\t":
		return '\t', nil
	case ",", ";", "|":
		return rune(d[0]), nil
	}
	return 0, fieldErrf("delimiter", "%q: want , ; | or tab", d)
}

func parseJoin(j string) (*layers.GeometryJoin, error) {
	if j == "" {
		return nil, nil
	}
	lc, prop, ok := strings.Cut(j, "=")
	ln, col, ok2 := strings.Cut(lc, ".")
	if !ok || !ok2 || ln == "" || col == "" || prop == "" {
		return nil, fieldErrf("join", "%q: want LAYER.COLUMN=PROPERTY", j)
	}
	if err := layers.ValidateName(ln); err != nil {
		return nil, fieldErr("join", err)
	}
	return &layers.GeometryJoin{Layer: ln, Column: col, Property: prop}, nil
}

func parseFilters(fs []string) (map[string]string, error) {
	out := map[string]string{}
	for _, f := range fs {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" {
			return nil, fieldErrf("filter", "%q: want PROPERTY=VALUE", f)
		}
		out[k] = v
	}
	return out, nil
}

// What to do with a dataset holding points, lines and polygons together.
const (
	// MixedRefuse fails the import, saying which types and where (default).
	MixedRefuse = "refuse"
	// MixedKeep makes one layer of the generic type Geometry.
	MixedKeep = "keep"
	// MixedSplit makes one layer per type: <layer>_points, _lines, _polygons.
	MixedSplit = "split"
)

func parseArea(a string) (*crs.Box, error) {
	switch strings.ToLower(strings.TrimSpace(a)) {
	case "":
		it := crs.Italy()
		return &it, nil
	case "any", "none":
		return nil, nil
	}
	b, err := crs.ParseBox(a)
	if err != nil {
		return nil, fieldErr("expected-area", err)
	}
	return &b, nil
}

// parseKinds reads --kind: one kind for the file, or TABLE=KIND pairs
// separated by commas for a file of several tables.
func (s *settings) parseKinds(v string) error {
	s.kind, s.kindSet = layers.KindGeneric, false
	if !strings.Contains(v, "=") {
		k, err := layers.ParseKind(v)
		if err != nil {
			return fieldErr("kind", err)
		}
		s.kind, s.kindSet = k, v != ""
		return nil
	}
	s.kinds = map[string]layers.Kind{}
	for _, pair := range strings.Split(v, ",") {
		table, kind, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok || table == "" {
			return fieldErrf("kind", "%q: want KIND, or TABLE=KIND pairs separated by commas", v)
		}
		k, err := layers.ParseKind(kind)
		if err != nil {
			return fieldErr("kind", err)
		}
		s.kinds[strings.ToLower(table)] = k
	}
	return nil
}

// parseRoles reads --role: ROLE for every table, or TABLE=ROLE for one.
func (s *settings) parseRoles(vs []string) error {
	var names []string
	for _, v := range vs {
		table, role, ok := strings.Cut(v, "=")
		if !ok {
			s.roles = append(s.roles, v)
			names = append(names, v)
			continue
		}
		if table == "" || role == "" {
			return fieldErrf("role", "%q: want ROLE or TABLE=ROLE", v)
		}
		if s.roleMap == nil {
			s.roleMap = map[string][]string{}
		}
		s.roleMap[strings.ToLower(table)] = append(s.roleMap[strings.ToLower(table)], role)
		names = append(names, role)
	}
	if err := layers.CheckRoleNames(names); err != nil {
		return fieldErr("role", err)
	}
	return nil
}

// parseValidFrom reads --valid-from: a date is the start of that day in
// Italian time (the data hold from that day), else an RFC 3339 instant.
func parseValidFrom(v string) (time.Time, error) {
	if d, err := layers.ParseDay(v); err == nil {
		return layers.StartOfDay(d), nil
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(v))
	if err != nil {
		return t, fmt.Errorf("%q: want a date YYYY-MM-DD or an RFC 3339 instant", v)
	}
	return t, nil
}
