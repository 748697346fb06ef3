package layers

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// A published table outside EPSG:3857 gets a tile copy SIT keeps itself
// (migration 0843): sit_copies.t_<oid>, the table's key, its other
// non-geometry columns and ST_Transform(geom, 3857), with a GiST index,
// kept exact by four statement-level triggers with transition tables in
// the editing transaction. Tiles read it as they read an import's
// geom_3857 (Layer.OnTileCopy); everything else reads the table. A
// trigger that cannot keep the copy (the table changed) marks it stale
// and never fails the office's statement; tiles then transform the rows
// until the catalog's pass (KeepTileCopies) rebuilds it.

// TileCopySchema is the schema of the tile copies (owned by SIT's owner
// role, read by the reader role).
const TileCopySchema = "sit_copies"

// copyFailedRetry is how long a copy whose build failed, on a table whose
// columns have not changed since, waits before the next attempt (a build
// locks the table's writes for its fill: a row PROJ cannot transform must
// not have them locked every minute); copyLockRetry when the build gave up
// waiting for the table's lock (copyLockTimeout, in its reason: a long
// transaction of the office's).
const (
	copyFailedRetry = "10 minutes"
	copyLockRetry   = "1 minute"
	copyLockTimeout = "lock timeout"
)

// copyRow is what publishedSQL says of a table's tile copy.
type copyRow struct {
	oid int64
	// wanted: the source's tile_copy option (sit publish --no-tile-copy
	// clears it); refused: inheritance children or row-level security.
	wanted, refused bool
	// The copy's row in sit.tile_copies ("" state: none).
	state, reason, key, geom string
	// current: built from the table's present columns; recent: its state
	// changed less than copyFailedRetry ago; present: its table and its
	// four triggers are there.
	current, recent, present bool
}

// tilePath chooses how tiles get the row's geometry in Web Mercator and
// says why (Source.TilePath): the copy when it is usable (Source.TileCopy),
// else a stored column or a transform of every row; buildCopy when a
// copy should be (re)built. several: the relation has several geometry
// columns and none is chosen.
func (r publishedRow) tilePath(src *Source, several bool) {
	src.Relid = r.copy.oid
	transform := "transform every row from EPSG:" + strconv.Itoa(r.srid)
	c := r.copy
	why := ""
	src.copyCandidate = r.srid != 3857 && !(r.merc != "" && r.mercIndexed) && r.relkind == "r" && c.wanted && !c.refused && !several && src.Key != ""
	switch {
	case r.srid == 3857:
		src.TilePath = "the " + string(src.Origin) + "'s own geometry (EPSG:3857)"
		return
	case r.merc != "" && r.mercIndexed:
		src.TilePath = "the table's stored column " + r.merc + " (EPSG:3857)"
		return
	case r.relkind == "p":
		why = "a partitioned table has no tile copy (edits through a partition would bypass its triggers)"
	case r.relkind != "r":
		why = "a " + string(src.Origin) + " has no tile copy"
	case !c.wanted:
		why = "no_tile_copy: the office declined the tile copy"
	case c.refused:
		why = "no tile copy of a table with inheritance children or row-level security"
	case several:
		why = "no tile copy of a relation with several geometry columns (choose one: --geometry)"
	case src.Key == "":
		why = "no tile copy without a key"
	case !src.Tracked:
		why = "no tile copy of an untracked table (--no-track, or SIT may not install triggers on it)"
	case c.state == "ok" && c.current && c.present && c.key == src.Key && c.geom == r.geom:
		src.TileCopy = "t_" + strconv.FormatInt(c.oid, 10)
		src.TilePath = "SIT's tile copy " + TileCopySchema + "." + src.TileCopy + " (EPSG:3857, kept by triggers in each edit)"
		return
	case c.state == "failed" && c.current && c.recent && c.key == src.Key && c.geom == r.geom:
		retry := copyFailedRetry
		if strings.Contains(c.reason, copyLockTimeout) {
			retry = copyLockRetry
		}
		src.copyFailed = true
		why = "the tile copy could not be built (" + c.reason + "); tried again when the table's columns change, after " + retry +
			", or at the next sit publish"
	default:
		src.buildCopy = true
		why = c.pending()
	}
	src.TilePath = transform + " (" + why + ")"
}

