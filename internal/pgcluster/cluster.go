// Package pgcluster runs a private PostgreSQL + PostGIS cluster for SIT: the
// default database of `sit demo`, `sit db up` and the test harness. It finds
// the server binaries, initialises a data directory, starts the server on a
// free loopback port (as an unprivileged user when run as root), and records
// how to reach it in a small state file.
package pgcluster

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Database is the name of the database SIT creates in its cluster.
const Database = "sit"

// The managed cluster's roles: AdminRole is the bootstrap superuser, used
// only to create the database, PostGIS and the other two roles; OwnerRole
// owns SIT's schemas and runs migrations and imports (no superuser, no
// CREATEROLE, CREATEDB or BYPASSRLS); ReaderRole serves (SELECT only,
// read-only at role level).
const (
	AdminRole  = "sit_admin"
	OwnerRole  = "sit"
	ReaderRole = ReaderGroup
	WebRole    = WebGroup
	// legacyOwnerRole owns SIT's schemas in clusters made when the bootstrap
	// superuser was called "sit" and owned them (it cannot be demoted).
	legacyOwnerRole = "sit_owner"
)

// bootstrapVersion is bumped when bootstrap learns something new, so that
// clusters bootstrapped by an older binary are brought up to date once.
const bootstrapVersion = 3

// Options configure a managed cluster.
type Options struct {
	// Dir is SIT's directory for the cluster: state file, logs, and (when the
	// server user can reach it) the PostgreSQL data directory.
	Dir string
	// Settings are extra postgresql.conf lines (name → value), e.g. fsync=off for tests.
	Settings map[string]string
	// NoSync skips the flush to disk of the files initdb and pg_basebackup
	// write: only for a throwaway cluster (tests), which a crash may lose.
	NoSync bool
	// Logger receives progress messages; nil discards them.
	Logger *slog.Logger
}

// State is what `up` records in Dir/cluster.json so that later commands
// reach the same server.
type State struct {
	PGData string `json:"pgdata"`
	BinDir string `json:"bindir"`
	Port   int    `json:"port"`
	// AdminRole is the superuser; empty in clusters made before it was
	// separate (then the superuser is "sit" and its password OwnerPassword).
	AdminRole      string `json:"admin_role,omitempty"`
	AdminPassword  string `json:"admin_password,omitempty"`
	OwnerRole      string `json:"owner_role,omitempty"`
	OwnerPassword  string `json:"owner_password"`
	ReaderPassword string `json:"reader_password"`
	WebPassword    string `json:"web_password,omitempty"`
	OSUser         string `json:"os_user,omitempty"`
	Version        string `json:"version"`
	// Bootstrapped is the bootstrapVersion last applied.
	Bootstrapped int `json:"bootstrapped,omitempty"`
}

// Cluster is a managed PostgreSQL cluster.
type Cluster struct {
	opt   Options
	log   *slog.Logger
	state State
}

// New returns the cluster that lives in opt.Dir (initialised or not).
func New(opt Options) (*Cluster, error) {
	if opt.Dir == "" {
		return nil, errors.New("pgcluster: no directory given")
	}
	abs, err := filepath.Abs(opt.Dir)
	if err != nil {
		return nil, fmt.Errorf("pgcluster: %w", err)
	}
	opt.Dir = abs
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Cluster{opt: opt, log: log}
	if err := c.loadState(); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return c, nil
}

func (c *Cluster) statePath() string { return filepath.Join(c.opt.Dir, "cluster.json") }

// serverLogPath is where the server writes its log: beside the state file,
// unless the server user cannot reach it.
func (c *Cluster) serverLogPath(u *osUser) string {
	if u != nil && !u.canReach(c.opt.Dir) {
		return filepath.Join(filepath.Dir(c.state.PGData), "postgresql.log")
	}
	return filepath.Join(c.opt.Dir, "postgresql.log")
}

