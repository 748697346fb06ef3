package layers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// loader carries one import through its transaction.
type loader struct {
	ctx  context.Context
	spec ImportSpec
	r    FeatureReader
	log  *slog.Logger
	res  *ImportResult

	started    time.Time
	stageTable string
	// version is the one this import makes; table holds it (a new table
	// for a replace, the current one for an append).
	version int64
	table   string
	// phase is where the import is (sit.imports.phase); recordPhase
	// writes it outside the transaction.
	phase       string
	recordPhase func(string)

	// staged counts the rows in the staging table.
	staged   int64
	trackers map[string]*typeTracker
	declared map[string]FieldType
	canon    map[string]FieldType
	// canonList is CanonicalFields of the kind, in order.
	canonList []Field
	check     geomCheck
	geom      geomStats
	ids       idTracker
	// direct is true while the records go straight into the version's
	// table (load_direct.go); the preparing workers read it.
	direct atomic.Bool
}

// idTracker decides whether the source's ids can be the stable fid.
type idTracker struct {
	all, allInt bool
	seen        int64
	// increasing is true while every integer id exceeds the one before:
	// they are then unique without asking PostgreSQL.
	increasing bool
	last       int64
}

// run is the transaction of one import: lock the layer, stage the features,
// then replace the layer or append to it, and announce the new version.
// Cancelling ctx (Ctrl-C, SIGTERM) cancels the statement in flight; the
// rollback then leaves the previous version in place.
func (l *loader) run(tx pgx.Tx) error {
	ctx := l.ctx
	existing, err := l.begin(ctx, tx)
	if err != nil {
		return err
	}
	l.enter("staging")
	l.stageTable = fmt.Sprintf("_stage_%d", l.res.ImportID)
	direct, err := l.load(ctx, tx, existing)
	if err != nil {
		return err
	}
	if err := l.checkRange(); err != nil {
		return err
	}
	if l.res.Read == 0 || l.res.Read == l.res.Rejected {
		return l.fail("no usable features in %s (%d read, %d rejected)%s", l.spec.Source.Name, l.res.Read, l.res.Rejected, firstErrors(l.res.Errors))
	}
	if err := l.checkStaged(ctx, tx, existing); err != nil {
		return err
	}
	cols := l.columns()
	switch {
	case direct != nil:
		err = l.finishDirect(ctx, tx, existing, direct)
	case existing != nil && l.spec.Mode == ModeAppend:
		err = l.appendInto(ctx, tx, *existing, cols)
	default:
		err = l.replace(ctx, tx, existing, cols, l.geometryType())
	}
	if err != nil {
		return err
	}
	if l.spec.FailOnReject && l.res.Rejected > 0 {
		return l.fail("%d of %d records rejected and --fail-on-reject is set%s", l.res.Rejected, l.res.Read, firstErrors(l.res.Errors))
	}
	l.enter("committing")
	if _, err := tx.Exec(ctx, "DROP TABLE IF EXISTS "+dataIdent(l.stageTable+"_bad")); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "DROP TABLE IF EXISTS "+l.stageIdent()); err != nil {
		return err
	}
	payload, _ := json.Marshal(map[string]any{"layer": l.spec.Layer, "version": l.res.Version})
	if _, err := tx.Exec(ctx, "SELECT pg_notify($1, $2)", NotifyChannel, string(payload)); err != nil {
		return err
	}
	if err := l.recordRelease(ctx, tx); err != nil {
		return err
	}
	// Last: the row is now locked by this transaction until it ends, and
	// a phase written from outside would wait for it.
	return l.recordSuccess(ctx, tx)
}

// load streams the records into the version's table (the direct load,
// returned) or, when the import may not or cannot go that way, into the
// staging table (nil).
func (l *loader) load(ctx context.Context, tx pgx.Tx, existing *Layer) (*directSource, error) {
	l.startStream()
	l.direct.Store(l.directEligible(existing))
	pipe := newStagePipe(l)
	defer pipe.close()
	var held *prepared
	if l.direct.Load() {
		src, err := l.loadDirect(ctx, tx, pipe)
		if err != nil || src.held == nil {
			if l.spec.Progress != nil && err == nil {
				l.spec.Progress(l.res.Read)
			}
			return src, err
		}
		held = src.held
	} else if err := l.createStaging(ctx, tx); err != nil {
		return nil, err
	}
	return nil, l.stage(ctx, tx, pipe, held)
}