// pending says why a wanted copy is not usable yet.
func (c copyRow) pending() string {
	switch {
	case c.state == "":
		return "the tile copy is being built"
	case c.state == "stale":
		return "the tile copy went stale (" + c.reason + "): being rebuilt"
	case !c.current:
		return "the table's columns changed: the tile copy is being rebuilt"
	case c.state == "failed":
		return "the tile copy is being built again after: " + c.reason
	}
	return "the tile copy or its triggers are missing: being rebuilt"
}

// OnTileCopy is the layer as its tiles read it: from its tile copy, whose
// geometry column holds the geometry in EPSG:3857 with its own index (so
// no transform, no affine fit), when it has a usable one; else as it is.
func (l Layer) OnTileCopy() Layer {
	if l.Source.TileCopy == "" {
		return l
	}
	l.Source.Schema, l.Source.Relation = TileCopySchema, l.Source.TileCopy
	l.Source.Geom3857, l.Source.Indexed3857 = l.Source.Geometry, true
	return l
}

// TileCopyIdent is the layer's tile copy as an identifier (nil: none).
func (l Layer) TileCopyIdent() pgx.Identifier {
	if l.Source.TileCopy == "" {
		return nil
	}
	return pgx.Identifier{TileCopySchema, l.Source.TileCopy}
}

// copyBuildTimeout bounds one build of a tile copy (its fill and index,
// as long as the table is big): the serving role's statement timeout is
// for requests, not for this.
const copyBuildTimeout = "15min"

// beginner is what runs the copies' functions: a pool (the owner's, or
// the reader's, whose sessions are read-only by default).
type beginner interface {
	BeginTx(ctx context.Context, o pgx.TxOptions) (pgx.Tx, error)
}

// KeepTileCopies builds the tile copies ls found wanting (none yet, stale,
// the table's columns changed), each in a transaction of its own (the
// table's writes wait for that one fill), and drops the copies of tables
// dropped, unpublished or opted out. It reports whether it changed
// anything (the builds notify every server). The reader role may run it:
// the functions it calls are SIT's owner's, and build only copies of
// published tables the reader reads; the transactions are read-write
// (the reader's default is read-only, a guard against mistakes, not a
// right).
func KeepTileCopies(ctx context.Context, db beginner, ls []Layer) (bool, error) {
	changed := false
	for _, l := range ls {
		if !l.Source.buildCopy {
			continue
		}
		var why string
		if err := inCopyTx(ctx, db, &why, "SELECT sit.tile_copy_build($1::oid, $2, $3)", l.Source.Relid, l.Source.Geometry, l.Source.Key); err != nil {
			return changed, fmt.Errorf("tile copy of %s: %w", l.Name, err)
		}
		changed = true
	}
	var pruned int
	if err := inCopyTx(ctx, db, &pruned, "SELECT sit.tile_copies_prune()"); err != nil {
		return changed, fmt.Errorf("tile copies: prune: %w", err)
	}
	return changed || pruned > 0, nil
}

// copyWanted reports whether a layer of ls wants its tile copy built.
func copyWanted(ls []Layer) bool {
	for _, l := range ls {
		if l.Source.buildCopy {
			return true
		}
	}
	return false
}

// inCopyTx runs one of the copies' functions in a read-write transaction
// of its own, bounded by copyBuildTimeout, scanning its result into dest.
func inCopyTx(ctx context.Context, db beginner, dest any, sql string, args ...any) error {
	tx, err := db.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadWrite})
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck
	if _, err := tx.Exec(ctx, "SET LOCAL statement_timeout = '"+copyBuildTimeout+"'"); err != nil {
		return err
	}
	if err := tx.QueryRow(ctx, sql, args...).Scan(dest); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
