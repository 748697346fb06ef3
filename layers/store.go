package layers

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Delete removes a layer: its view, the tables of all its versions, its
// catalog entry (the import history and the version numbers stay).
func (s *Store) Delete(ctx context.Context, name string) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		l, err := GetLayer(ctx, tx, name)
		if err != nil {
			return err
		}
		if err := dropAll(ctx, tx, l); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM sit.layers WHERE name = $1", name); err != nil {
			return err
		}
		return notifyCatalog(ctx, tx, map[string]any{"layer": name, "deleted": true})
	})
}

// Patch changes a layer's metadata; nil fields stay as they are.
type Patch struct {
	Title, Description, Attribution *string
	MinZoom, MaxZoom                *int
	Roles                           *[]string
	Style                           json.RawMessage
	// Kind changes what the layer holds (see changeKind).
	Kind *Kind
	// Visibility says who sees the layer; Comune moves it to a comune
	// ("" makes it province-wide).
	Visibility *Visibility
	Comune     *string
}

// apply changes l by the patch's plain fields and checks them.
func (p Patch) apply(l *Layer) error {
	for _, f := range []struct{ dst, v *string }{{&l.Title, p.Title}, {&l.Description, p.Description},
		{&l.Attribution, p.Attribution}, {&l.Comune, p.Comune}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	if p.MinZoom != nil {
		l.MinZoom = *p.MinZoom
	}
	if p.MaxZoom != nil {
		l.MaxZoom = *p.MaxZoom
	}
	if p.Roles != nil {
		l.Roles = *p.Roles
	}
	if p.Visibility != nil {
		v, err := ParseVisibility(string(*p.Visibility))
		if err != nil {
			return err
		}
		l.Visibility = v
	}
	if p.Style != nil {
		var v map[string]any
		if err := json.Unmarshal(p.Style, &v); err != nil {
			return fmt.Errorf("style: a JSON object: %w", err)
		}
		l.Style = p.Style
	}
	if l.MinZoom < 0 || l.MaxZoom > 24 || l.MinZoom > l.MaxZoom {
		return fmt.Errorf("zooms must satisfy 0 <= min (%d) <= max (%d) <= 24", l.MinZoom, l.MaxZoom)
	}
	return nil
}

// Update applies a patch and notifies the servers, and returns the layer
// as it now is. Metadata changes do not bump the data version; the tile
// cache keys carry updated_at and the visibility, so no tile made before
// the change is served after it.
func (s *Store) Update(ctx context.Context, name string, p Patch) (Layer, error) {
	var out Layer
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT 1 FROM sit.layers WHERE name = $1 FOR UPDATE", name); err != nil {
			return err
		}
		l, err := GetLayer(ctx, tx, name)
		if err != nil {
			return err
		}
		if err := p.apply(&l); err != nil {
			return err
		}
		if p.Kind != nil {
			if err := changeKind(ctx, tx, &l, *p.Kind); err != nil {
				return err
			}
		}
		if err := CheckRoles(l.Kind, l.Roles); err != nil {
			return fmt.Errorf("layer %s: %w", name, err)
		}
		var style any
		if l.Style != nil {
			style = []byte(l.Style)
		}
		if _, err := tx.Exec(ctx, `UPDATE sit.layers SET title = $2, description = $3, attribution = $4, min_zoom = $5,
			max_zoom = $6, roles = $7, style = $8, visibility = $9, comune = NULLIF($10, ''), updated_at = now() WHERE name = $1`,
			name, l.Title, l.Description, l.Attribution, l.MinZoom, l.MaxZoom, l.Roles, style, string(l.Visibility), l.Comune); err != nil {
			return fmt.Errorf("update %s: %w", name, err)
		}
		if out, err = GetLayer(ctx, tx, name); err != nil {
			return err
		}
		return notifyCatalog(ctx, tx, map[string]any{"layer": name, "version": l.Version})
	})
	return out, err
}

// ImportRecord is one row of the import history (sit.import_history: an
// import whose process died reads as interrupted at once).
type ImportRecord struct {
	ID         int64
	Layer      string
	SourceName string
	Format     string
	Status     string
	// Phase is the last phase the import entered: staging, building,
	// indexing, appending, committing, done.
	Phase      string
	StartedAt  time.Time
	FinishedAt *time.Time
	Read       int64
	Loaded     int64
	Rejected   int64
	Repaired   int64
	Version    *int64
	Message    string
}

// Imports lists the latest imports, of one layer or of all ("").
func (s *Store) Imports(ctx context.Context, layer string, limit int) ([]ImportRecord, error) {
	if layer == "" {
		return s.ImportsOf(ctx, nil, limit)
	}
	return s.ImportsOf(ctx, []string{layer}, limit)
}

// ImportsOf lists the latest imports of some layers (nil: all).
func (s *Store) ImportsOf(ctx context.Context, names []string, limit int) ([]ImportRecord, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, layer, source_name, format, status, phase, started_at, finished_at, read_count,
		loaded_count, rejected_count, repaired_count, version, message FROM sit.import_history
		WHERE $1::text[] IS NULL OR layer = ANY($1) ORDER BY id DESC LIMIT $2`, names, limit)
	if err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (ImportRecord, error) {
		var r ImportRecord
		err := row.Scan(&r.ID, &r.Layer, &r.SourceName, &r.Format, &r.Status, &r.Phase, &r.StartedAt, &r.FinishedAt, &r.Read,
			&r.Loaded, &r.Rejected, &r.Repaired, &r.Version, &r.Message)
		return r, err
	})
}
