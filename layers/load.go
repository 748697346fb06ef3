package layers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sit-gis/sit/crs"
)

// The loader, file by file (one import, one transaction):
//
//	load.go          Store.Import: checks, the sit.imports record, the transaction
//	load_run.go      loader.run: lock, existing layer, stage, then replace or append
//	load_stage.go    COPY of the feature stream into the staging table
//	load_build.go    the new table built from staging (types, geometry, fid, indexes)
//	load_swap.go     the swap of the new table for the live one
//	load_append.go   append to the live table (broadband snapshots)
//	load_catalog.go  the sit.layers row (version, extent, properties)
//	sqlquote.go      the quoting helpers every statement above uses

// Mode says what an import does to the features already in the layer.
type Mode string

const (
	// ModeReplace swaps the whole layer for the new features.
	ModeReplace Mode = "replace"
	// ModeAppend adds the new features; for broadband layers it replaces the
	// snapshots the import carries and keeps the others.
	ModeAppend Mode = "append"
)

// MaxReportedErrors is how many rejected records an import reports in detail.
const MaxReportedErrors = 100

// GeometryJoin takes each feature's geometry from another layer, by key:
// AGCOM per-comune tables carry an ISTAT code and no geometry.
type GeometryJoin struct {
	Layer    string // the layer holding the geometries (e.g. a boundary layer)
	Column   string // its key column (e.g. com_istat_code_num)
	Property string // the key in the imported features (e.g. pro_com)
}

// SourceInfo describes the imported file for sit.imports.
type SourceInfo struct {
	Name   string
	Format string
	SHA256 string
	Size   int64
}

// ImportSpec says what to load and how.
type ImportSpec struct {
	Layer       string
	Title       string // kept from the catalog when empty
	Description string
	Attribution string
	Kind        Kind
	Mode        Mode
	// SRID of the source coordinates; SourceProj (a PROJ string) instead for
	// local systems without an EPSG code (cadastral Cassini-Soldner).
	SRID       int
	SourceProj string
	// Fields declared by the source (types); others are inferred.
	Fields []Field
	Source SourceInfo
	// FailOnReject makes any rejected record fail the whole import.
	FailOnReject bool
	// Snapshot is the date of broadband features that carry none.
	Snapshot     time.Time
	GeometryJoin *GeometryJoin
	Synthetic    bool
	Roles        []string
	// Progress, if set, is called with the number of records read so far.
	Progress func(read int64)
	// Check, if set, sees the staged import before anything is built and
	// may refuse it (see Staged).
	Check func(Staged) error
	// Comune and Visibility are those of a layer the import creates
	// ("": province-wide, public); an existing layer keeps its own.
	Comune     string
	Visibility Visibility
	// Guard, if set, sees the layer as it is (nil: it does not exist yet)
	// under the import's lock, before anything is read, and may refuse
	// the import: an upload checks there that its sender may write it.
	Guard func(existing *Layer) error
	// Parts, when set, builds a replace's version of parts: the staged
	// features are the parts reloaded, the others' rows are copied from
	// the current version (load_partial.go).
	Parts *PartsSpec
	// Released is when the data were published (a bulk download's
	// release): recorded as the version's release date.
	Released time.Time
	// ValidFrom, when set, is the instant from which the new version's
	// data hold (an import of a past state); nil: its commit. It may not
	// precede the previous version's (CheckValidFrom).
	ValidFrom *time.Time
	// stageOnly makes a replace go the staging way even where it could
	// load directly (tests compare the two ways).
	stageOnly bool
}

// ImportResult is the outcome of an import.
type ImportResult struct {
	ImportID int64
	Layer    string
	Version  int64
	Read     int64
	Loaded   int64
	Rejected int64
	Repaired int64
	// Kept counts the rows copied from the previous version (PartsSpec).
	Kept         int64
	Errors       []RecordError
	GeometryType string
	// Extent of the layer after the import, lon/lat; nil when empty.
	Extent   *crs.Box
	Duration time.Duration
}

// ImportError is a failed import; the layer's previous version is untouched.
type ImportError struct {
	Layer  string
	Reason string
	Result ImportResult
	Err    error
}

func (e *ImportError) Error() string {
	return fmt.Sprintf("import into layer %s failed: %s", e.Layer, e.Reason)
}
func (e *ImportError) Unwrap() error { return e.Err }

// Store is the owner's side of the catalog: imports, removals, metadata.
type Store struct {
	pool *pgxpool.Pool
	log  *slog.Logger
	keep Retention
}

// NewStore wraps a pool connected as the schema owner.
func NewStore(pool *pgxpool.Pool, log *slog.Logger) *Store {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Store{pool: pool, log: log, keep: DefaultRetention()}
}

// Pool exposes the owner pool (reports and exports read through it too).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Import loads features into a layer in one transaction: COPY into a
// staging table, geometry repair and transformation in PostGIS, build a new
// table, swap it in, bump the version, record the import. Until COMMIT the
// previous version serves; an error, a cancelled ctx (Ctrl-C, SIGTERM) or a
// killed process rolls everything back. (ImportSet loads several layers
// in one transaction.)
func (s *Store) Import(ctx context.Context, spec ImportSpec, r FeatureReader) (ImportResult, error) {
	res, err := s.ImportSet(ctx, []ImportItem{{Spec: spec, Reader: r}})
	return res[0], err
}

