package backup

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Options say which database, with which programs, to which file.
type Options struct {
	// OwnerURL logs in as the owner of SIT's schemas.
	OwnerURL string
	// BinDir holds pg_dump and pg_restore (the managed cluster's); empty:
	// the newest installed.
	BinDir string
	// Path of the backup file.
	Path string
	// SitVersion is recorded in the manifest.
	SitVersion string
	Log        *slog.Logger
}

// Backup writes the backup file: the manifest and the dump are read in one
// snapshot, so they agree whatever imports commit meanwhile; the file
// appears only once complete.
func Backup(ctx context.Context, o Options) (Manifest, error) {
	conn, err := pgx.Connect(ctx, o.OwnerURL)
	if err != nil {
		return Manifest{}, fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// The exported snapshot lives as long as this transaction: pg_dump
	// reads the database as it was when the manifest was read.
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return Manifest{}, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read-only
	var snapshot string
	if err := tx.QueryRow(ctx, "SELECT pg_export_snapshot()").Scan(&snapshot); err != nil {
		return Manifest{}, fmt.Errorf("snapshot: %w", err)
	}
	m, err := describe(ctx, tx)
	if err != nil {
		return m, err
	}
	m.Created, m.SitVersion = time.Now().UTC().Truncate(time.Second), o.SitVersion
	prog, err := tool("pg_dump", o.BinDir)
	if err != nil {
		return m, err
	}
	conninfo, env, err := connArgs(o.OwnerURL)
	if err != nil {
		return m, err
	}
	aw, err := createArchive(o.Path)
	if err != nil {
		return m, err
	}
	defer aw.abort()
	args := []string{"--format=custom", "--snapshot=" + snapshot, "--no-publications", "--no-subscriptions", "--dbname=" + conninfo}
	for _, s := range m.Schemas {
		args = append(args, "--schema="+literalPattern(s))
	}
	logger(o.Log).Info("dumping", "schemas", strings.Join(m.Schemas, ","), "layers", len(m.Layers), "features", m.Features(), "pg_dump", prog)
	if err := run(ctx, prog, args, env, nil, aw.dumpWriter()); err != nil {
		return m, err
	}
	if err := aw.finish(&m); err != nil {
		return m, err
	}
	return m, tx.Commit(ctx)
}

// literalPattern quotes a schema name as a pg_dump pattern that matches
// that name only.
func literalPattern(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

func logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}
