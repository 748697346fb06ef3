package layers

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// nextVersion numbers the import's version and names its table. Versions
// never repeat, even after the layer was removed (sit.layer_versions keeps
// its rows), because tile ETags and caches key on them. The layer's import
// lock is held: no other import numbers this layer meanwhile.
func (l *loader) nextVersion(ctx context.Context, tx pgx.Tx) error {
	if err := tx.QueryRow(ctx, `SELECT greatest(coalesce((SELECT version FROM sit.layers WHERE name = $1), 0),
		coalesce((SELECT max(version) FROM sit.layer_versions WHERE layer = $1), 0)) + 1`, l.spec.Layer).Scan(&l.version); err != nil {
		return fmt.Errorf("next version: %w", err)
	}
	l.table = versionTable(l.spec.Layer, l.version)
	return nil
}

// versionTable names the table of a layer's version: a layer name has at
// most 48 characters, so the name fits PostgreSQL's 63.
func versionTable(layer string, version int64) string { return fmt.Sprintf("%s_v%d", layer, version) }

// publish makes l.table the layer's current version, inside the import's
// transaction, after the catalog row names it (see publishVersion).
func (l *loader) publish(ctx context.Context, tx pgx.Tx) error {
	if err := checkValidFrom(ctx, tx, l.spec.Layer, l.spec.ValidFrom); err != nil {
		return l.fail("%v", err)
	}
	return publishVersion(ctx, tx, l.spec.Layer, l.table, l.res.ImportID, l.spec.ValidFrom)
}

// publishVersion records, inside tx, the version the catalog row of layer
// now names (in table): the view sit_data.<layer> reads it from now on, and
// sit.layer_versions records it (importID 0 for none; validFrom nil for
// its commit), retiring the previous version. The previous table is not touched: readers whose
// catalog snapshot is older keep reading it until they refresh, and it is
// dropped later (Store.collect). Only people and tools reading the view
// can delay this step (they hold the view, not the tables).
func publishVersion(ctx context.Context, tx pgx.Tx, layer, table string, importID int64, validFrom *time.Time) error {
	view := dataIdent(layer)
	var kind string
	if err := tx.QueryRow(ctx, "SELECT coalesce((SELECT relkind::text FROM pg_class WHERE oid = to_regclass($1)), '')", view).Scan(&kind); err != nil {
		return err
	}
	switch kind {
	case "v":
		if _, err := tx.Exec(ctx, "DROP VIEW "+view); err != nil {
			return fmt.Errorf("replace the view %s: %w", view, err)
		}
	case "r":
		// A table of the layer's name that no catalog row uses any more.
		if _, err := tx.Exec(ctx, "DROP TABLE "+view); err != nil {
			return fmt.Errorf("drop %s: %w", view, err)
		}
	}
	if _, err := tx.Exec(ctx, "CREATE VIEW "+view+" AS SELECT * FROM "+versionIdent(table)); err != nil {
		return fmt.Errorf("view %s: %w", view, err)
	}
	if err := grantReader(ctx, tx, view); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "UPDATE sit.layer_versions SET retired_at = now() WHERE layer = $1 AND retired_at IS NULL", layer); err != nil {
		return err
	}
	// The version is valid from its commit (the clock now: publishing is
	// the import's last step), or from the date its data describe.
	_, err := tx.Exec(ctx, `INSERT INTO sit.layer_versions (layer, version, table_name, import_id, feature_count, valid_from, catalog)
		SELECT name, version, table_name, NULLIF($2, 0), feature_count, coalesce($3, clock_timestamp()), to_jsonb(l) FROM sit.layers l WHERE name = $1`,
		layer, importID, validFrom)
	if err != nil {
		return fmt.Errorf("record version: %w", err)
	}
	return nil
}

// dropView removes the view of a layer before its table's columns change
// type (PostgreSQL refuses to alter a column a view uses); publishVersion
// makes it again, with the new columns, in the same transaction.
func dropView(ctx context.Context, tx pgx.Tx, layer string) error {
	if _, err := tx.Exec(ctx, "DROP VIEW IF EXISTS "+dataIdent(layer)); err != nil {
		return fmt.Errorf("drop the view of %s: %w", layer, err)
	}
	return nil
}
