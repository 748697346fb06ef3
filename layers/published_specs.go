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
	rows, err := q.Query(ctx, `SELECT schema_name, relation, key_column, geometry_column, visibility, kind, roles, declared_by
		FROM sit.published ORDER BY schema_name, relation`)
	if err != nil {
		return nil, fmt.Errorf("published sources: %w", err)
	}
	specs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (PublishSpec, error) {
		var s PublishSpec
		var vis, kind, by string
		err := r.Scan(&s.Schema, &s.Relation, &s.Key, &s.Geometry, &vis, &kind, &s.Roles, &by)
		s.Visibility, s.Kind, s.By = Visibility(vis), Kind(kind), DeclaredBy(by)
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("published sources: %w", err)
	}
	return specs, nil
}

// ConfigPlan is what sit publish --from-config does: Publish the file's
// sources (Changed those the database publishes otherwise or not at all),
// Unpublish those the file declared before and no longer names, Keep
// those declared by hand or through the API (never touched by the file).
type ConfigPlan struct {
	Publish, Unpublish, Keep []PublishSpec
	Changed                  map[string]bool
}

// PlanConfig compares declared specs (the configuration file's, already
// Normal) with the database's (PublishedSpecs).
func PlanConfig(want, have []PublishSpec) ConfigPlan {
	p := ConfigPlan{Publish: want, Changed: map[string]bool{}}
	byName := map[string]PublishSpec{}
	for _, h := range have {
		byName[h.Source()] = h
	}
	declared := map[string]bool{}
	for _, w := range want {
		declared[w.Source()] = true
		if h, ok := byName[w.Source()]; !ok || !sameSpec(w, h) {
			p.Changed[w.Source()] = true
		}
	}
	for _, h := range have {
		switch {
		case declared[h.Source()]:
		case h.By == ByConfig:
			p.Unpublish = append(p.Unpublish, h)
		default:
			p.Keep = append(p.Keep, h)
		}
	}
	return p
}

// PublishDrift compares declared specs (the configuration file's, already
// Normal) with the database's: one line per difference, each saying what
// makes them equal. NoTrack and Mercator are not compared (the database
// keeps the triggers and columns, not the wish).
func PublishDrift(want, have []PublishSpec) []string {
	var out []string
	byName := map[string]PublishSpec{}
	for _, h := range have {
		byName[h.Source()] = h
	}
	p := PlanConfig(want, have)
	for _, w := range want {
		h, ok := byName[w.Source()]
		switch {
		case !ok:
			out = append(out, w.Source()+": in the configuration, not published (run sit publish --from-config)")
		case p.Changed[w.Source()]:
			out = append(out, fmt.Sprintf("%s: published with %s, the configuration says %s (run sit publish --from-config)",
				w.Source(), specOptions(h), specOptions(w)))
		}
	}
	for _, h := range p.Unpublish {
		out = append(out, h.Source()+": published from the configuration, no longer in it (sit publish --from-config unpublishes it)")
	}
	for _, h := range p.Keep {
		out = append(out, h.Source()+": "+h.By.Describe()+", not in the configuration (kept; sit publish --remove "+h.Source()+" unpublishes it)")
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
