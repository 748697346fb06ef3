package layers

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Execer is a pool or a connection that reads and changes the schema.
type Execer interface {
	Querier
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// readerSchemas are the schemas whose tables sit_reader may read: the
// catalog, the published views and the versions behind them.
var readerSchemas = []string{"sit", "sit_data", "sit_versions"}

// GrantReaderDefaults makes the connected role's future tables in SIT's
// schemas readable by sit_reader, as migrations 0002 and 0501 did for the
// role that first ran them. A restore under another owner role needs it:
// default privileges belong to the role that set them and pg_dump's copy
// of them names the old owner.
func GrantReaderDefaults(ctx context.Context, db Execer) error {
	for _, s := range readerSchemas {
		var exists bool
		if err := db.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", s).Scan(&exists); err != nil {
			return fmt.Errorf("schema %s: %w", s, err)
		}
		if !exists {
			continue
		}
		if _, err := db.Exec(ctx, "ALTER DEFAULT PRIVILEGES IN SCHEMA "+pgx.Identifier{s}.Sanitize()+" GRANT SELECT ON TABLES TO sit_reader"); err != nil {
			return fmt.Errorf("default privileges of %s: %w", s, err)
		}
	}
	return nil
}
