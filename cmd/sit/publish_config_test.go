package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/dbtest"
)

// configOfficeSQL is a small office schema for the configuration's tests.
const configOfficeSQL = `
CREATE SCHEMA cfg;
CREATE TABLE cfg.strade (id int PRIMARY KEY, nome text, geom geometry(LineString, 4326));
INSERT INTO cfg.strade VALUES (1, 'via Roma', ST_SetSRID(ST_MakeLine(ST_MakePoint(10.50, 43.84), ST_MakePoint(10.51, 43.84)), 4326));
CREATE TABLE cfg.catasto (id int PRIMARY KEY, comune text, foglio text, particella text, geom geometry(MultiPolygon, 4326));
INSERT INTO cfg.catasto VALUES (1, 'E715', '12', '34', ST_Multi(ST_MakeEnvelope(10.52, 43.85, 10.521, 43.851, 4326)));
CREATE SCHEMA altro;
CREATE TABLE altro.pozzi (id int PRIMARY KEY, geom geometry(Point, 4326));
`

// TestPublishedFromConfig: the file's [[publish]] tables are applied by
// sit publish --from-config (as the owner); sit serve, which holds only the
// reader's credentials, applies nothing and warns where they differ.
func TestPublishedFromConfig(t *testing.T) {
	t.Parallel()
	roles := dbtest.Roles(t)
	execSQL(t, roles.Owner, configOfficeSQL)
	if _, errOut, code := runSit(t, "db", "migrate", "--database-url", roles.Owner); code != 0 {
		t.Fatalf("sit db migrate: %s", errOut)
	}
	dir := t.TempDir()
	file := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := file("sit.toml", `[[publish]]
source = "cfg.strade"

[[publish]]
source = "cfg.catasto"
visibility = "professional"
kind = "cadastral"
roles = ["cadastre"]
`)
	// Before: the server warns of each source the database lacks.
	s := startServe(t, roles.Reader, "--config", good)
	for _, w := range []string{"cfg.strade: in the configuration, not published", "cfg.catasto: in the configuration, not published"} {
		if !strings.Contains(s.logs.String(), w) {
			t.Errorf("sit serve does not warn %q:\n%s", w, s.logs)
		}
	}
	if code, _, _ := get(t, s.base+"/collections/cfg.strade"); code != 404 {
		t.Errorf("sit serve published something: %d", code)
	}
	runs := []struct {
		name   string
		args   []string
		code   int
		want   []string // in the output (or the error when code != 0)
		listed []string // lines of sit publish --list afterwards
	}{
		{"apply", []string{"--from-config", "--config", good}, 0, []string{"published cfg.strade: 1 relations", "published cfg.catasto: 1 relations"},
			[]string{"cfg.catasto ", "professional"}},
		{"another source, by hand", []string{"altro"}, 0, []string{"published altro"}, []string{"altro.pozzi ", "public"}},
		{"apply again: reports, keeps", []string{"--from-config", "--config", good}, 0,
			[]string{"altro: published, not in the configuration (kept; sit publish --remove altro unpublishes it)"}, []string{"altro.pozzi ", "public"}},
		{"a role the kind lacks", []string{"--from-config", "--config", file("bad.toml", "[[publish]]\nsource = \"cfg.strade\"\nroles = [\"cadastre\"]\n")}, 2,
			[]string{"publish[1] (cfg.strade)", "kind cadastral"}, nil},
		{"no [[publish]] table", []string{"--from-config", "--config", file("empty.toml", "[server]\nmax_limit = 50\n")}, 2, []string{"no [[publish]] table"}, nil},
		{"an unknown key", []string{"--from-config", "--config", file("typo.toml", "[[publish]]\nsorce = \"cfg\"\n")}, 2, []string{"unknown key sorce in [[publish]]"}, nil},
		{"with --list", []string{"--from-config", "--list"}, 2, []string{"--from-config"}, nil},
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			out, errOut, code := runSit(t, append([]string{"publish", "--database-url", roles.Owner}, r.args...)...)
			text := out
			if r.code != 0 {
				text = errOut
			}
			if code != r.code {
				t.Fatalf("exit %d, want %d: %s %s", code, r.code, out, errOut)
			}
			for _, w := range r.want {
				if !strings.Contains(text, w) {
					t.Errorf("%q lacks %q", text, w)
				}
			}
			if len(r.listed) > 0 {
				line := lineOf(publishedList(t, roles.Owner), r.listed[0])
				for _, w := range r.listed[1:] {
					if !strings.Contains(line, w) {
						t.Errorf("sit publish --list: %q lacks %q", line, w)
					}
				}
			}
		})
	}
	// After: the configuration's sources are served; the server warns only
	// of the one published beyond them.
	s = startServe(t, roles.Reader, "--config", good)
	if code, _, body := get(t, s.base+"/collections/cfg.strade"); code != 200 {
		t.Errorf("cfg.strade after --from-config: %d %s", code, body)
	}
	logs := s.logs.String()
	if strings.Contains(logs, "not published") || !strings.Contains(logs, "altro: published, not in the configuration") {
		t.Errorf("warnings after applying:\n%s", logs)
	}
}
