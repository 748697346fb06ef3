package backup

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sit-gis/sit/layers"
)

// Restore loads a backup file into the database of o.OwnerURL, which must
// hold none of SIT's schemas (a fresh managed cluster, or an empty
// database prepared with `sit db grants`). The load is one transaction: it
// happens whole or not at all. Then the migrations this sit has and the
// backup lacks are applied, and the result is compared with the manifest.
// m is the file's manifest, as ReadManifest checked it.
func Restore(ctx context.Context, o Options, m Manifest) error {
	role, err := checkEmpty(ctx, o.OwnerURL, m.Schemas)
	if err != nil {
		return err
	}
	prog, err := tool("pg_restore", o.BinDir)
	if err != nil {
		return err
	}
	conninfo, env, err := connArgs(o.OwnerURL)
	if err != nil {
		return err
	}
	args := []string{"--single-transaction", "--exit-on-error", "--no-owner", "--dbname=" + conninfo}
	if role != m.Owner {
		// The dump's default privileges name its owner, which this
		// database may not have: leave them out, set them for this owner.
		list, err := listWithoutDefaultACLs(ctx, prog, o.Path, env)
		if err != nil {
			return err
		}
		defer os.Remove(list)
		args = append(args, "--use-list="+list)
	}
	dump, err := openDump(o.Path)
	if err != nil {
		return err
	}
	defer dump.Close()
	logger(o.Log).Info("restoring", "layers", len(m.Layers), "features", m.Features(), "from", m.Database, "made by sit", m.SitVersion, "pg_restore", prog)
	if err := run(ctx, prog, args, env, dump, nil); err != nil {
		if strings.Contains(err.Error(), "does not exist") && strings.Contains(err.Error(), "role") {
			err = fmt.Errorf("%w (the roles SIT grants to must exist: `sit db grants` prints the statements)", err)
		}
		return fmt.Errorf("nothing was restored: %w", err)
	}
	return finishRestore(ctx, o, m, role)
}

// checkEmpty refuses a database that already holds one of the schemas,
// and returns the role it logs in as.
func checkEmpty(ctx context.Context, url string, schemas []string) (string, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return "", fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var role, db string
	var present []string
	if err := conn.QueryRow(ctx, `SELECT current_user, current_database(),
		coalesce((SELECT array_agg(nspname ORDER BY nspname) FROM pg_namespace WHERE nspname = ANY($1)), '{}')`, schemas).Scan(&role, &db, &present); err != nil {
		return "", fmt.Errorf("inspect the target database: %w", err)
	}
	if len(present) > 0 {
		return "", fmt.Errorf("database %s already holds SIT's schemas (%s): a backup is restored into a fresh data directory or an empty database, never over data (move the old data directory aside, or drop those schemas yourself)", db, strings.Join(present, ", "))
	}
	return role, nil
}

// listWithoutDefaultACLs writes the dump's table of contents without its
// DEFAULT ACL entries, for pg_restore --use-list.
func listWithoutDefaultACLs(ctx context.Context, prog, path string, env []string) (string, error) {
	dump, err := openDump(path)
	if err != nil {
		return "", err
	}
	defer dump.Close()
	var toc bytes.Buffer
	if err := run(ctx, prog, []string{"--list"}, env, dump, &toc); err != nil {
		return "", err
	}
	f, err := os.CreateTemp("", "sit-restore-*.list")
	if err != nil {
		return "", err
	}
	w := bufio.NewWriter(f)
	sc := bufio.NewScanner(&toc)
	for sc.Scan() {
		if line := sc.Text(); !strings.Contains(line, " DEFAULT ACL ") {
			fmt.Fprintln(w, line)
		}
	}
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// finishRestore migrates and compares the database with the manifest.
func finishRestore(ctx context.Context, o Options, m Manifest, role string) error {
	pool, err := pgxpool.New(ctx, o.OwnerURL)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer pool.Close()
	if role != m.Owner {
		if err := layers.GrantReaderDefaults(ctx, pool); err != nil {
			return err
		}
	}
	if err := layers.Migrate(ctx, pool); err != nil {
		return fmt.Errorf("restored, but migrating failed: %w", err)
	}
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read-only
	got, err := describe(ctx, tx)
	if err != nil {
		return fmt.Errorf("check the restore: %w", err)
	}
	if diffs := compare(m, got); len(diffs) > 0 {
		return fmt.Errorf("the restored database differs from the backup: %s", strings.Join(diffs, "; "))
	}
	return nil
}
