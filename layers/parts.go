package layers

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// What an import did with a part (sit.import_parts.status).
const (
	PartNew       = "new"       // not in the previous version: loaded
	PartChanged   = "changed"   // its checksum differs from the previous version's: reloaded
	PartReloaded  = "reloaded"  // loaded again although unchanged (--replace)
	PartUnchanged = "unchanged" // same checksum as in the previous version: rows copied
	PartKept      = "kept"      // not in this import: rows copied from the previous version
)

// PartRecord is one part of a layer's version: where it came from, its
// checksum, and what the import that made the version did with it.
type PartRecord struct {
	Key    string // comune (Belfiore code)
	Label  string // E715 LUCCA
	Path   string // TOSCANA.zip/LU.zip/E715_LUCCA.zip/E715_LUCCA_ple.gml
	SHA256 string
	Bytes  int64
	Status string
}

// CurrentParts are the parts the current version of a layer is made of,
// by key; empty for a layer that does not exist or was not loaded by parts.
func (s *Store) CurrentParts(ctx context.Context, layer string) (map[string]PartRecord, error) {
	rows, err := s.pool.Query(ctx, `SELECT p.key, p.label, p.path, p.sha256, p.bytes, p.status FROM sit.import_parts p
		JOIN sit.layer_versions v ON v.import_id = p.import_id
		JOIN sit.layers l ON l.name = v.layer AND l.version = v.version
		WHERE l.name = $1`, layer)
	if err != nil {
		return nil, fmt.Errorf("parts of %s: %w", layer, err)
	}
	recs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (PartRecord, error) {
		var r PartRecord
		err := row.Scan(&r.Key, &r.Label, &r.Path, &r.SHA256, &r.Bytes, &r.Status)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("parts of %s: %w", layer, err)
	}
	out := make(map[string]PartRecord, len(recs))
	for _, r := range recs {
		out[r.Key] = r
	}
	return out, nil
}

// ImportParts lists the parts of one import (the history of a release).
func (s *Store) ImportParts(ctx context.Context, importID int64) ([]PartRecord, error) {
	rows, err := s.pool.Query(ctx, `SELECT key, label, path, sha256, bytes, status FROM sit.import_parts WHERE import_id = $1 ORDER BY key`, importID)
	if err != nil {
		return nil, fmt.Errorf("parts of import %d: %w", importID, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (PartRecord, error) {
		var r PartRecord
		err := row.Scan(&r.Key, &r.Label, &r.Path, &r.SHA256, &r.Bytes, &r.Status)
		return r, err
	})
}

// VersionRelease is the release date recorded for a version (zero: none).
func (s *Store) VersionRelease(ctx context.Context, layer string, version int64) (time.Time, error) {
	var d *time.Time
	err := s.pool.QueryRow(ctx, "SELECT release_date FROM sit.layer_versions WHERE layer = $1 AND version = $2", layer, version).Scan(&d)
	if err != nil || d == nil {
		return time.Time{}, err
	}
	return *d, nil
}

// recordRelease writes, inside the import's transaction, the version's
// release date and its parts, and says in the import's message what the
// import did with them (the history then tells which comuni changed).
func (l *loader) recordRelease(ctx context.Context, tx pgx.Tx) error {
	if !l.spec.Released.IsZero() {
		if _, err := tx.Exec(ctx, "UPDATE sit.layer_versions SET release_date = $3 WHERE layer = $1 AND version = $2",
			l.spec.Layer, l.res.Version, l.spec.Released); err != nil {
			return fmt.Errorf("record the release date: %w", err)
		}
	}
	p := l.spec.Parts
	if p == nil || p.Records == nil {
		return nil
	}
	recs := p.Records()
	var keys, labels, paths, sums, statuses []string
	var sizes []int64
	for _, r := range recs {
		keys, labels, paths, sums = append(keys, r.Key), append(labels, r.Label), append(paths, r.Path), append(sums, r.SHA256)
		sizes, statuses = append(sizes, r.Bytes), append(statuses, r.Status)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO sit.import_parts (import_id, layer, key, label, path, sha256, bytes, status)
		SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[])`,
		l.res.ImportID, l.spec.Layer, keys, labels, paths, sums, sizes, statuses); err != nil {
		return fmt.Errorf("record the parts: %w", err)
	}
	_, err := tx.Exec(ctx, "UPDATE sit.imports SET message = $2 WHERE id = $1", l.res.ImportID, PartsSummary(recs))
	return err
}

// PartsSummary says in one line what an import did with its parts:
// "changed: E715 LUCCA; new: …; unchanged: 13; kept (not in this import): 2".
func PartsSummary(recs []PartRecord) string {
	by := map[string][]string{}
	for _, r := range recs {
		by[r.Status] = append(by[r.Status], r.Label)
	}
	var out []string
	for _, st := range []string{PartChanged, PartNew, PartReloaded} {
		if ls := by[st]; len(ls) > 0 {
			out = append(out, st+": "+joinSome(ls))
		}
	}
	if n := len(by[PartUnchanged]); n > 0 {
		out = append(out, fmt.Sprintf("unchanged: %d", n))
	}
	if n := len(by[PartKept]); n > 0 {
		out = append(out, fmt.Sprintf("kept (not in this import): %d", n))
	}
	if len(out) == 0 {
		return "no parts"
	}
	return strings.Join(out, "; ")
}

func joinSome(ls []string) string {
	if len(ls) > 12 {
		return strings.Join(ls[:12], ", ") + fmt.Sprintf(" and %d more", len(ls)-12)
	}
	return strings.Join(ls, ", ")
}
