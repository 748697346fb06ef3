package layers

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/sit-gis/sit/domain"
)

// changeKind gives a layer another kind without re-importing it. The
// table takes the new kind's canonical columns: those it has (under their
// canonical names) are kept, widened to the canonical type where that is
// lossless (an integer foglio becomes text); derived ones (area_m2,
// speed_band) are computed; the others are added empty. A layer with none
// of the kind's own columns is refused: its data are not of that kind, and
// a re-import with --kind maps the file's names onto the canonical ones.
// The version is bumped: tiles and styles depend on the kind.
func changeKind(ctx context.Context, tx pgx.Tx, l *Layer, k Kind) error {
	if k == l.Kind {
		return nil
	}
	if err := checkKindFits(*l, k); err != nil {
		return err
	}
	if err := dropView(ctx, tx, l.Name); err != nil {
		return err
	}
	if err := addCanonical(ctx, tx, l, k); err != nil {
		return err
	}
	canon := map[string]bool{}
	for _, f := range CanonicalFields(k) {
		canon[f.Name] = true
	}
	for i := range l.Properties {
		l.Properties[i].Canonical = canon[l.Properties[i].Name]
	}
	sortProperties(l.Properties)
	props, err := json.Marshal(l.Properties)
	if err != nil {
		return err
	}
	temporal := ""
	if k == KindBroadband {
		temporal = "snapshot"
	}
	err = tx.QueryRow(ctx, `UPDATE sit.layers SET kind = $2, properties = $3, temporal_property = NULLIF($4, ''),
		temporal_extent = CASE WHEN $4 = '' THEN NULL ELSE temporal_extent END, version = version + 1
		WHERE name = $1 RETURNING version`, l.Name, string(k), props, temporal).Scan(&l.Version)
	if err != nil {
		return fmt.Errorf("change the kind of %s: %w", l.Name, err)
	}
	if k == KindBroadband {
		if _, err := tx.Exec(ctx, `UPDATE sit.layers SET temporal_extent = (SELECT ARRAY[min(snapshot)::timestamptz, max(snapshot)::timestamptz]
			FROM `+versionIdent(l.Table)+`) WHERE name = $1`, l.Name); err != nil {
			return fmt.Errorf("temporal extent of %s: %w", l.Name, err)
		}
	}
	l.Kind = k
	// A new version on the same table; the view shows the added columns.
	return publishVersion(ctx, tx, l.Name, l.Table, 0, nil)
}

// checkKindFits refuses a kind whose own columns the layer has none of,
// and canonical columns of a type that cannot become the canonical one.
func checkKindFits(l Layer, k Kind) error {
	found := 0
	var bad, names []string
	for _, f := range CanonicalFields(k) {
		names = append(names, f.Name)
		p, ok := l.Property(f.Name)
		if !ok {
			continue
		}
		found++
		if widenTo(p.Type, f.Type) == "" {
			bad = append(bad, fmt.Sprintf("%s is %s, not %s", f.Name, p.Type, f.Type))
		}
	}
	own := len(CanonicalFields(k)) - len(domain.DerivedColumns(k))
	switch {
	case len(bad) > 0:
		return fmt.Errorf("layer %s cannot become %s: %s; re-import it with --kind %s", l.Name, k, strings.Join(bad, ", "), k)
	case own > 0 && found == 0:
		return fmt.Errorf("layer %s cannot become %s: it has none of the columns of that kind (%s); re-import it with --kind %s (the profile maps the file's own names onto them, or give --mapping)",
			l.Name, k, strings.Join(names, ", "), k)
	}
	return nil
}

// widenTo is the SQL type a column of type from becomes to turn into
// type to without loss; "" when it cannot.
func widenTo(from, to FieldType) string {
	switch {
	case from == to, to == TypeText, to == TypeDouble && from == TypeInteger, to == TypeTimestamp && from == TypeDate:
		return to.SQL()
	}
	return ""
}

// addCanonical gives the table every canonical column of k: converts the
// ones of another type, computes the derived ones, adds the rest empty.
func addCanonical(ctx context.Context, tx pgx.Tx, l *Layer, k Kind) error {
	ident := versionIdent(l.Table)
	for _, f := range CanonicalFields(k) {
		col := quoteIdent(f.Name)
		if p, ok := l.Property(f.Name); ok {
			if p.Type == f.Type {
				continue
			}
			if _, err := tx.Exec(ctx, "ALTER TABLE "+ident+" ALTER COLUMN "+col+" TYPE "+widenTo(p.Type, f.Type)+" USING "+col+"::"+f.Type.SQL()); err != nil {
				return fmt.Errorf("convert %s of %s to %s: %w", f.Name, l.Name, f.Type, err)
			}
			setPropertyType(l, f.Name, f.Type)
			continue
		}
		if _, err := tx.Exec(ctx, "ALTER TABLE "+ident+" ADD COLUMN "+col+" "+f.Type.SQL()); err != nil {
			return fmt.Errorf("add %s to %s: %w", f.Name, l.Name, err)
		}
		if expr, ok := derivedColumn(*l, k, f.Name); ok {
			if _, err := tx.Exec(ctx, "UPDATE "+ident+" SET "+col+" = "+expr); err != nil {
				return fmt.Errorf("compute %s of %s: %w", f.Name, l.Name, err)
			}
		}
		l.Properties = append(l.Properties, Property{Name: f.Name, Type: f.Type, Queryable: f.Type != TypeJSON})
	}
	return nil
}

// derivedColumn is the SQL computing a derived canonical column over the
// layer's own table (the rules the loader applies), when the columns it
// needs are there.
func derivedColumn(l Layer, k Kind, name string) (string, bool) {
	_, hasDown := l.Property("max_down_mbps")
	switch {
	case k == KindCadastral && name == "area_m2":
		return "ST_Area(geom::geography)", true
	case k == KindBroadband && name == "speed_band" && hasDown:
		return "sit.speed_band(max_down_mbps)", true
	case k == KindBroadband && name == "area_class" && hasDown:
		return "sit.area_class(max_down_mbps)", true
	}
	return "", false
}

func setPropertyType(l *Layer, name string, t FieldType) {
	for i := range l.Properties {
		if l.Properties[i].Name == name {
			l.Properties[i].Type = t
		}
	}
}