// checkSpec fills the defaults of a spec and refuses what cannot be loaded
// before anything is recorded. It learns whether the source CRS is in degrees.
func (s *Store) checkSpec(ctx context.Context, spec ImportSpec) (ImportSpec, geomCheck, error) {
	var check geomCheck
	if err := ValidateName(spec.Layer); err != nil {
		return spec, check, err
	}
	if spec.Kind == "" {
		spec.Kind = KindGeneric
	}
	if _, err := ParseKind(string(spec.Kind)); err != nil {
		return spec, check, err
	}
	if spec.Mode == "" {
		spec.Mode = ModeReplace
	}
	if spec.Mode != ModeReplace && spec.Mode != ModeAppend {
		return spec, check, fmt.Errorf("invalid import mode %q", spec.Mode)
	}
	if err := checkValidFrom(ctx, s.pool, spec.Layer, spec.ValidFrom); err != nil {
		return spec, check, err
	}
	if spec.GeometryJoin != nil {
		return spec, check, nil
	}
	switch {
	case spec.SourceProj != "":
		check.geographic = isLonLatPROJ(spec.SourceProj)
	case spec.SRID != 0:
		var proj4 *string
		err := s.pool.QueryRow(ctx, "SELECT proj4text FROM spatial_ref_sys WHERE srid = $1", spec.SRID).Scan(&proj4)
		if errors.Is(err, pgx.ErrNoRows) {
			return spec, check, fmt.Errorf("EPSG:%d is not a coordinate reference system PostGIS knows", spec.SRID)
		}
		if err != nil {
			return spec, check, fmt.Errorf("check SRID: %w", err)
		}
		check.geographic = proj4 != nil && isLonLatPROJ(*proj4)
	default:
		return spec, check, errors.New("the source CRS is unknown: give --srid (an EPSG code) or a PROJ string")
	}
	return spec, check, nil
}

// isLonLatPROJ tells whether a PROJ definition is geographic (degrees).
func isLonLatPROJ(proj string) bool {
	return strings.Contains(proj, "+proj=longlat") || strings.Contains(proj, "+proj=latlong")
}

// recordStart writes the import's row. It lives outside the transaction so
// that failures are recorded too. Before the row exists, the connection
// that will run the transaction takes the import's liveness lock
// (sit.hold_import_lock): while the process lives, so does the lock, and a
// running row whose lock is free belongs to a dead import (migration 0500).
func (s *Store) recordStart(ctx context.Context, conn *pgxpool.Conn, spec ImportSpec) (int64, error) {
	var id int64
	var pid int32
	if err := conn.QueryRow(ctx, "SELECT nextval(pg_get_serial_sequence('sit.imports', 'id')), pg_backend_pid()").Scan(&id, &pid); err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	if _, err := conn.Exec(ctx, "SELECT sit.hold_import_lock($1)", id); err != nil {
		return 0, fmt.Errorf("import: liveness lock: %w", err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO sit.imports (id, layer, source_name, format, sha256, source_size, mode, backend_pid)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		id, spec.Layer, spec.Source.Name, spec.Source.Format, spec.Source.SHA256, spec.Source.Size, string(spec.Mode), pid); err != nil {
		s.releaseLock(ctx, conn, id)
		return 0, fmt.Errorf("import: record start: %w", err)
	}
	return id, nil
}

// releaseLock lets go of the import's liveness lock; a connection that
// cannot say so is closed rather than pooled with the lock.
func (s *Store) releaseLock(ctx context.Context, conn *pgxpool.Conn, id int64) {
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := conn.Exec(bg, "SELECT sit.release_import_lock($1)", id); err != nil {
		_ = conn.Conn().Close(bg)
	}
}

// recordPhase notes, outside the import's transaction, the phase it enters,
// so that the history tells where a dead import stopped.
func (s *Store) recordPhase(ctx context.Context, id int64, phase string) {
	if _, err := s.pool.Exec(ctx, "UPDATE sit.imports SET phase = $2 WHERE id = $1", id, phase); err != nil && ctx.Err() == nil {
		s.log.Warn("could not record the import phase", "import", id, "phase", phase, "err", err)
	}
}

// recordFailure closes the row of a failed or interrupted import, even when
// ctx was cancelled. A successful import records itself inside its
// transaction (loader.recordSuccess), so a commit that reached the server
// is never shown as failed: this update touches running rows only.
func (s *Store) recordFailure(ctx context.Context, res ImportResult, phase string, loadErr error) {
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	errorsJSON, _ := json.Marshal(res.Errors)
	status, msg := "failed", loadErr.Error()
	if ctx.Err() != nil {
		status, msg = "interrupted", "interrupted while "+phase+" ("+ctx.Err().Error()+"); the previous version was kept"
	}
	if _, err := s.pool.Exec(bg, `UPDATE sit.imports SET finished_at = now(), status = $2, read_count = $3, loaded_count = $4,
		rejected_count = $5, repaired_count = $6, errors = $7, message = $8 WHERE id = $1 AND status = 'running'`,
		res.ImportID, status, res.Read, res.Loaded, res.Rejected, res.Repaired, errorsJSON, msg); err != nil {
		s.log.Warn("could not record the import outcome", "err", err)
	}
}

// markInterrupted closes the rows of imports whose process died (their
// liveness lock is free, so their transaction rolled back), naming the
// phase they died in.
func (s *Store) markInterrupted(ctx context.Context) error {
	_, err := s.pool.Exec(ctx, `UPDATE sit.imports SET status = 'interrupted', finished_at = now(),
		message = format('the importing process ended while %s; the previous version was kept', phase)
		WHERE status = 'running' AND NOT sit.import_alive(id)`)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	return nil
}
