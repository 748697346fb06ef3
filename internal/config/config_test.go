package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func TestSettingsTable(t *testing.T) {
	settings := Settings()
	if err := checkTable(settings); err != nil {
		t.Fatal(err)
	}
	if len(settings) < 30 {
		t.Fatalf("only %d settings: the walk missed some", len(settings))
	}
	// Every flag the commands had before the table keeps its name.
	flags := map[string]bool{}
	for _, s := range settings {
		flags[s.Flag] = true
	}
	for _, f := range []string{"database-url", "reader-url", "data-dir", "log-level", "addr", "public-url", "request-timeout",
		"statement-timeout", "max-conns", "max-limit", "tile-cache-bytes", "tile-cache-control", "tile-concurrency", "pmtiles-dir",
		"basemap", "comune", "sliver-min-area", "sliver-min-pct", "max-report-parcels", "migrate", "read-header-timeout",
		"read-timeout", "write-timeout", "idle-timeout", "max-header-bytes", "max-body-bytes", "max-requests-per-ip",
		"shutdown-grace", "large-pages"} {
		if !flags[f] {
			t.Errorf("flag --%s is gone", f)
		}
	}
}

func TestCheckTableRefusesUntaggedField(t *testing.T) {
	type bad struct {
		Documented int    `key:"x.documented" flag:"documented" doc:"fine"`
		Forgotten  string // no tags: must be reported
	}
	var out []Setting
	walk(reflect.TypeOf(bad{}), nil, &out)
	err := checkTable(out)
	if err == nil || !strings.Contains(err.Error(), `key ""`) || !strings.Contains(err.Error(), "no doc, or a backquote") {
		t.Fatalf("got %v", err)
	}
}

// The defaults are those the flags had before the table.
func TestDefaults(t *testing.T) {
	s := DefaultServer()
	want := map[string][2]any{
		"addr":            {s.Addr, "127.0.0.1:8080"},
		"request":         {s.RequestTimeout, 60 * time.Second},
		"statement":       {s.StatementTimeout, 30 * time.Second},
		"max conns":       {s.MaxConns, int32(32)},
		"default limit":   {s.DefaultLimit, 10},
		"max limit":       {s.MaxLimit, 10000},
		"tile cache":      {s.TileCacheBytes, int64(32 << 20)},
		"cache control":   {s.TileCacheControl, "public, max-age=60"},
		"comune":          {s.Comune, "Comune di Lucca"},
		"sliver area":     {s.SliverMinAreaM2, 1.0},
		"sliver pct":      {s.SliverMinPct, 0.1},
		"report parcels":  {s.MaxReportParcels, 20},
		"header timeout":  {s.ReadHeaderTimeout, 10 * time.Second},
		"read timeout":    {s.ReadTimeout, 30 * time.Second},
		"write timeout":   {s.WriteTimeout, 30 * time.Second},
		"idle timeout":    {s.IdleTimeout, 120 * time.Second},
		"header bytes":    {s.MaxHeaderBytes, 256 << 10},
		"body bytes":      {s.MaxBodyBytes, int64(1 << 20)},
		"shutdown grace":  {s.ShutdownGrace, 10 * time.Second},
		"trusted proxies": {len(s.TrustedProxies), 0},
	}
	for name, p := range want {
		if p[0] != p[1] {
			t.Errorf("%s: got %v, want %v", name, p[0], p[1])
		}
	}
	g := Defaults().Global
	if g.DataDir != DefaultDataDir || g.Log.Level != "info" || g.Log.Format != "text" || !g.Log.Access {
		t.Errorf("global defaults: %+v", g)
	}
	if err := Defaults().Validate(); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "sit.toml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// flagSet is the flags of a command that takes every setting.
func flagSet(t *testing.T, args ...string) *pflag.FlagSet {
	t.Helper()
	fs := pflag.NewFlagSet("sit", pflag.ContinueOnError)
	AddFileFlag(fs)
	AddFlags(fs, "database.", "log.", "server.", "tiles.", "viewer.", "report.")
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestPrecedence(t *testing.T) {
	file := writeFile(t, "[server]\nmax_limit = 100\naddr = \":9000\"\n")
	tests := []struct {
		name   string
		env    []string
		args   []string
		want   int
		origin string
	}{
		{"default", nil, nil, 10000, "default"},
		{"file", []string{"SIT_CONFIG=" + file}, nil, 100, "file " + file},
		{"env over file", []string{"SIT_CONFIG=" + file, "SIT_MAX_LIMIT=200"}, nil, 200, "env SIT_MAX_LIMIT"},
		{"flag over env", []string{"SIT_CONFIG=" + file, "SIT_MAX_LIMIT=200"}, []string{"--max-limit", "300"}, 300, "flag --max-limit"},
		{"--config over SIT_CONFIG", []string{"SIT_CONFIG=/nonexistent"}, []string{"--config", file}, 100, "file " + file},
		{"empty variable is unset", []string{"SIT_CONFIG=" + file, "SIT_MAX_LIMIT="}, nil, 100, "file " + file},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := Load(Sources{Env: tc.env, Flags: flagSet(t, tc.args...)})
			if err != nil {
				t.Fatal(err)
			}
			if l.Server.MaxLimit != tc.want || l.Origin("server.max_limit") != tc.origin {
				t.Fatalf("max_limit %d from %s, want %d from %s", l.Server.MaxLimit, l.Origin("server.max_limit"), tc.want, tc.origin)
			}
		})
	}
}

