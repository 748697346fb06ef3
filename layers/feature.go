package layers

import (
	"fmt"
	"io"
	"time"

	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/domain"
)

// Feature is one record of a source, as an importer hands it to the loader.
// Geometry is in the source CRS; the loader transforms it in PostGIS.
type Feature struct {
	// Record is the 1-based position of the record in its source; rejection
	// reports quote it so that a user can find the record in the file.
	Record int64
	// ID is the source's own identifier, "" when the source has none.
	ID string
	// Geometry in the source CRS; nil when the record has none.
	Geometry orb.Geometry
	// Props holds the attributes. Values are nil, string, int64, float64,
	// bool, time.Time, or anything encoding/json can marshal (stored as jsonb).
	Props map[string]any
}

// FieldType is the SQL-facing type of an attribute column.
type FieldType string

const (
	TypeText      FieldType = "text"
	TypeInteger   FieldType = "integer"
	TypeDouble    FieldType = "double"
	TypeBoolean   FieldType = "boolean"
	TypeDate      FieldType = "date"
	TypeTimestamp FieldType = "timestamp"
	TypeJSON      FieldType = "json"
)

// SQL returns the PostgreSQL type used to store the field.
func (t FieldType) SQL() string {
	switch t {
	case TypeInteger:
		return "bigint"
	case TypeDouble:
		return "double precision"
	case TypeBoolean:
		return "boolean"
	case TypeDate:
		return "date"
	case TypeTimestamp:
		return "timestamptz"
	case TypeJSON:
		return "jsonb"
	default:
		return "text"
	}
}

// JSONSchemaType is the JSON Schema "type" of the field (queryables, OpenAPI).
func (t FieldType) JSONSchemaType() string {
	switch t {
	case TypeInteger:
		return "integer"
	case TypeDouble:
		return "number"
	case TypeBoolean:
		return "boolean"
	case TypeJSON:
		return "object"
	default:
		return "string"
	}
}

// Field declares an attribute of a source. An empty Type asks the loader to
// infer it from the values it sees.
type Field struct {
	Name string
	Type FieldType
}

// RecordError is a problem with one record only: the reader that returns it
// has skipped the record and can go on. Any other error from a reader is fatal.
type RecordError struct {
	Record int64  `json:"record"`
	Reason string `json:"reason"`
}

func (e *RecordError) Error() string { return fmt.Sprintf("record %d: %s", e.Record, e.Reason) }

// FeatureReader streams the features of one source layer. Next returns
// io.EOF after the last feature, a *RecordError for a skipped record, and any
// other error when the source cannot be read further.
type FeatureReader interface {
	Next() (Feature, error)
	Close() error
}

// SplitReader is a FeatureReader that ends in a step of its own on each
// feature (renaming attributes, say) which reads nothing but that feature
// and may run concurrently on different ones. Split returns the reader
// beneath and the step: the loader then runs the step on all cores, in
// record order, where it prepares the records.
type SplitReader interface {
	FeatureReader
	Split() (FeatureReader, func(Feature) Feature)
}

// Kind tells what a layer holds (domain.Kind: the vocabulary's one definition).
type Kind = domain.Kind

// The kinds, as the catalog stores them.
const (
	KindCadastral  = domain.KindCadastral
	KindZoning     = domain.KindZoning
	KindConstraint = domain.KindConstraint
	KindBroadband  = domain.KindBroadband
	KindBoundary   = domain.KindBoundary
	KindAddress    = domain.KindAddress
	KindGeneric    = domain.KindGeneric
)

// ParseKind validates a kind name (domain.ParseKind); "" is generic.
func ParseKind(s string) (Kind, error) { return domain.ParseKind(s) }

// CanonicalFields are the columns every layer of a kind has
// (domain.CanonicalColumns), typed for storage. Derived columns (area_m2,
// speed_band, area_class) are computed by the loader in SQL.
func CanonicalFields(k Kind) []Field {
	var out []Field
	for _, c := range domain.CanonicalColumns(k) {
		out = append(out, Field{Name: c.Name, Type: FieldType(c.Type)})
	}
	return out
}

// IsDateOnly reports whether t carries no time of day (used for date columns).
func IsDateOnly(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// SliceReader serves features held in memory: derived layers, and the
// fixtures of the tests of every package that loads data.
type SliceReader struct {
	feats []Feature
	i     int
}

// NewSliceReader reads feats in order.
func NewSliceReader(feats []Feature) *SliceReader { return &SliceReader{feats: feats} }

// Next returns the next feature, io.EOF after the last.
func (r *SliceReader) Next() (Feature, error) {
	if r.i >= len(r.feats) {
		return Feature{}, io.EOF
	}
	r.i++
	return r.feats[r.i-1], nil
}

// Close does nothing: there is nothing to release.
func (r *SliceReader) Close() error { return nil }