func (c *Cluster) loadState() error {
	b, err := os.ReadFile(c.statePath())
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &c.state); err != nil {
		return fmt.Errorf("pgcluster: corrupt state file %s: %w", c.statePath(), err)
	}
	return nil
}

func (c *Cluster) saveState() error {
	b, err := json.MarshalIndent(c.state, "", "  ")
	if err != nil {
		return err
	}
	tmp := c.statePath() + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("pgcluster: write state: %w", err)
	}
	return os.Rename(tmp, c.statePath())
}

// Initialised reports whether the cluster's data directory exists.
func (c *Cluster) Initialised() bool {
	if c.state.PGData == "" {
		return false
	}
	_, err := os.Stat(filepath.Join(c.state.PGData, "PG_VERSION"))
	return err == nil
}

// Binaries holds where the PostgreSQL server programs and PostGIS were found.
type Binaries struct {
	BinDir  string
	Version string // major version, e.g. "15"
}

// FindBinaries locates initdb/pg_ctl/postgres: `pg_config --bindir` first,
// then /usr/lib/postgresql/*/bin (newest first), then $PATH. It also checks
// that PostGIS is installed for that server, and says which package to
// install when something is missing.
func FindBinaries() (Binaries, error) {
	var candidates []string
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(out)))
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	candidates = append(candidates, dirs...)
	if p, err := exec.LookPath("initdb"); err == nil {
		candidates = append(candidates, filepath.Dir(p))
	}
	for _, dir := range candidates {
		if !executable(filepath.Join(dir, "initdb")) || !executable(filepath.Join(dir, "pg_ctl")) || !executable(filepath.Join(dir, "postgres")) {
			continue
		}
		out, err := exec.Command(filepath.Join(dir, "postgres"), "--version").Output()
		if err != nil {
			continue
		}
		major := majorVersion(string(out))
		if err := checkPostGIS(dir, major); err != nil {
			return Binaries{}, err
		}
		return Binaries{BinDir: dir, Version: major}, nil
	}
	return Binaries{}, errors.New("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: install them with `apt-get install postgresql-15-postgis-3` (Debian/Ubuntu), or pass --database-url to use an existing PostGIS database")
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

func executable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// majorVersion extracts "15" from "postgres (PostgreSQL) 15.18 (Debian ...)".
func majorVersion(s string) string {
	for _, f := range strings.Fields(s) {
		if len(f) > 0 && f[0] >= '0' && f[0] <= '9' {
			return strings.SplitN(f, ".", 2)[0]
		}
	}
	return ""
}

// checkPostGIS looks for postgis.control in the server's share directory.
func checkPostGIS(binDir, major string) error {
	var shareDirs []string
	if out, err := exec.Command(filepath.Join(binDir, "pg_config"), "--sharedir").Output(); err == nil {
		shareDirs = append(shareDirs, strings.TrimSpace(string(out)))
	}
	if major != "" {
		shareDirs = append(shareDirs, "/usr/share/postgresql/"+major)
	}
	shareDirs = append(shareDirs, filepath.Join(filepath.Dir(binDir), "share"), filepath.Join(filepath.Dir(binDir), "share", "postgresql"))
	for _, d := range shareDirs {
		if _, err := os.Stat(filepath.Join(d, "extension", "postgis.control")); err == nil {
			return nil
		}
	}
	pkg := "postgresql-" + major + "-postgis-3"
	if major == "" {
		pkg = "postgresql-15-postgis-3"
	}
	return fmt.Errorf("PostGIS is not installed for PostgreSQL %s (found the server in %s): install it with `apt-get install %s`", major, binDir, pkg)
}

// Up initialises the cluster if needed, starts it if it is not running,
// and bootstraps it (database, PostGIS, roles, grants) when this binary has
// not done so yet. It is idempotent. Bootstrap is the only use of the
// superuser's credentials.
func (c *Cluster) Up(ctx context.Context) error {
	if err := c.ensureStarted(ctx, true); err != nil {
		return err
	}
	if c.state.Bootstrapped >= bootstrapVersion {
		return nil
	}
	return c.Bootstrap(ctx)
}