func TestEnvNames(t *testing.T) {
	l, err := Load(Sources{Env: []string{"DATABASE_URL=postgres://a@h/d", "SIT_READER_URL=postgres://r@h/d", "SIT_DATA_DIR=/srv/pg",
		"SIT_TRUSTED_PROXIES=127.0.0.1, 10.0.0.0/8", "SIT_MIGRATE=true", "SIT_REQUEST_TIMEOUT=2m"}})
	if err != nil {
		t.Fatal(err)
	}
	if l.DatabaseURL != "postgres://a@h/d" || l.ReaderURL != "postgres://r@h/d" || l.DataDir != "/srv/pg" ||
		!reflect.DeepEqual(l.Server.TrustedProxies, []string{"127.0.0.1", "10.0.0.0/8"}) || !l.Server.Migrate || l.Server.RequestTimeout != 2*time.Minute {
		t.Fatalf("%+v", l.Config)
	}
	// The setting's own name wins over the older alias.
	l, err = Load(Sources{Env: []string{"DATABASE_URL=postgres://old@h/d", "SIT_DATABASE_URL=postgres://new@h/d"}})
	if err != nil || l.DatabaseURL != "postgres://new@h/d" || l.Origin("database.url") != "env SIT_DATABASE_URL" {
		t.Fatalf("%v %q %s", err, l.DatabaseURL, l.Origin("database.url"))
	}
	// A misspelt variable is a warning with the name meant.
	l, err = Load(Sources{Env: []string{"SIT_MAX_LIMT=5", "SIT_TEST_DATABASE_URL=x", "SIT_E2E_KEEP=1"}})
	if err != nil || len(l.Warnings) != 1 || !strings.Contains(l.Warnings[0], "did you mean SIT_MAX_LIMIT?") {
		t.Fatalf("%v %q", err, l.Warnings)
	}
}

