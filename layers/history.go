package layers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
)

// Version is one version of a layer in its history: valid from ValidFrom
// until ValidTo (nil: still current), its table kept or dropped by the
// retention policy, pinned when an issued certificate recorded it.
type Version struct {
	Layer        string     `json:"layer"`
	Version      int64      `json:"version"`
	Table        string     `json:"table"`
	ImportID     *int64     `json:"import_id,omitempty"`
	SourceName   string     `json:"source_name,omitempty"`
	FeatureCount int64      `json:"feature_count"`
	CreatedAt    time.Time  `json:"created_at"`
	ValidFrom    time.Time  `json:"valid_from"`
	ValidTo      *time.Time `json:"valid_to,omitempty"`
	DroppedAt    *time.Time `json:"dropped_at,omitempty"`
	Pinned       bool       `json:"pinned"`
}

// ErrNoVersion is returned when a layer has no version at a date: none yet,
// or one whose table the retention policy dropped.
var ErrNoVersion = errors.New("no version at that date")

// History lists a layer's versions, oldest first.
func History(ctx context.Context, q Querier, layer string) ([]Version, error) {
	rows, err := q.Query(ctx, `SELECT layer, version, table_name, import_id, coalesce(source_name, ''), feature_count, created_at,
			valid_from, valid_to, dropped_at, pinned FROM sit.layer_history WHERE layer = $1 ORDER BY version`, layer)
	if err != nil {
		return nil, fmt.Errorf("history of %s: %w", layer, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Version, error) {
		var v Version
		err := r.Scan(&v.Layer, &v.Version, &v.Table, &v.ImportID, &v.SourceName, &v.FeatureCount, &v.CreatedAt,
			&v.ValidFrom, &v.ValidTo, &v.DroppedAt, &v.Pinned)
		return v, err
	})
}

// AsOf returns the layer as it was at the instant at: the version valid
// then, with its table and the catalog entry it had (columns, kind), or
// l itself when that is the current version. ErrNoVersion (wrapped, with
// the dates) when the layer had none yet, or when its table was dropped.
func AsOf(ctx context.Context, q Querier, l Layer, at time.Time) (Layer, error) {
	var v Version
	var catalog []byte
	err := q.QueryRow(ctx, `SELECT version, table_name, valid_from, dropped_at, catalog FROM sit.layer_versions
		WHERE layer = $1 AND valid_from <= $2 ORDER BY valid_from DESC, version DESC LIMIT 1`, l.Name, at).
		Scan(&v.Version, &v.Table, &v.ValidFrom, &v.DroppedAt, &catalog)
	if errors.Is(err, pgx.ErrNoRows) {
		var first *time.Time
		if err := q.QueryRow(ctx, `SELECT min(valid_from) FROM sit.layer_versions WHERE layer = $1`, l.Name).Scan(&first); err != nil {
			return l, fmt.Errorf("history of %s: %w", l.Name, err)
		}
		if first == nil {
			return l, nil // a layer without a recorded history: only its present
		}
		return l, fmt.Errorf("%w: layer %s begins on %s", ErrNoVersion, l.Name, first.In(Rome()).Format("02/01/2006 15:04"))
	}
	if err != nil {
		return l, fmt.Errorf("history of %s: %w", l.Name, err)
	}
	if v.Version == l.Version && v.Table == l.Table {
		return l, nil
	}
	if v.DroppedAt != nil {
		return l, fmt.Errorf("%w: version %d of %s (valid from %s) was dropped by the retention policy on %s",
			ErrNoVersion, v.Version, l.Name, v.ValidFrom.In(Rome()).Format("02/01/2006"), v.DroppedAt.In(Rome()).Format("02/01/2006"))
	}
	old := l
	old.Version, old.Table = v.Version, v.Table
	if len(catalog) > 0 {
		if err := applyCatalog(&old, catalog); err != nil {
			return l, fmt.Errorf("version %d of %s: %w", v.Version, l.Name, err)
		}
	}
	return old, nil
}