// Start starts an initialised, bootstrapped cluster if it is not running,
// without any database credentials: what `sit serve` does, which never
// touches the superuser.
func (c *Cluster) Start(ctx context.Context) error {
	if !c.Initialised() {
		return fmt.Errorf("no managed PostgreSQL cluster in %s: run `sit db up` first (or give --reader-url)", c.opt.Dir)
	}
	if c.state.AdminRole == "" || c.state.Bootstrapped < bootstrapVersion {
		return fmt.Errorf("the managed cluster in %s was set up by an older sit: run `sit db up` once to bring its roles up to date", c.opt.Dir)
	}
	return c.ensureStarted(ctx, false)
}

// ensureStarted creates the directory and the cluster (when init is true and
// there is none yet) and starts the server if it is not running.
func (c *Cluster) ensureStarted(ctx context.Context, init bool) error {
	bins, err := FindBinaries()
	if err != nil {
		return err
	}
	if init {
		// Parents readable by all (the server user may need to traverse
		// them); SIT's own directory private.
		if err := os.MkdirAll(filepath.Dir(c.opt.Dir), 0o755); err != nil {
			return fmt.Errorf("create %s: %w", filepath.Dir(c.opt.Dir), err)
		}
		if err := os.Mkdir(c.opt.Dir, 0o700); err != nil && !os.IsExist(err) {
			return fmt.Errorf("create %s: %w", c.opt.Dir, err)
		}
	}
	if !c.Initialised() {
		if err := c.initdb(ctx, bins, AdminRole); err != nil {
			return err
		}
	} else if c.state.BinDir != bins.BinDir {
		// Keep using the binaries the cluster was created with when they exist.
		if !executable(filepath.Join(c.state.BinDir, "pg_ctl")) {
			if c.state.Version != "" && c.state.Version != bins.Version {
				return fmt.Errorf("the cluster in %s was created by PostgreSQL %s, whose binaries are gone (found %s): install postgresql-%s or remove the directory", c.state.PGData, c.state.Version, bins.Version, c.state.Version)
			}
			c.state.BinDir = bins.BinDir
		}
	}
	if init && c.state.AdminRole == "" {
		if err := c.adoptLegacyRoles(); err != nil {
			return err
		}
	}
	running, err := c.Running(ctx)
	if err != nil {
		return err
	}
	if !running {
		return c.start(ctx)
	}
	return nil
}

// adoptLegacyRoles updates the state of a cluster made when the bootstrap
// superuser was the owner, "sit": it stays the (superuser) admin, and a new
// non-superuser owner takes SIT's schemas over at the next bootstrap.
func (c *Cluster) adoptLegacyRoles() error {
	c.log.Info("the managed cluster's owner is its superuser; a separate owner role takes over", "owner", legacyOwnerRole)
	c.state.AdminRole = "sit"
	c.state.AdminPassword = c.state.OwnerPassword
	c.state.OwnerRole = legacyOwnerRole
	c.state.OwnerPassword = randomPassword()
	c.state.Bootstrapped = 0
	return c.saveState()
}

// serverUser decides which OS user runs the server: PostgreSQL refuses to
// run as root, so root hands it to "postgres" (created by Debian's package)
// or to a "sit" system user it creates.
func serverUser() (*osUser, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "sit"} {
		if u, err := lookupUser(name); err == nil {
			return u, nil
		}
	}
	if out, err := exec.Command("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "sit").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("running as root, PostgreSQL needs an unprivileged user and `useradd sit` failed: %v: %s", err, out)
	}
	return lookupUser("sit")
}