func TestFlags(t *testing.T) {
	fs := flagSet(t, "--migrate", "--trusted-proxies", "127.0.0.1", "--trusted-proxies", "::1,10.0.0.0/8", "--log-format=json", "--access-log=false")
	l, err := Load(Sources{Flags: fs})
	if err != nil {
		t.Fatal(err)
	}
	if !l.Server.Migrate || !reflect.DeepEqual(l.Server.TrustedProxies, []string{"127.0.0.1", "::1", "10.0.0.0/8"}) || l.Log.Format != "json" || l.Log.Access {
		t.Fatalf("%+v", l.Config)
	}
	// A value of the wrong type is refused while parsing, naming the flag.
	fs = pflag.NewFlagSet("sit", pflag.ContinueOnError)
	fs.SetOutput(&bytes.Buffer{})
	AddFlags(fs, "server.")
	err = fs.Parse([]string{"--max-limit", "lots"})
	if err == nil || !strings.Contains(err.Error(), `"--max-limit"`) || !strings.Contains(err.Error(), "want an integer") {
		t.Fatalf("got %v", err)
	}
	// Only the sections asked for.
	if fs.Lookup("comune") != nil || fs.Lookup("addr") == nil {
		t.Fatal("AddFlags took the wrong sections")
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, file string
		env, args  []string
		want       []string
	}{
		{"range from the file", "[server]\nmax_limit = 0\n", nil, nil,
			[]string{"server.max_limit: must be between 1 and 100000, got 0 (set by file "}},
		{"range from the environment", "", []string{"SIT_MAX_LIMIT=100001"}, nil,
			[]string{"server.max_limit: must be between 1 and 100000, got 100001 (set by env SIT_MAX_LIMIT)"}},
		{"range from a flag", "", nil, []string{"--max-conns=1"},
			[]string{"server.max_conns: must be between 2 and 10000, got 1 (set by flag --max-conns)"}},
		{"unknown key", "[server]\nmax_limt = 5\n", nil, nil,
			[]string{"unknown key server.max_limt (did you mean server.max_limit?)"}},
		{"unknown section", "[sever]\naddr = \":80\"\n", nil, nil,
			[]string{"unknown key sever.addr (did you mean server.addr?)"}},
		{"key outside a section", "max_limit = 5\n", nil, nil,
			[]string{"a setting outside a [section] max_limit"}},
		{"wrong type", "[server]\nmax_limit = \"100\"\n", nil, nil,
			[]string{`server.max_limit: want an integer, got the string "100"`}},
		{"duration as a number", "[server]\nrequest_timeout = 30\n", nil, nil,
			[]string{`server.request_timeout: want a duration as a string such as "30s", got the integer 30`}},
		{"bad duration", "", []string{"SIT_REQUEST_TIMEOUT=30"}, nil,
			[]string{`server.request_timeout: want a duration such as 30s, 2m or 1h30m, got "30" (set by env SIT_REQUEST_TIMEOUT)`}},
		{"syntax error names the line", "[server]\n\nmax_limit = = 3\n", nil, nil, []string{"line 3"}},
		{"enum with a suggestion", "[log]\nformat = \"jsn\"\n", nil, nil,
			[]string{`log.format: must be one of text, json, got "jsn" (did you mean "json"?)`}},
		{"cross-check", "[server]\nstatement_timeout = \"2m\"\n", nil, nil,
			[]string{"server.statement_timeout: must not exceed server.request_timeout (1m), got 2m (set by file"}},
		{"url", "", []string{"SIT_PUBLIC_URL=sit.comune.lucca.it"}, nil,
			[]string{`server.public_url: must be an absolute http:// or https:// URL`}},
		{"proxies", "[server]\ntrusted_proxies = [\"127.0.0.1\", \"nginx\"]\n", nil, nil,
			[]string{`server.trusted_proxies: item 2: must be an IP address or a CIDR range`}},
		{"every problem at once", "[server]\nmax_limit = 0\nmax_conns = 0\n", nil, nil,
			[]string{"server.max_limit:", "server.max_conns:"}},
		{"no file", "", []string{"SIT_CONFIG=/nonexistent/sit.toml"}, nil, []string{"/nonexistent/sit.toml"}},
		{"password never echoed", "", []string{"SIT_DATABASE_URL=postgres://sit:hunter2@h:99999/sit"}, nil, []string{"database.url: not a PostgreSQL connection string"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := tc.env
			if tc.file != "" {
				env = append(env, "SIT_CONFIG="+writeFile(t, tc.file))
			}
			_, err := Load(Sources{Env: env, Flags: flagSet(t, tc.args...)})
			if err == nil {
				t.Fatal("accepted")
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("not a config.Error: %T %v", err, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the password is in the message: %q", err)
			}
		})
	}
}

func TestMaskDSN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://sit:s3cr%40t@db.example:5432/sit?sslmode=require", "postgres://sit:********@db.example:5432/sit?sslmode=require"},
		{"postgres://sit@db/sit?password=s3cret&sslmode=disable", "postgres://sit@db/sit?password=********&sslmode=disable"},
		{"host=db user=sit password=s3cret dbname=sit", "host=db user=sit password=******** dbname=sit"},
		{"host=db password='se cret' dbname=sit", "host=db password=******** dbname=sit"},
		{"postgres://sit@db/sit", "postgres://sit@db/sit"},
	}
	for _, tc := range tests {
		if got := MaskDSN(tc.in); got != tc.want {
			t.Errorf("MaskDSN(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Print writes a file that loads back to the same settings, with the
// secrets masked and the origins said.
func TestPrintRoundTrip(t *testing.T) {
	file := writeFile(t, "[server]\nmax_limit = 500\n[report]\ncomune = \"Comune di \\\"Capannori\\\"\"\n")
	l, err := Load(Sources{Env: []string{"SIT_CONFIG=" + file, "SIT_DATABASE_URL=postgres://sit:hunter2@db/sit",
		"SIT_TRUSTED_PROXIES=127.0.0.1,::1", "SIT_REQUEST_TIMEOUT=1h30m", "SIT_SLIVER_MIN_PCT=2"}})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := l.Print(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, w := range []string{"max_limit = 500  # file " + file, `url = "postgres://sit:********@db/sit"  # env SIT_DATABASE_URL`,
		`trusted_proxies = ["127.0.0.1", "::1"]`, `request_timeout = "1h30m"`, "sliver_min_pct = 2.0", "\n[report]\n"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, "hunter2") {
		t.Fatal("password printed")
	}
	back, err := Load(Sources{Env: []string{"SIT_CONFIG=" + writeFile(t, out)}})
	if err != nil {
		t.Fatal(err)
	}
	back.DatabaseURL = l.DatabaseURL // masked on purpose
	if !reflect.DeepEqual(back.Config, l.Config) {
		t.Fatalf("round trip:\n%+v\n%+v", back.Config, l.Config)
	}
}

// The example file is the generated one, loads as a file that changes
// nothing, and names every key, flag and variable.
func TestExampleFile(t *testing.T) {
	var b bytes.Buffer
	if err := PrintDefaults(&b); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "deploy", "sit.example.toml")
	if os.Getenv("SIT_UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Fatalf("%s is not what `sit config print --defaults` writes: regenerate it with SIT_UPDATE_GOLDEN=1 go test ./internal/config", path)
	}
	l, err := Load(Sources{Env: []string{"SIT_CONFIG=" + path}})
	if err != nil || !reflect.DeepEqual(l.Config, Defaults()) {
		t.Fatalf("%v", err)
	}
	// Uncommented, it is the defaults again.
	uncommented := strings.NewReplacer("\n#", "\n").Replace(b.String())
	var kept []string
	for _, line := range strings.Split(uncommented, "\n") {
		if strings.HasPrefix(line, "[") || strings.Contains(line, " = ") && !strings.HasPrefix(line, " ") {
			kept = append(kept, line)
		}
	}
	l, err = Load(Sources{Env: []string{"SIT_CONFIG=" + writeFile(t, strings.Join(kept, "\n"))}})
	if err != nil || !reflect.DeepEqual(l.Config, Defaults()) {
		t.Fatalf("uncommented example: %v", err)
	}
	for _, s := range Settings() {
		if !strings.Contains(b.String(), "\n#"+s.Name()+" = ") || !strings.Contains(b.String(), s.Env) {
			t.Errorf("%s missing from the example", s.Key)
		}
	}
}
