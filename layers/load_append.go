package layers

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// appendInto adds the staged features to the live table. New attributes
// become new columns; broadband snapshots carried by the import replace
// the same snapshots already stored, so that re-importing a file is harmless.
func (l *loader) appendInto(ctx context.Context, tx pgx.Tx, existing Layer, cols []column) error {
	l.enter("appending")
	if err := l.nextVersion(ctx, tx); err != nil {
		return err
	}
	// An append writes into the current table: the new version shares it.
	l.table = existing.Table
	ident := versionIdent(existing.Table)
	geomType := existing.GeometryType
	if geomType != "Geometry" {
		// A geometry of another type cannot enter a typed column.
		for _, tc := range l.geom.seen() {
			if !compatible(geomType, tc.Type) {
				return l.fail("cannot append %s geometries (first at record %d) to a %s layer", tc.Type, tc.First, geomType)
			}
		}
	}
	if err := dropView(ctx, tx, existing.Name); err != nil {
		return err
	}
	if err := l.alignColumns(ctx, tx, existing, cols); err != nil {
		return err
	}
	if existing.Kind == KindBroadband {
		if _, err := tx.Exec(ctx, "DELETE FROM "+ident+" WHERE snapshot IN (SELECT DISTINCT (s.props->>'snapshot')::date FROM "+l.stageIdent()+" s)"); err != nil {
			return fmt.Errorf("replace snapshot: %w", err)
		}
	}
	if err := l.insertStaged(ctx, tx, existing, cols); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "ANALYZE "+ident); err != nil {
		return err
	}
	// The property list: existing columns, then the new ones.
	l.enter("committing")
	if err := l.updateCatalog(ctx, tx, &existing, mergeColumns(existing.Properties, cols), geomType, existing.FIDType); err != nil {
		return err
	}
	// The view shows the columns the append added.
	return l.publish(ctx, tx)
}

// alignColumns adds the columns the live table lacks, and settles each
// column's type: the stored one when the new values fit it, else text
// (the live column is widened). It updates cols in place.
func (l *loader) alignColumns(ctx context.Context, tx pgx.Tx, existing Layer, cols []column) error {
	ident := versionIdent(existing.Table)
	current := map[string]FieldType{}
	for _, p := range existing.Properties {
		current[p.Name] = p.Type
	}
	for i, c := range cols {
		ft, ok := current[c.Name]
		if !ok {
			if _, err := tx.Exec(ctx, "ALTER TABLE "+ident+" ADD COLUMN "+quoteIdent(c.Name)+" "+c.Type.SQL()); err != nil {
				return fmt.Errorf("add column %s: %w", c.Name, err)
			}
			continue
		}
		if ft == c.Type {
			continue
		}
		if widen(ft, c.Type) == ft {
			cols[i].Type = ft
			continue
		}
		if _, err := tx.Exec(ctx, "ALTER TABLE "+ident+" ALTER COLUMN "+quoteIdent(c.Name)+" TYPE text"); err != nil {
			return fmt.Errorf("widen column %s: %w", c.Name, err)
		}
		cols[i].Type = TypeText
	}
	return nil
}

// insertStaged copies the staged features into the live table, counting
// those left out for want of a usable geometry.
func (l *loader) insertStaged(ctx context.Context, tx pgx.Tx, existing Layer, cols []column) error {
	lateral, args := l.geometryExprs(existing.GeometryType)
	fidCol, fidExpr := "", ""
	if existing.FIDType == TypeText {
		fidCol, fidExpr = "fid, ", fmt.Sprintf("coalesce(s.src_id, 'i%d.' || s.rec), ", l.res.ImportID)
	}
	insert := "INSERT INTO " + versionIdent(existing.Table) + " (" + fidCol + strings.Join(append(colNames(cols), "geom", "geom_3857"), ", ") + ")" +
		" SELECT " + fidExpr + strings.Join(append(selectList(existing.Kind, cols), "g.g", "ST_Transform(g.g, 3857)"), ", ") +
		" FROM " + l.stageIdent() + " s " + lateral + " WHERE g.g IS NOT NULL AND NOT ST_IsEmpty(g.g) ORDER BY s.rec"
	tag, err := tx.Exec(ctx, insert, args...)
	if err != nil {
		return fmt.Errorf("append features: %w", err)
	}
	l.res.Loaded = tag.RowsAffected()
	var staged int64
	if err := tx.QueryRow(ctx, "SELECT count(*) FROM "+l.stageIdent()).Scan(&staged); err != nil {
		return err
	}
	if missing := staged - l.res.Loaded; missing > 0 {
		l.res.Rejected += missing
		l.res.Errors = append(l.res.Errors, RecordError{Reason: fmt.Sprintf("%d records without a usable geometry were not appended", missing)})
	}
	return nil
}

// compatible tells whether a geometry of type geom fits a column of type table.
func compatible(table, geom string) bool {
	switch table {
	case "MultiPolygon":
		return geom == "Polygon" || geom == "MultiPolygon"
	case "MultiLineString":
		return geom == "LineString" || geom == "MultiLineString"
	case "MultiPoint":
		return geom == "Point" || geom == "MultiPoint"
	case "Point":
		return geom == "Point"
	}
	return true
}

// widen returns the type that holds values of both types.
func widen(a, b FieldType) FieldType {
	if a == b {
		return a
	}
	if (a == TypeDouble && b == TypeInteger) || (a == TypeInteger && b == TypeDouble) {
		return TypeDouble
	}
	if a == TypeTimestamp && b == TypeDate {
		return TypeTimestamp
	}
	return TypeText
}

// mergeColumns lists the existing properties (with the import's column
// where it has one) then the import's new columns.
func mergeColumns(existing []Property, cols []column) []column {
	seen := map[string]bool{}
	var out []column
	byName := map[string]column{}
	for _, c := range cols {
		byName[c.Name] = c
	}
	for _, p := range existing {
		c, ok := byName[p.Name]
		if !ok {
			c = column{Name: p.Name, Source: p.Title, Type: p.Type, Canon: p.Canonical}
			if c.Source == "" {
				c.Source = p.Name
			}
		}
		out = append(out, c)
		seen[p.Name] = true
	}
	for _, c := range cols {
		if !seen[c.Name] {
			out = append(out, c)
		}
	}
	return out
}