// enter records that the import moves on to a phase.
func (l *loader) enter(phase string) {
	if l.phase == phase {
		return
	}
	l.phase = phase
	if l.recordPhase != nil {
		l.recordPhase(phase)
	}
}

// recordSuccess closes the import's row inside its transaction: the
// success and the new version become visible together, or not at all.
func (l *loader) recordSuccess(ctx context.Context, tx pgx.Tx) error {
	errorsJSON, _ := json.Marshal(l.res.Errors)
	_, err := tx.Exec(ctx, `UPDATE sit.imports SET finished_at = clock_timestamp(), status = 'succeeded', phase = 'done',
		read_count = $2, loaded_count = $3, rejected_count = $4, repaired_count = $5, errors = $6, version = $7 WHERE id = $1`,
		l.res.ImportID, l.res.Read, l.res.Loaded, l.res.Rejected, l.res.Repaired, errorsJSON, l.res.Version)
	if err != nil {
		return fmt.Errorf("record the import: %w", err)
	}
	return nil
}

// begin takes the layer's import lock and reads the layer as it is (nil
// when it does not exist yet). An append takes the existing layer's kind.
func (l *loader) begin(ctx context.Context, tx pgx.Tx) (*Layer, error) {
	// A dead client is noticed within a second even in a long statement
	// (the build, an index), so that its rollback, and the history, follow.
	if _, err := tx.Exec(ctx, "SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = '60s'; SET LOCAL client_connection_check_interval = '1s'"); err != nil {
		return nil, err
	}
	var got bool
	if err := tx.QueryRow(ctx, "SELECT pg_try_advisory_xact_lock(hashtext('sit.import'), hashtext($1))", l.spec.Layer).Scan(&got); err != nil {
		return nil, err
	}
	if !got {
		return nil, l.fail("another import of this layer is running; try again when it ends")
	}
	existing, err := GetLayer(ctx, tx, l.spec.Layer)
	if errors.Is(err, ErrNotFound) {
		if l.spec.Guard != nil {
			if err := l.spec.Guard(nil); err != nil {
				return nil, err
			}
		}
		return nil, l.checkRoles(nil)
	}
	if err != nil {
		return nil, err
	}
	if l.spec.Guard != nil {
		if err := l.spec.Guard(&existing); err != nil {
			return nil, err
		}
	}
	if l.spec.Mode == ModeAppend {
		if existing.Kind != l.spec.Kind && l.spec.Kind != KindGeneric {
			return nil, l.fail("cannot append %s features to a %s layer", l.spec.Kind, existing.Kind)
		}
		l.spec.Kind = existing.Kind
	}
	return &existing, l.checkRoles(&existing)
}

// checkRoles refuses roles the layer cannot play with its kind: the new
// ones, or the ones it keeps from before.
func (l *loader) checkRoles(existing *Layer) error {
	roles, kept := l.spec.Roles, false
	if roles == nil && existing != nil {
		roles, kept = existing.Roles, true
	}
	err := CheckRoles(l.spec.Kind, roles)
	switch {
	case err == nil:
		return nil
	case kept:
		return l.fail("the layer keeps its roles (%s): %v; give --role to change them", strings.Join(roles, ", "), err)
	}
	return l.fail("%v", err)
}

// fail is an import error the user can act on (not a database failure).
func (l *loader) fail(format string, args ...any) *ImportError {
	return &ImportError{Layer: l.spec.Layer, Reason: fmt.Sprintf(format, args...)}
}

// reject counts a record that cannot be loaded, keeping the first reasons.
func (l *loader) reject(rec int64, reason string) {
	l.res.Rejected++
	if len(l.res.Errors) < MaxReportedErrors {
		l.res.Errors = append(l.res.Errors, RecordError{Record: rec, Reason: reason})
	}
}

// firstErrors quotes the first few rejections in a failure message.
func firstErrors(errs []RecordError) string {
	if len(errs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(": ")
	for i, e := range errs {
		if i == 3 {
			fmt.Fprintf(&b, "; …")
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}
