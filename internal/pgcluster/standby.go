package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// ReplicationRole is the login a standby streams the primary's WAL with:
// REPLICATION and nothing else (it reads no table).
const ReplicationRole = "sit_replication"

// Standby makes a streaming hot standby of the running cluster c in dir and
// starts it: a base backup by pg_basebackup -R (which writes the
// standby.signal file and primary_conninfo), a port of its own, SIT's
// settings. The standby is a copy, so it has c's databases, roles and
// passwords (its state says so); it logs in to c as ReplicationRole, made
// here if needed. Read-only: an import goes to the primary and reaches the
// standby by replay.
func (c *Cluster) Standby(ctx context.Context, dir string) (*Cluster, error) {
	if !c.Initialised() {
		return nil, errors.New("pgcluster: a standby needs an initialised primary")
	}
	sb, err := New(Options{Dir: dir, Settings: c.opt.Settings, NoSync: c.opt.NoSync, Logger: c.log})
	if err != nil {
		return nil, err
	}
	if sb.Initialised() {
		return nil, fmt.Errorf("pgcluster: %s already holds a cluster", dir)
	}
	pw, err := c.ensureReplicationRole(ctx)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(sb.opt.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", sb.opt.Dir, err)
	}
	u, err := c.osUser()
	if err != nil {
		return nil, err
	}
	pgdata := filepath.Join(sb.opt.Dir, "data")
	if u != nil {
		if err := os.Chmod(sb.opt.Dir, 0o711); err != nil {
			return nil, fmt.Errorf("chmod %s: %w", sb.opt.Dir, err)
		}
		if !u.canReach(sb.opt.Dir) {
			pgdata = filepath.Join("/var/lib/sit", shortHash(sb.opt.Dir), "data")
		}
	}
	if err := os.MkdirAll(filepath.Dir(pgdata), 0o711); err != nil {
		return nil, fmt.Errorf("create %s: %w", filepath.Dir(pgdata), err)
	}
	if err := os.MkdirAll(pgdata, 0o700); err != nil {
		return nil, fmt.Errorf("create %s: %w", pgdata, err)
	}
	if err := u.chown(pgdata); err != nil {
		return nil, err
	}
	if err := c.baseBackup(ctx, u, pgdata, pw); err != nil {
		_ = os.RemoveAll(pgdata)
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	sb.state = c.state
	sb.state.PGData, sb.state.Port = pgdata, port
	if err := sb.writeConfig(); err != nil {
		return nil, err
	}
	if err := sb.saveState(); err != nil {
		return nil, err
	}
	if err := sb.start(ctx); err != nil {
		return nil, err
	}
	return sb, nil
}

// ensureReplicationRole creates (or re-passwords) ReplicationRole on c and
// returns its password, which the standby keeps in its primary_conninfo.
func (c *Cluster) ensureReplicationRole(ctx context.Context) (string, error) {
	conn, err := c.connect(ctx, "postgres")
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	pw := randomPassword()
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", ReplicationRole).Scan(&exists); err != nil {
		return "", fmt.Errorf("replication role: %w", err)
	}
	verb := "CREATE"
	if exists {
		verb = "ALTER"
	}
	stmt := verb + " ROLE " + ident(ReplicationRole) + " LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD " + literal(pw)
	if _, err := conn.Exec(ctx, stmt); err != nil {
		return "", fmt.Errorf("replication role: %w", err)
	}
	return pw, nil
}

// baseBackup copies c into pgdata with pg_basebackup -R, streaming the WAL
// written meanwhile, as the server's OS user.
func (c *Cluster) baseBackup(ctx context.Context, u *osUser, pgdata, password string) error {
	conn := url.URL{Scheme: "postgres", User: url.UserPassword(ReplicationRole, password),
		Host: "127.0.0.1:" + strconv.Itoa(c.state.Port), RawQuery: "sslmode=disable&application_name=" + url.QueryEscape("sit standby")}
	args := []string{"-d", conn.String(), "-D", pgdata, "-R", "-X", "stream", "-c", "fast", "--no-password"}
	if c.opt.NoSync {
		args = append(args, "--no-sync")
	}
	cmd := exec.CommandContext(ctx, filepath.Join(c.state.BinDir, "pg_basebackup"), args...)
	u.apply(cmd)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pg_basebackup: %v: %s", err, out)
	}
	return nil
}