// initdb creates the data directory with admin as the bootstrap superuser.
func (c *Cluster) initdb(ctx context.Context, bins Binaries, admin string) error {
	u, err := serverUser()
	if err != nil {
		return err
	}
	pgdata := filepath.Join(c.opt.Dir, "data")
	if u != nil {
		// The server user must traverse SIT's directory to reach its data;
		// the state file inside stays 0600 (passwords).
		if err := os.Chmod(c.opt.Dir, 0o711); err != nil {
			return fmt.Errorf("chmod %s: %w", c.opt.Dir, err)
		}
	}
	if u != nil && !u.canReach(c.opt.Dir) {
		// The server user cannot traverse the path (e.g. a checkout under
		// /root): keep the data where it can, and say so.
		pgdata = filepath.Join("/var/lib/sit", shortHash(c.opt.Dir), "data")
		c.log.Info("data directory not reachable by the server user; using another place", "user", u.name, "pgdata", pgdata)
	}
	if err := os.MkdirAll(filepath.Dir(pgdata), 0o711); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(pgdata), err)
	}
	if err := os.MkdirAll(pgdata, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", pgdata, err)
	}
	if entries, _ := os.ReadDir(pgdata); len(entries) > 0 {
		return fmt.Errorf("%s exists and is not an initialised cluster: remove it or choose another --data-dir", pgdata)
	}
	adminPW, owner, reader := randomPassword(), randomPassword(), randomPassword()
	pwfile := filepath.Join(filepath.Dir(pgdata), "initdb.pw")
	if err := os.WriteFile(pwfile, []byte(adminPW+"\n"), 0o600); err != nil {
		return err
	}
	defer os.Remove(pwfile)
	if u != nil {
		if err := u.chown(pgdata); err != nil {
			return err
		}
		if err := u.chown(pwfile); err != nil {
			return err
		}
	}
	c.log.Info("initialising PostgreSQL cluster", "pgdata", pgdata, "version", bins.Version)
	args := []string{"-D", pgdata, "-U", admin, "--pwfile", pwfile, "--auth", "scram-sha-256",
		"-E", "UTF8", "--locale", "C", "--no-instructions"}
	if c.opt.NoSync {
		args = append(args, "--no-sync")
	}
	cmd := exec.CommandContext(ctx, filepath.Join(bins.BinDir, "initdb"), args...)
	u.apply(cmd)
	if out, err := cmd.CombinedOutput(); err != nil {
		_ = os.RemoveAll(pgdata)
		return fmt.Errorf("initdb failed: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	c.state = State{PGData: pgdata, BinDir: bins.BinDir, Port: port, AdminRole: admin, AdminPassword: adminPW,
		OwnerRole: OwnerRole, OwnerPassword: owner, ReaderPassword: reader, WebPassword: randomPassword(), Version: bins.Version}
	if u != nil {
		c.state.OSUser = u.name
	}
	if err := c.writeConfig(); err != nil {
		return err
	}
	return c.saveState()
}

// writeConfig writes the settings SIT relies on into postgresql.auto.conf's
// sibling, an include file, so that user edits of postgresql.conf survive.
func (c *Cluster) writeConfig() error {
	settings := map[string]string{
		"listen_addresses":        "'127.0.0.1'",
		"port":                    strconv.Itoa(c.state.Port),
		"unix_socket_directories": "''",
		"max_connections":         "200",
		"shared_buffers":          "'512MB'",
		"work_mem":                "'32MB'",
		"maintenance_work_mem":    "'512MB'",
		"max_wal_size":            "'4GB'",
		"jit":                     "off",
		"logging_collector":       "off",
		"log_min_messages":        "warning",
		"log_min_error_statement": "panic",
		"lc_messages":             "'C'",
		"timezone":                "'UTC'",
	}
	for k, v := range c.opt.Settings {
		settings[k] = v
	}
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	b.WriteString("# Written by sit (pgcluster): settings the SIT server relies on.\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s = %s\n", k, settings[k])
	}
	inc := filepath.Join(c.state.PGData, "sit.conf")
	if err := os.WriteFile(inc, b.Bytes(), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", inc, err)
	}
	conf := filepath.Join(c.state.PGData, "postgresql.conf")
	cur, err := os.ReadFile(conf)
	if err != nil {
		return fmt.Errorf("read %s: %w", conf, err)
	}
	if !bytes.Contains(cur, []byte("include_if_exists = 'sit.conf'")) {
		cur = append(cur, []byte("\ninclude_if_exists = 'sit.conf'\n")...)
		if err := os.WriteFile(conf, cur, 0o600); err != nil {
			return fmt.Errorf("write %s: %w", conf, err)
		}
	}
	if u, _ := c.osUser(); u != nil {
		return u.chown(inc)
	}
	return nil
}

