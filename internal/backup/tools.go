package backup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// tool finds a PostgreSQL client program: in binDir (the managed
// cluster's own) when given, else the newest /usr/lib/postgresql/N/bin
// (pg_dump must be at least as new as the server), else $PATH.
func tool(name, binDir string) (string, error) {
	var dirs []string
	if binDir != "" {
		dirs = append(dirs, binDir)
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(found, func(i, j int) bool { return major(found[i]) > major(found[j]) })
	dirs = append(dirs, found...)
	for _, d := range dirs {
		p := filepath.Join(d, name)
		if st, err := os.Stat(p); err == nil && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s not found: install the PostgreSQL client (apt-get install postgresql-client-15, or the version of the server)", name)
}

func major(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

var dsnPassword = regexp.MustCompile(`(?i)\bpassword\s*=\s*('(?:[^'\\]|\\.)*'|\S*)`)

// connArgs splits a connection string into one without its password (for
// the command line, which every user of the machine can read) and the
// environment that carries the password (readable by the owner only).
func connArgs(dsn string) (conninfo string, env []string, err error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return "", nil, fmt.Errorf("database URL: %w", err)
	}
	env = append(os.Environ(), "PGAPPNAME=sit backup", "PGCONNECT_TIMEOUT=15")
	if cfg.Password != "" {
		env = append(env, "PGPASSWORD="+cfg.Password)
	}
	if !strings.Contains(dsn, "://") {
		return strings.TrimSpace(dsnPassword.ReplaceAllString(dsn, "")), env, nil
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", nil, fmt.Errorf("database URL: %w", err)
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if q.Has("password") {
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	return u.String(), env, nil
}

// run runs a client program with stdin and stdout, returning its standard
// error in the error when it fails.
func run(ctx context.Context, prog string, args, env []string, stdin io.Reader, stdout io.Writer) error {
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Env, cmd.Stdin, cmd.Stdout = env, stdin, stdout
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	msg := strings.TrimSpace(stderr.String())
	if len(msg) > 4000 {
		msg = msg[:4000] + "…"
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return fmt.Errorf("%s failed (exit %d): %s", filepath.Base(prog), ee.ExitCode(), msg)
	}
	return fmt.Errorf("%s: %w", filepath.Base(prog), err)
}
