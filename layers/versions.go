package layers

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Retention says how long a layer's old versions keep their tables: the
// history a question about a past date can read. A version's table is
// dropped once it is neither among the Keep newest versions nor retired
// less than Grace ago, unless an issued certificate recorded it. Grace covers every reader that
// may still use an older catalog snapshot: a server refreshes its catalog
// on the import's notification, or at the latest after catalogPoll, and a
// request runs at most its --request-timeout (60 s by default).
type Retention struct {
	Keep  int
	Grace time.Duration
}

// DefaultRetention keeps the current and the previous version, and any
// version replaced less than ten minutes ago.
func DefaultRetention() Retention { return Retention{Keep: 2, Grace: 10 * time.Minute} }

// HistoryRetention is the policy of the history settings: keep the
// newest versions, and those retired less than days ago (0: by number
// only); never less than DefaultRetention, which readers need.
func HistoryRetention(versions, days int) Retention {
	r := DefaultRetention()
	r.Keep = max(r.Keep, versions)
	r.Grace = max(r.Grace, time.Duration(days)*24*time.Hour)
	return r
}

// WithRetention returns a store that keeps versions as r says.
func (s *Store) WithRetention(r Retention) *Store {
	c := *s
	c.keep = r
	return &c
}

// dropLockTimeout bounds how long dropping an old version waits for a
// reader still on it: the drop gives up (and is tried again after the next
// import) rather than queue in front of that reader's successors.
const dropLockTimeout = "200ms"

// collect drops the tables of the layer's versions that Retention lets go.
// It runs after an import commits, in transactions of its own; a table
// that a reader still holds is left for the next time. Errors are logged:
// an import that committed has succeeded.
func (s *Store) collect(ctx context.Context, layer string) {
	rows, err := s.pool.Query(ctx, `WITH v AS (SELECT version, table_name, retired_at FROM sit.layer_versions
			WHERE layer = $1 AND dropped_at IS NULL),
		kept AS (SELECT table_name FROM v WHERE retired_at IS NULL OR retired_at > now() - $3 * interval '1 millisecond'
				OR version > (SELECT max(version) FROM v) - $2
			UNION SELECT table_name FROM sit.layers WHERE name = $1
			-- a version an issued certificate recorded is kept for good
			UNION SELECT v.table_name FROM v JOIN sit.pinned_versions p ON p.layer = $1 AND p.version = v.version)
		SELECT DISTINCT table_name FROM v WHERE table_name NOT IN (SELECT table_name FROM kept)`,
		layer, s.keep.Keep, s.keep.Grace.Milliseconds())
	if err != nil {
		s.log.Warn("old versions: list", "layer", layer, "err", err)
		return
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		s.log.Warn("old versions: list", "layer", layer, "err", err)
		return
	}
	for _, t := range tables {
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SET LOCAL lock_timeout = '"+dropLockTimeout+"'"); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "DROP TABLE IF EXISTS "+versionIdent(t)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "UPDATE sit.layer_versions SET dropped_at = now() WHERE layer = $1 AND table_name = $2", layer, t)
			return err
		})
		if err != nil {
			s.log.Info("old version kept for now", "layer", layer, "table", t, "err", err)
			continue
		}
		s.log.Debug("old version dropped", "layer", layer, "table", t)
	}
}

// dropAll removes every table and the view of a layer, inside tx.
func dropAll(ctx context.Context, tx pgx.Tx, l Layer) error {
	if _, err := tx.Exec(ctx, "DROP VIEW IF EXISTS "+dataIdent(l.Name)); err != nil {
		return fmt.Errorf("drop the view of %s: %w", l.Name, err)
	}
	rows, err := tx.Query(ctx, `SELECT table_name FROM sit.layer_versions WHERE layer = $1 AND dropped_at IS NULL
		UNION SELECT $2`, l.Name, l.Table)
	if err != nil {
		return err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, t := range tables {
		if _, err := tx.Exec(ctx, "DROP TABLE IF EXISTS "+versionIdent(t)); err != nil {
			return fmt.Errorf("drop %s: %w", t, err)
		}
	}
	_, err = tx.Exec(ctx, `UPDATE sit.layer_versions SET dropped_at = now(), retired_at = coalesce(retired_at, now())
		WHERE layer = $1 AND dropped_at IS NULL`, l.Name)
	return err
}