func (c *Cluster) osUser() (*osUser, error) {
	if c.state.OSUser == "" {
		return nil, nil
	}
	return lookupUser(c.state.OSUser)
}

// Running reports whether the server answers on its port.
func (c *Cluster) Running(ctx context.Context) (bool, error) {
	if !c.Initialised() {
		return false, nil
	}
	cmd := exec.CommandContext(ctx, filepath.Join(c.state.BinDir, "pg_ctl"), "status", "-D", c.state.PGData)
	u, err := c.osUser()
	if err != nil {
		return false, err
	}
	u.apply(cmd)
	err = cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return false, nil // 3: not running; 4: no data directory
	}
	if err != nil {
		return false, fmt.Errorf("pg_ctl status: %w", err)
	}
	return true, nil
}

func (c *Cluster) start(ctx context.Context) error {
	// The recorded port may have been taken by something else meanwhile.
	if !portFree(c.state.Port) {
		port, err := freePort()
		if err != nil {
			return err
		}
		c.log.Info("recorded port busy, moving the cluster", "from", c.state.Port, "to", port)
		c.state.Port = port
		if err := c.writeConfig(); err != nil {
			return err
		}
		if err := c.saveState(); err != nil {
			return err
		}
	} else if err := c.writeConfig(); err != nil {
		return err
	}
	u, err := c.osUser()
	if err != nil {
		return err
	}
	logf := c.serverLogPath(u)
	if f, err := os.OpenFile(logf, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600); err == nil {
		f.Close()
		if u != nil {
			_ = u.chown(logf)
		}
	}
	c.log.Info("starting PostgreSQL", "port", c.state.Port, "pgdata", c.state.PGData)
	cmd := exec.CommandContext(ctx, filepath.Join(c.state.BinDir, "pg_ctl"), "start", "-w", "-t", "120",
		"-D", c.state.PGData, "-l", logf, "-o", "-p "+strconv.Itoa(c.state.Port))
	u.apply(cmd)
	if out, err := cmd.CombinedOutput(); err != nil {
		tail, _ := os.ReadFile(logf)
		if len(tail) > 2000 {
			tail = tail[len(tail)-2000:]
		}
		return fmt.Errorf("starting PostgreSQL failed: %v\n%s\nlog %s:\n%s", err, out, logf, tail)
	}
	return nil
}

// Bootstrap creates the roles and the database, installs PostGIS and sets
// the grants (Roles.RoleStatements, Roles.DatabaseStatements), connected as
// the superuser. Idempotent: `sit db up` runs it every time.
func (c *Cluster) Bootstrap(ctx context.Context) error {
	r := c.Roles()
	conn, err := c.connect(ctx, "postgres")
	if err != nil {
		return err
	}
	if c.state.WebPassword == "" { // a cluster made before the web role
		c.state.WebPassword = randomPassword()
		if err := c.saveState(); err != nil {
			conn.Close(ctx)
			return err
		}
	}
	err = EnsureRoles(ctx, conn, r, c.state.OwnerPassword, c.state.ReaderPassword, c.state.WebPassword)
	if err == nil {
		err = createDatabase(ctx, conn, r.Database)
	}
	conn.Close(ctx)
	if err != nil {
		return err
	}
	db, err := c.connect(ctx, r.Database)
	if err != nil {
		return err
	}
	defer db.Close(ctx)
	if err := PrepareDatabase(ctx, db, r); err != nil {
		return err
	}
	c.state.Bootstrapped = bootstrapVersion
	return c.saveState()
}

