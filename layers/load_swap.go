package layers

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// swap puts the newly built table in place of the live one, inside the
// import's transaction: the previous table is dropped and the new one
// renamed to the layer's name (with its identity sequence). Readers keep
// seeing the previous version until COMMIT.
func (l *loader) swap(ctx context.Context, tx pgx.Tx, existing *Layer, built, live string, fidType FieldType) error {
	old := dataIdent(live)
	if existing != nil {
		old = dataIdent(existing.Table)
	}
	if _, err := tx.Exec(ctx, "DROP TABLE IF EXISTS "+old); err != nil {
		return fmt.Errorf("drop previous version: %w", err)
	}
	if _, err := tx.Exec(ctx, "ALTER TABLE "+dataIdent(built)+" RENAME TO "+quoteIdent(live)); err != nil {
		return fmt.Errorf("swap: %w", err)
	}
	if fidType == TypeInteger {
		// The identity sequence keeps the built table's name: rename it too.
		if _, err := tx.Exec(ctx, "ALTER SEQUENCE IF EXISTS "+dataIdent(built+"_fid_seq")+" RENAME TO "+quoteIdent(live+"_fid_seq")); err != nil {
			return fmt.Errorf("rename sequence: %w", err)
		}
	}
	return nil
}
