package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every mistake on the command line or in the configuration exits 2 with a
// message that names what is wrong; README: Exit codes.
func TestExitCodes(t *testing.T) {
	badFile := filepath.Join(t.TempDir(), "sit.toml")
	if err := os.WriteFile(badFile, []byte("[server]\nmax_limt = 5\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "none")
	tests := []struct {
		name string
		args []string
		env  map[string]string
		code int
		want string
	}{
		{"unknown command", []string{"lyers"}, nil, exitUsage, `unknown command "lyers" for "sit" (did you mean "layers"?)`},
		{"unknown subcommand", []string{"db", "upp"}, nil, exitUsage, `(did you mean "up"?)`},
		{"group without a subcommand", []string{"db"}, nil, exitUsage, "Available Commands"},
		{"unknown flag", []string{"serve", "--max-limt", "5"}, nil, exitUsage, "unknown flag: --max-limt (did you mean --max-limit?)"},
		{"bad flag value", []string{"serve", "--request-timeout", "30"}, nil, exitUsage, `invalid argument "30" for "--request-timeout" flag: want a duration`},
		{"missing argument", []string{"import"}, nil, exitUsage, "see `sit import --help`"},
		{"extra argument", []string{"db", "status", "now"}, nil, exitUsage, `unknown command "now" for "sit db status"`},
		{"bad import flag", []string{"import", "../../data/lucca_046017_boundary.geojson", "--kind", "zonning", "--data-dir", empty}, nil, exitUsage, "--kind"},
		{"setting out of range", []string{"serve", "--max-limit", "0"}, nil, exitUsage, "server.max_limit: must be between 1 and 100000, got 0 (set by flag --max-limit)"},
		{"bad environment", []string{"layers"}, map[string]string{"SIT_LOG_FORMAT": "xml"}, exitUsage, `log.format: must be one of text, json, got "xml" (set by env SIT_LOG_FORMAT)`},
		{"unknown key in the file", []string{"--config", badFile, "layers"}, nil, exitUsage, "unknown key server.max_limt (did you mean server.max_limit?)"},
		{"missing file", []string{"--config", empty, "layers"}, nil, exitUsage, empty},
		{"missing pmtiles directory", []string{"serve", "--pmtiles-dir", empty}, nil, exitUsage, "tiles.pmtiles_dir: " + empty + " is not a directory"},
		{"no cluster", []string{"db", "status", "--data-dir", empty}, nil, exitNotRunning, "not initialised"},
		{"version ignores a broken configuration", []string{"version"}, map[string]string{"SIT_MAX_LIMIT": "x"}, exitOK, "commit:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			out, errOut, code := runSit(t, tc.args...)
			if code != tc.code || !strings.Contains(out+errOut, tc.want) {
				t.Fatalf("exit %d, want %d with %q; stdout %q stderr %q", code, tc.code, tc.want, out, errOut)
			}
		})
	}
}

// In JSON log format even the last error is a JSON record: one format.
func TestErrorAsJSONRecord(t *testing.T) {
	_, errOut, code := runSit(t, "--log-format", "json", "db", "migrate", "--database-url", "postgres://sit:hunter2@127.0.0.1:1/sit?connect_timeout=5")
	if code != exitFailed {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, line := range strings.Split(strings.TrimSpace(errOut), "\n") {
		if !strings.HasPrefix(line, "{") || !strings.HasSuffix(line, "}") {
			t.Fatalf("not a JSON record: %q", line)
		}
	}
	if !strings.Contains(errOut, `"level":"ERROR"`) || !strings.Contains(errOut, `"exit":1`) || strings.Contains(errOut, "hunter2") {
		t.Fatalf("stderr %q", errOut)
	}
}

func TestVersion(t *testing.T) {
	out, _, code := runSit(t, "version")
	if code != 0 || !strings.HasPrefix(out, "sit ") || !strings.Contains(out, "commit:") || !strings.Contains(out, "built:") || !strings.Contains(out, "go:") {
		t.Fatalf("exit %d: %q", code, out)
	}
	b := buildInfo{Version: "v1.2.0", Commit: "0123456789abcdef0123", Modified: true}
	if b.String() != "v1.2.0+0123456789ab.dirty" {
		t.Fatalf("got %q", b.String())
	}
}

// sit config print: the settings in effect, where each came from, secrets
// masked; --defaults: the example file.
func TestConfigPrint(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sit.toml")
	if err := os.WriteFile(file, []byte("[server]\npublic_url = \"https://sit.example.org\"\n[report]\ncomune = \"Comune di Capannori\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SIT_READER_URL", "postgres://sit_reader:hunter2@db.example/sit")
	out, errOut, code := runSit(t, "--config", file, "config", "print", "--max-limit", "500")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, w := range []string{`public_url = "https://sit.example.org"  # file ` + file, "max_limit = 500  # flag --max-limit",
		`reader_url = "postgres://sit_reader:********@db.example/sit"  # env SIT_READER_URL`, `comune = "Comune di Capannori"`} {
		if !strings.Contains(out, w) {
			t.Errorf("missing %q in\n%s", w, out)
		}
	}
	if strings.Contains(out+errOut, "hunter2") {
		t.Fatal("a password was printed")
	}
	out, _, code = runSit(t, "config", "print", "--defaults")
	example, err := os.ReadFile("../../deploy/sit.example.toml")
	if code != 0 || err != nil || out != string(example) {
		t.Fatalf("exit %d, %v: --defaults differs from deploy/sit.example.toml", code, err)
	}
}