// createDatabase creates the database, owned by the connected superuser.
func createDatabase(ctx context.Context, conn *pgx.Conn, name string) error {
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("check database: %w", err)
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident(name)); err != nil {
		return fmt.Errorf("create database: %w", err)
	}
	return nil
}

// connect logs in as the superuser: bootstrap only.
func (c *Cluster) connect(ctx context.Context, db string) (*pgx.Conn, error) {
	var conn *pgx.Conn
	var err error
	// The server may still be finishing its start-up.
	for i := 0; i < 50; i++ {
		conn, err = pgx.Connect(ctx, c.AdminURLFor(db))
		if err == nil {
			return conn, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil, fmt.Errorf("connect to the managed cluster on port %d: %w", c.state.Port, err)
}

func (c *Cluster) url(user, password, db string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(user, password),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.state.Port)),
		Path:     "/" + db,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// Roles are the owner and reader of the cluster's SIT database.
func (c *Cluster) Roles() Roles {
	owner := c.state.OwnerRole
	if owner == "" {
		owner = OwnerRole
	}
	return Roles{Database: Database, Owner: owner, Reader: ReaderRole, Web: WebRole}
}

// OwnerURL is the connection string of the owner role (imports, migrations).
func (c *Cluster) OwnerURL() string { return c.OwnerURLFor(Database) }

// OwnerURLFor is the owner's connection string to another database of the cluster.
func (c *Cluster) OwnerURLFor(db string) string {
	return c.url(c.Roles().Owner, c.state.OwnerPassword, db)
}

// ReaderURL is the connection string of the read-only serving role.
func (c *Cluster) ReaderURL() string { return c.ReaderURLFor(Database) }

// ReaderURLFor is the reader's connection string to another database of the cluster.
func (c *Cluster) ReaderURLFor(db string) string {
	return c.url(ReaderRole, c.state.ReaderPassword, db)
}

// WebURL is the connection string of the web role (accounts, sessions,
// tokens, audit log).
func (c *Cluster) WebURL() string { return c.WebURLFor(Database) }

// WebURLFor is the web role's connection string to another database of the cluster.
func (c *Cluster) WebURLFor(db string) string {
	return c.url(WebRole, c.state.WebPassword, db)
}

// AdminURLFor is the superuser's connection string: bootstrap and the test
// harness only, never a server.
func (c *Cluster) AdminURLFor(db string) string {
	role, pw := c.state.AdminRole, c.state.AdminPassword
	if role == "" { // a cluster not yet adopted: its superuser is "sit"
		role, pw = "sit", c.state.OwnerPassword
	}
	return c.url(role, pw, db)
}

// State returns what the cluster recorded about itself.
func (c *Cluster) State() State { return c.state }

// Dir is SIT's directory for this cluster.
func (c *Cluster) Dir() string { return c.opt.Dir }

// Down stops the server (fast shutdown: open transactions roll back).
func (c *Cluster) Down(ctx context.Context) error {
	running, err := c.Running(ctx)
	if err != nil || !running {
		return err
	}
	cmd := exec.CommandContext(ctx, filepath.Join(c.state.BinDir, "pg_ctl"), "stop", "-w", "-m", "fast", "-D", c.state.PGData)
	u, err := c.osUser()
	if err != nil {
		return err
	}
	u.apply(cmd)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pg_ctl stop: %v: %s", err, out)
	}
	return nil
}

// Destroy stops the cluster and removes its files (test harness only).
func (c *Cluster) Destroy(ctx context.Context) error {
	err := c.Down(ctx)
	if c.state.PGData != "" && !strings.HasPrefix(c.state.PGData, c.opt.Dir) {
		err = errors.Join(err, os.RemoveAll(filepath.Dir(c.state.PGData)))
	}
	return errors.Join(err, os.RemoveAll(c.opt.Dir))
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func portFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

func randomPassword() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func shortHash(s string) string {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return strconv.FormatUint(h, 36)
}
