package layers

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// PartsSpec makes a layer's new version of parts (the comuni of a bulk
// download, told apart by Column): the features the import stages are
// the parts it reloads, and the rows of the Keep parts are copied from
// the current version as they are — same fid, same values, same
// geometry bytes — so that a release that changed one comune rebuilds
// the table without touching the others' data. The new version is still
// a table of its own (readers of the previous one never wait), built in
// the import's transaction.
type PartsSpec struct {
	// Column is the canonical column holding each row's part key (comune).
	Column string
	// Keep are the keys whose rows are copied from the current version.
	Keep []string
	// Records, called once the features are staged, lists the parts of
	// the new version with what the import did with each (recorded in
	// sit.import_parts).
	Records func() []PartRecord
}

// copyKept adds to the new table the rows of the kept parts of the current
// version, adding the columns only they have. It returns the columns of
// the new version.
func (l *loader) copyKept(ctx context.Context, tx pgx.Tx, existing *Layer, cols []column, fidType FieldType) ([]column, error) {
	p := l.spec.Parts
	if p == nil || len(p.Keep) == 0 || existing == nil {
		return cols, nil
	}
	if existing.FIDType != fidType {
		return nil, l.fail("the kept comuni's rows have %s feature ids and the reloaded ones %s: re-import the whole layer with --replace", existing.FIDType, fidType)
	}
	if _, ok := existing.Property(p.Column); !ok {
		return nil, l.fail("layer %s has no %s column to tell its parts apart: re-import it with --replace", existing.Name, p.Column)
	}
	nw, old := versionIdent(l.table), existing.Ident().Sanitize()
	if err := l.checkKept(ctx, tx, nw, old); err != nil {
		return nil, err
	}
	cols, err := l.addKeptColumns(ctx, tx, nw, existing, cols)
	if err != nil {
		return nil, err
	}
	names, sel := []string{"fid"}, []string{"o.fid"}
	for _, c := range cols {
		names = append(names, quoteIdent(c.Name))
		if _, ok := existing.Property(c.Name); ok {
			sel = append(sel, "o."+quoteIdent(c.Name)+"::"+c.Type.SQL())
		} else {
			sel = append(sel, "NULL::"+c.Type.SQL())
		}
	}
	names = append(names, "geom", "geom_3857")
	sel = append(sel, "o.geom", "o.geom_3857")
	tag, err := tx.Exec(ctx, "INSERT INTO "+nw+" ("+strings.Join(names, ", ")+") SELECT "+strings.Join(sel, ", ")+
		" FROM "+old+" o WHERE o."+quoteIdent(p.Column)+" = ANY($1) ORDER BY o.fid", p.Keep)
	if err != nil {
		return nil, fmt.Errorf("copy the rows of the unchanged comuni: %w", err)
	}
	l.res.Kept = tag.RowsAffected()
	return cols, nil
}

// checkKept refuses a reloaded row that claims a kept part, or shares its
// feature id with a kept row: the two would be one feature twice.
func (l *loader) checkKept(ctx context.Context, tx pgx.Tx, nw, old string) error {
	p := l.spec.Parts
	col := quoteIdent(p.Column)
	var fid string
	err := tx.QueryRow(ctx, "SELECT n.fid::text FROM "+nw+" n WHERE n."+col+" = ANY($1) UNION ALL SELECT n.fid::text FROM "+nw+" n JOIN "+old+
		" o ON o.fid = n.fid WHERE o."+col+" = ANY($1) LIMIT 1", p.Keep).Scan(&fid)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("check the kept comuni: %w", err)
	}
	return l.fail("feature %s is both in a reloaded file and among the rows kept from another comune: re-import the whole layer with --replace", fid)
}

// addKeptColumns adds to the new table the columns the current version
// has and the reloaded parts do not, so the kept rows lose nothing.
func (l *loader) addKeptColumns(ctx context.Context, tx pgx.Tx, nw string, existing *Layer, cols []column) ([]column, error) {
	have := map[string]bool{}
	for _, c := range cols {
		have[c.Name] = true
	}
	for _, p := range existing.Properties {
		if have[p.Name] {
			continue
		}
		if _, err := tx.Exec(ctx, "ALTER TABLE "+nw+" ADD COLUMN "+quoteIdent(p.Name)+" "+p.Type.SQL()); err != nil {
			return nil, fmt.Errorf("add column %s: %w", p.Name, err)
		}
		src := p.Title
		if src == "" {
			src = p.Name
		}
		cols = append(cols, column{Name: p.Name, Source: src, Type: p.Type, Canon: p.Canonical})
	}
	return cols, nil
}