// applyCatalog sets the fields a version's catalog entry recorded (its
// columns, kind, title, roles, extent, updated time) on l.
func applyCatalog(l *Layer, raw []byte) error {
	var c struct {
		Title        string          `json:"title"`
		Kind         string          `json:"kind"`
		GeometryType string          `json:"geometry_type"`
		FIDType      string          `json:"fid_type"`
		FeatureCount int64           `json:"feature_count"`
		Extent       []float64       `json:"extent"`
		Properties   json.RawMessage `json:"properties"`
		UpdatedAt    time.Time       `json:"updated_at"`
		Roles        []string        `json:"roles"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return err
	}
	l.Title, l.Kind, l.GeometryType, l.FIDType, l.FeatureCount, l.UpdatedAt = c.Title, Kind(c.Kind), c.GeometryType, FieldType(c.FIDType), c.FeatureCount, c.UpdatedAt
	if c.Roles != nil {
		l.Roles = c.Roles
	}
	l.Extent = nil
	if len(c.Extent) == 4 {
		l.Extent = &[4]float64{c.Extent[0], c.Extent[1], c.Extent[2], c.Extent[3]}
	}
	l.Properties = nil
	if len(c.Properties) > 0 {
		return json.Unmarshal(c.Properties, &l.Properties)
	}
	return nil
}

// checkValidFrom refuses a --valid-from in the future or before the
// layer's current version's: versions follow each other in time.
func checkValidFrom(ctx context.Context, q Querier, layer string, t *time.Time) error {
	if t == nil {
		return nil
	}
	var now time.Time
	var last *time.Time
	if err := q.QueryRow(ctx, `SELECT clock_timestamp(), (SELECT max(valid_from) FROM sit.layer_versions WHERE layer = $1)`, layer).Scan(&now, &last); err != nil {
		return fmt.Errorf("valid from: %w", err)
	}
	if t.After(now) {
		return fmt.Errorf("valid from %s is in the future", t.In(Rome()).Format("02/01/2006 15:04"))
	}
	if last != nil && t.Before(*last) {
		return fmt.Errorf("valid from %s precedes the current version of %s (valid from %s): versions follow each other in time",
			t.In(Rome()).Format("02/01/2006"), layer, last.In(Rome()).Format("02/01/2006 15:04"))
	}
	return nil
}

// Fixed is the catalog as it was at an instant: each layer's version then.
// It serves the questions about a past date (reports, lookups) in place of
// the live catalog; layers that had no version then are left out, and
// those whose version was dropped are named in Gone with the reason.
type Fixed struct {
	At     time.Time
	list   []Layer
	byName map[string]Layer
	Gone   map[string]error
}

// CatalogAt resolves every layer of ls as of at (one query per layer).
func CatalogAt(ctx context.Context, q Querier, ls []Layer, at time.Time) (*Fixed, error) {
	f := &Fixed{At: at, byName: map[string]Layer{}, Gone: map[string]error{}}
	for _, l := range ls {
		old, err := AsOf(ctx, q, l, at)
		if errors.Is(err, ErrNoVersion) {
			f.Gone[l.Name] = err
			continue
		}
		if err != nil {
			return nil, err
		}
		f.list = append(f.list, old)
		f.byName[old.Name] = old
	}
	return f, nil
}

// Layers returns the layers as they were, in name order. The context is
// not read: ls, given to CatalogAt, was already the request's view.
func (f *Fixed) Layers(context.Context) []Layer { return f.list }

// Layer returns one layer as it was.
func (f *Fixed) Layer(_ context.Context, name string) (Layer, bool) {
	l, ok := f.byName[name]
	return l, ok
}

// Why explains why a layer is missing at the date ("" when it is not).
func (f *Fixed) Why(name string) string {
	if err, ok := f.Gone[name]; ok {
		return err.Error()
	}
	return ""
}

// CatalogVersions is the catalog of exactly the recorded versions: for
// each layer of versions, that version with its catalog entry (columns,
// kind, roles as they were), found in ls when the layer still exists.
// Layers not in versions are left out. A version whose table is gone is
// named in Gone (the question cannot be answered from the same data).
func CatalogVersions(ctx context.Context, q Querier, ls []Layer, versions map[string]int64) (*Fixed, error) {
	f := &Fixed{byName: map[string]Layer{}, Gone: map[string]error{}}
	live := map[string]Layer{}
	for _, l := range ls {
		live[l.Name] = l
	}
	for name, version := range versions {
		l, err := pinnedVersion(ctx, q, live[name], name, version)
		if errors.Is(err, ErrNoVersion) {
			f.Gone[name] = err
			continue
		}
		if err != nil {
			return nil, err
		}
		f.list = append(f.list, l)
		f.byName[name] = l
	}
	sort.Slice(f.list, func(i, j int) bool { return f.list[i].Name < f.list[j].Name })
	return f, nil
}

// pinnedVersion reads one recorded version of a layer; base is the live
// layer (zero when it was removed since).
func pinnedVersion(ctx context.Context, q Querier, base Layer, name string, version int64) (Layer, error) {
	var table string
	var dropped *time.Time
	var catalog []byte
	err := q.QueryRow(ctx, `SELECT table_name, dropped_at, catalog FROM sit.layer_versions WHERE layer = $1 AND version = $2`,
		name, version).Scan(&table, &dropped, &catalog)
	if errors.Is(err, pgx.ErrNoRows) {
		return base, fmt.Errorf("%w: version %d of %s is not recorded", ErrNoVersion, version, name)
	}
	if err != nil {
		return base, fmt.Errorf("version %d of %s: %w", version, name, err)
	}
	if dropped != nil {
		return base, fmt.Errorf("%w: version %d of %s was dropped on %s", ErrNoVersion, version, name, dropped.In(Rome()).Format("02/01/2006"))
	}
	l := base
	l.Name, l.Version, l.Table = name, version, table
	if len(catalog) > 0 {
		if err := applyCatalog(&l, catalog); err != nil {
			return base, fmt.Errorf("version %d of %s: %w", version, name, err)
		}
	}
	return l, nil
}
