package layers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ImportItem is one layer of an import set: what to load and from where.
type ImportItem struct {
	Spec   ImportSpec
	Reader FeatureReader
}

// ImportSet loads several layers in ONE transaction, one after the other
// (each staged, built and swapped in as Import does): they all commit, or
// none does. The parcels and the sheets of a bulk download load so: a
// damaged sheets file leaves the parcels as they were too. Each layer has
// its row in the import history; when one fails, the others' rows say
// they were rolled back with it. The results are in the order of items;
// the error is the first failure's (an *ImportError when the load began).
func (s *Store) ImportSet(ctx context.Context, items []ImportItem) ([]ImportResult, error) {
	start := time.Now()
	res := make([]ImportResult, len(items))
	checks := make([]geomCheck, len(items))
	for i := range items {
		res[i].Layer = items[i].Spec.Layer
		spec, check, err := s.checkSpec(ctx, items[i].Spec)
		if err != nil {
			return res, err
		}
		items[i].Spec, checks[i] = spec, check
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	defer conn.Release()
	if err := s.markInterrupted(ctx); err != nil {
		return res, err
	}
	loaders, err := s.startAll(ctx, conn, items, res, checks, start)
	// The liveness locks go last, after the outcome is recorded: a row
	// still running without its lock would read as a dead import.
	defer func() {
		for _, l := range loaders {
			s.releaseLock(ctx, conn, l.res.ImportID)
		}
	}()
	if err != nil {
		return res, err
	}
	failed := -1
	loadErr := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		for i, l := range loaders {
			if err := l.run(tx); err != nil {
				failed = i
				return err
			}
		}
		return nil
	})
	for i := range res {
		res[i].Duration = time.Since(start)
	}
	if loadErr == nil {
		for _, it := range items {
			s.collect(ctx, it.Spec.Layer)
		}
		return res, nil
	}
	return res, s.failAll(ctx, loaders, failed, loadErr)
}

// startAll records the start of each layer's import (and takes its
// liveness lock) and readies its loader. On an error the rows recorded so
// far are closed as failed.
func (s *Store) startAll(ctx context.Context, conn *pgxpool.Conn, items []ImportItem, res []ImportResult, checks []geomCheck, start time.Time) ([]*loader, error) {
	var loaders []*loader
	for i, it := range items {
		id, err := s.recordStart(ctx, conn, it.Spec)
		if err != nil {
			for _, l := range loaders {
				s.recordFailure(ctx, *l.res, l.phase, err)
			}
			return loaders, err
		}
		res[i].ImportID = id
		r := &res[i]
		loaders = append(loaders, &loader{ctx: ctx, spec: it.Spec, r: it.Reader, log: s.log, res: r, started: start,
			check: checks[i], phase: "starting", recordPhase: func(phase string) { s.recordPhase(ctx, id, phase) }})
	}
	return loaders, nil
}

// failAll records the failure of every layer of a rolled-back set and
// returns the error of the one that failed (failed < 0: the commit or the
// transaction itself failed).
func (s *Store) failAll(ctx context.Context, loaders []*loader, failed int, loadErr error) error {
	culprit := loaders[len(loaders)-1]
	if failed >= 0 {
		culprit = loaders[failed]
	}
	for _, l := range loaders {
		err := loadErr
		if l != culprit {
			err = fmt.Errorf("rolled back with layer %s of the same import (all or none): %w", culprit.spec.Layer, loadErr)
		}
		s.recordFailure(ctx, *l.res, l.phase, err)
	}
	res := *culprit.res
	var ie *ImportError
	if errors.As(loadErr, &ie) {
		ie.Result = res
		return ie
	}
	reason := loadErr.Error()
	if ctx.Err() != nil {
		reason = "interrupted while " + culprit.phase + " (" + ctx.Err().Error() + "); the previous version is unchanged"
	}
	return &ImportError{Layer: culprit.spec.Layer, Reason: reason, Result: res, Err: loadErr}
}
