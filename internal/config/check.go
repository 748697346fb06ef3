package config

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// check enforces the setting's min, max, enum and named check on v. An
// empty string or list is "not set" and passes the named checks.
func (s Setting) check(v reflect.Value) error {
	if err := s.checkRange(v); err != nil {
		return err
	}
	if len(s.Enum) > 0 {
		val := v.String()
		for _, e := range s.Enum {
			if val == e {
				return nil
			}
		}
		msg := fmt.Sprintf("must be one of %s, got %q", strings.Join(s.Enum, ", "), val)
		if near := Nearest(val, s.Enum); near != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", near)
		}
		return fmt.Errorf("%s", msg)
	}
	if s.Check == "" {
		return nil
	}
	if v.Kind() == reflect.Slice {
		for i := 0; i < v.Len(); i++ {
			if err := namedCheck(s.Check, v.Index(i).String()); err != nil {
				return fmt.Errorf("item %d: %w", i+1, err)
			}
		}
		return nil
	}
	if v.String() == "" {
		return nil
	}
	return namedCheck(s.Check, v.String())
}

// checkRange compares v with the setting's bounds, parsed as v's type.
func (s Setting) checkRange(v reflect.Value) error {
	if s.Min == "" && s.Max == "" {
		return nil
	}
	bound := func(text string) (float64, bool) {
		if text == "" {
			return 0, false
		}
		b := reflect.New(v.Type()).Elem()
		if err := s.parse(b, text); err != nil {
			return 0, false
		}
		return number(b), true
	}
	n := number(v)
	lo, hasLo := bound(s.Min)
	hi, hasHi := bound(s.Max)
	switch {
	case hasLo && hasHi && (n < lo || n > hi):
		return fmt.Errorf("must be between %s and %s, got %s", s.Min, s.Max, format(v))
	case hasLo && n < lo:
		return fmt.Errorf("must be at least %s, got %s", s.Min, format(v))
	case hasHi && n > hi:
		return fmt.Errorf("must be at most %s, got %s", s.Max, format(v))
	}
	return nil
}

func number(v reflect.Value) float64 {
	switch v.Kind() {
	case reflect.Int, reflect.Int32, reflect.Int64:
		return float64(v.Int())
	case reflect.Float64:
		return v.Float()
	}
	return 0
}

// namedCheck runs one of the checks a tag can name.
func namedCheck(name, val string) error {
	switch name {
	case "url":
		u, err := url.Parse(val)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return fmt.Errorf("must be an absolute http:// or https:// URL without query, fragment or user, got %q", val)
		}
	case "hostport":
		host, port, err := net.SplitHostPort(val)
		if err != nil {
			return fmt.Errorf("must be host:port (e.g. 127.0.0.1:8080 or :8080), got %q", val)
		}
		if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
			return fmt.Errorf("port must be a number from 0 to 65535, got %q", port)
		}
		_ = host
	case "addrs":
		if _, err := netip.ParsePrefix(val); err == nil {
			return nil
		}
		if _, err := netip.ParseAddr(val); err != nil {
			return fmt.Errorf("must be an IP address or a CIDR range such as 10.0.0.0/8, got %q", val)
		}
	case "postgres_url":
		if _, err := pgx.ParseConfig(val); err != nil {
			// pgx's messages redact the password they quote.
			return fmt.Errorf("not a PostgreSQL connection string: %w", err)
		}
	default:
		return fmt.Errorf("unknown check %q", name)
	}
	return nil
}

// Problem is what is wrong with one setting.
type Problem struct {
	Key    string
	Origin string // where the value came from
	Err    error
}

func (p Problem) Error() string {
	if p.Origin == "" || p.Origin == originDefault {
		return fmt.Sprintf("%s: %v", p.Key, p.Err)
	}
	return fmt.Sprintf("%s: %v (set by %s)", p.Key, p.Err, p.Origin)
}

// validate checks what the tags cannot: settings that bound each other.
func (c Config) validate() []Problem {
	var ps []Problem
	s := c.Server
	if s.StatementTimeout > s.RequestTimeout {
		ps = append(ps, Problem{Key: "server.statement_timeout", Err: fmt.Errorf("must not exceed server.request_timeout (%s), got %s", formatDuration(s.RequestTimeout), formatDuration(s.StatementTimeout))})
	}
	if s.OIDCIssuer != "" && (s.OIDCClientID == "" || s.OIDCClientSecret == "") {
		ps = append(ps, Problem{Key: "oidc.issuer", Err: fmt.Errorf("needs oidc.client_id and oidc.client_secret (SIT_OIDC_CLIENT_SECRET)")})
	}
	switch s.OIDCDefaultRole {
	case "", "professional", "editor", "admin":
	default:
		ps = append(ps, Problem{Key: "oidc.default_role", Err: fmt.Errorf("%q: want professional, editor, admin or nothing", s.OIDCDefaultRole)})
	}
	if s.DefaultLimit > s.MaxLimit {
		ps = append(ps, Problem{Key: "server.default_limit", Err: fmt.Errorf("must not exceed server.max_limit (%d), got %d", s.MaxLimit, s.DefaultLimit)})
	}
	return append(ps, checkPublish(c.Publish)...)
}

// CheckPaths checks that the directories the server reads exist: at the
// start of `sit serve`, not of every command that shares the file.
func (s Server) CheckPaths() error {
	if s.PMTilesDir == "" || strings.HasPrefix(s.PMTilesDir, "s3://") { // a bucket is checked when opened
		return nil
	}
	abs, err := filepath.Abs(s.PMTilesDir)
	if err != nil {
		return Problem{Key: "tiles.pmtiles_dir", Err: err}
	}
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		return Problem{Key: "tiles.pmtiles_dir", Err: fmt.Errorf("%s is not a directory", s.PMTilesDir)}
	}
	return nil
}

// Validate checks every setting (tags and cross-checks): what Load does,
// for code that builds a Config itself (tests).
func (c Config) Validate() error {
	var ps []Problem
	for _, s := range Settings() {
		if err := s.check(s.field(&c)); err != nil {
			ps = append(ps, Problem{Key: s.Key, Err: err})
		}
	}
	if len(ps) == 0 {
		ps = c.validate()
	}
	return problems(ps)
}

// Validate checks the server's settings (with defaults elsewhere).
func (s Server) Validate() error {
	c := Defaults()
	c.Server = s
	return c.Validate()
}
