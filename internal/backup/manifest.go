package backup

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

const formatVersion = 1

// Manifest says what a backup holds, read in the dump's snapshot.
type Manifest struct {
	Format     int       `json:"format"`
	Created    time.Time `json:"created"`
	SitVersion string    `json:"sit_version"`
	PostgreSQL string    `json:"postgresql"`
	PostGIS    string    `json:"postgis"`
	Database   string    `json:"database"`
	// Owner is the role that owned SIT's schemas; Schemas are those schemas.
	Owner      string   `json:"owner"`
	Schemas    []string `json:"schemas"`
	Migrations []int    `json:"migrations"`
	Layers     []Layer  `json:"layers"`
	Dump       DumpInfo `json:"dump"`
}

// Layer is one layer of the catalog with the rows its table really holds.
type Layer struct {
	Name     string `json:"name"`
	Version  int64  `json:"version"`
	Features int64  `json:"features"`
}

// DumpInfo identifies the dump inside the file.
type DumpInfo struct {
	Name   string `json:"name"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Features sums the layers' features.
func (m Manifest) Features() int64 {
	var n int64
	for _, l := range m.Layers {
		n += l.Features
	}
	return n
}

// describe reads the database's side of a manifest through q (inside the
// dump's snapshot when backing up; after the restore when checking it).
// Its catalog query names only the columns of the first migration, so that
// it reads the databases of older sit versions too.
func describe(ctx context.Context, q pgx.Tx) (Manifest, error) {
	m := Manifest{Format: formatVersion}
	err := q.QueryRow(ctx, `SELECT current_setting('server_version'), coalesce(postgis_lib_version(), ''), current_database(), current_user`).
		Scan(&m.PostgreSQL, &m.PostGIS, &m.Database, &m.Owner)
	if err != nil {
		return m, fmt.Errorf("describe the database: %w", err)
	}
	rows, err := q.Query(ctx, `SELECT nspname FROM pg_namespace WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user) ORDER BY nspname`)
	if err != nil {
		return m, fmt.Errorf("SIT's schemas: %w", err)
	}
	if m.Schemas, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return m, fmt.Errorf("SIT's schemas: %w", err)
	}
	if !slices.Contains(m.Schemas, "sit") {
		return m, fmt.Errorf("%s owns no schema sit in database %s: not SIT's owner, or not SIT's database (schemas owned: %s)", m.Owner, m.Database, strings.Join(m.Schemas, ", "))
	}
	rows, err = q.Query(ctx, `SELECT version FROM sit.schema_migrations ORDER BY version`)
	if err != nil {
		return m, fmt.Errorf("migrations: %w", err)
	}
	if m.Migrations, err = pgx.CollectRows(rows, pgx.RowTo[int]); err != nil {
		return m, fmt.Errorf("migrations: %w", err)
	}
	m.Layers, err = countLayers(ctx, q)
	return m, err
}

// countLayers lists the catalog's layers with a count of their tables'
// rows (not the catalog's own figure: the point is to check the data).
// The table is in sit_versions since migration 0501, in sit_data before.
func countLayers(ctx context.Context, q pgx.Tx) ([]Layer, error) {
	rows, err := q.Query(ctx, `SELECT name, version,
		CASE WHEN to_regclass(format('sit_versions.%I', table_name)) IS NOT NULL THEN 'sit_versions' ELSE 'sit_data' END, table_name
		FROM sit.layers ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	type entry struct {
		l             Layer
		schema, table string
	}
	var es []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.l.Name, &e.l.Version, &e.schema, &e.table); err != nil {
			rows.Close()
			return nil, fmt.Errorf("catalog: %w", err)
		}
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	out := make([]Layer, 0, len(es))
	for _, e := range es {
		ident := pgx.Identifier{e.schema, e.table}.Sanitize()
		if err := q.QueryRow(ctx, "SELECT count(*) FROM "+ident).Scan(&e.l.Features); err != nil {
			return nil, fmt.Errorf("count layer %s: %w", e.l.Name, err)
		}
		out = append(out, e.l)
	}
	return out, nil
}

// compare lists how the restored database differs from the backup: a
// layer missing or extra, another version, another feature count, a
// migration of the backup the database lacks.
func compare(want, got Manifest) []string {
	var diffs []string
	have := map[string]Layer{}
	for _, l := range got.Layers {
		have[l.Name] = l
	}
	for _, w := range want.Layers {
		g, ok := have[w.Name]
		switch {
		case !ok:
			diffs = append(diffs, "layer "+w.Name+" is missing")
		case g.Version != w.Version || g.Features != w.Features:
			diffs = append(diffs, fmt.Sprintf("layer %s: version %d with %d features, the backup has version %d with %d", w.Name, g.Version, g.Features, w.Version, w.Features))
		}
		delete(have, w.Name)
	}
	extra := make([]string, 0, len(have))
	for name := range have {
		extra = append(extra, name)
	}
	sort.Strings(extra)
	for _, name := range extra {
		diffs = append(diffs, "layer "+name+" is not in the backup")
	}
	for _, v := range want.Migrations {
		if !slices.Contains(got.Migrations, v) {
			diffs = append(diffs, fmt.Sprintf("migration %d of the backup is missing", v))
		}
	}
	return diffs
}
