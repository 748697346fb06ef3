package layers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// PublishedSpecs reads what sit.published declares, ordered by source.
// The reader role may run it (sit serve compares it with the file).
func PublishedSpecs(ctx context.Context, q Querier) ([]PublishSpec, error) {
	rows, err := q.Query(ctx, `SELECT schema_name, relation, key_column, geometry_column, visibility, kind, roles
		FROM sit.published ORDER BY schema_name, relation`)
	if err != nil {
		return nil, fmt.Errorf("published sources: %w", err)
	}
	specs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (PublishSpec, error) {
		var s PublishSpec
		var vis, kind string
		err := r.Scan(&s.Schema, &s.Relation, &s.Key, &s.Geometry, &vis, &kind, &s.Roles)
		s.Visibility, s.Kind = Visibility(vis), Kind(kind)
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("published sources: %w", err)
	}
	return specs, nil
}

// PublishDrift compares declared specs (the configuration file's, already
// Normal) with the database's: one line per difference, each saying what
// makes them equal. NoTrack is not compared (the database keeps the
// triggers, not the wish).
func PublishDrift(want, have []PublishSpec) []string {
	var out []string
	byName := map[string]PublishSpec{}
	for _, h := range have {
		byName[h.Source()] = h
	}
	declared := map[string]bool{}
	for _, w := range want {
		declared[w.Source()] = true
		h, ok := byName[w.Source()]
		switch {
		case !ok:
			out = append(out, w.Source()+": in the configuration, not published (run sit publish --from-config)")
		case !sameSpec(w, h):
			out = append(out, fmt.Sprintf("%s: published with %s, the configuration says %s (run sit publish --from-config)",
				w.Source(), specOptions(h), specOptions(w)))
		}
	}
	for _, h := range have {
		if !declared[h.Source()] {
			out = append(out, h.Source()+": published, not in the configuration (kept; sit publish --remove "+h.Source()+" unpublishes it)")
		}
	}
	return out
}

func sameSpec(a, b PublishSpec) bool {
	return a.Key == b.Key && a.Geometry == b.Geometry && a.Visibility == b.Visibility && a.Kind == b.Kind &&
		slices.Equal(a.Roles, b.Roles)
}

// specOptions spells a spec's options for a message.
func specOptions(s PublishSpec) string {
	parts := []string{"visibility " + string(s.Visibility), "kind " + string(s.Kind)}
	if len(s.Roles) > 0 {
		parts = append(parts, "roles "+strings.Join(s.Roles, ","))
	}
	if s.Key != "" {
		parts = append(parts, "key "+s.Key)
	}
	if s.Geometry != "" {
		parts = append(parts, "geometry "+s.Geometry)
	}
	return strings.Join(parts, ", ")
}
