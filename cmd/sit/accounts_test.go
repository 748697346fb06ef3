package main

import (
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/dbtest"
)

// TestAccountCommands runs the comune, user and token commands one after
// the other on one database, as an operator would, with what each prints
// and its exit code; the audit log records what the command line did.
func TestAccountCommands(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	steps := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string // in the standard output (or error, when code ≠ 0)
	}{
		{"comune add", "", []string{"comune", "add", "lucca", "--name", "Comune di Lucca", "--belfiore", "E715"}, 0, "comune lucca added: /c/lucca/"},
		{"comune set", "", []string{"comune", "set", "lucca", "--name", "Città di Lucca"}, 0, "comune lucca updated"},
		{"comune set unknown", "", []string{"comune", "set", "nowhere", "--name", "X"}, 1, "nowhere"},
		{"comune list", "", []string{"comune", "list"}, 0, "Città di Lucca"},
		{"user add", "una password lunga\n", []string{"user", "add", "maria", "--role", "admin", "--comune", "lucca", "--password-stdin"}, 0, "account maria added (admin of lucca)"},
		{"user add bad role", "una password lunga\n", []string{"user", "add", "piero", "--role", "boss", "--password-stdin"}, 1, "--role"},
		{"user add twice", "una password lunga\n", []string{"user", "add", "maria", "--role", "admin", "--password-stdin"}, 1, "maria"},
		{"user passwd", "un'altra password lunga\n", []string{"user", "passwd", "maria", "--password-stdin"}, 0, "password of maria changed"},
		{"user passwd unknown", "un'altra password lunga\n", []string{"user", "passwd", "nessuno", "--password-stdin"}, 1, "account nessuno"},
		{"user set", "", []string{"user", "set", "maria", "--role", "editor", "--layers", "zone"}, 0, "account maria: editor of lucca"},
		{"user list", "", []string{"user", "list"}, 0, "maria"},
		{"token create", "", []string{"token", "create", "--name", "notturno", "--role", "editor", "--comune", "lucca"}, 0, "sit_"},
		{"token list", "", []string{"token", "list"}, 0, "notturno"},
		{"token revoke", "", []string{"token", "revoke", "notturno"}, 0, "token notturno revoked"},
		{"token revoke unknown", "", []string{"token", "revoke", "nessuno"}, 1, "token nessuno"},
		{"user rm", "", []string{"user", "rm", "maria"}, 0, "account maria removed"},
		{"user rm again", "", []string{"user", "rm", "maria"}, 1, "account maria"},
	}
	for _, s := range steps {
		out, errOut, code := runSitIO(t, s.stdin, nil, append(s.args, "--database-url", url)...)
		got := out
		if s.code != 0 {
			got = errOut
		}
		if code != s.code || !strings.Contains(got, s.want) {
			t.Fatalf("%s: exit %d, want %d; output %q (stderr %q), want it to contain %q", s.name, code, s.code, out, errOut, s.want)
		}
	}
	var actions string
	queryRow(t, url, `SELECT string_agg(action || ':' || result, ',' ORDER BY id) FROM sit_auth.audit`, &actions)
	want := "account.create:ok,account.create:failed,account.password:ok,account.update:ok,token.create:ok,token.revoke:ok,account.delete:ok"
	if actions != want {
		t.Errorf("audit log %s\nwant          %s", actions, want)
	}
}
