package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/layers"
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

// publishRun is one run of sit publish in TestPublishedFromConfig.
type publishRun struct {
	name   string
	args   []string
	code   int
	want   []string // in the output (or the error when code != 0)
	listed []string // lines of sit publish --list afterwards
	gone   string   // not in sit publish --list afterwards
}

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
	goodText := `[[publish]]
source = "cfg.strade"

[[publish]]
source = "cfg.catasto"
visibility = "professional"
kind = "cadastral"
roles = ["cadastre"]
mercator = true
`
	good := file("sit.toml", goodText)
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
	runs := fromConfigRuns(goodText, good, file)
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) { r.check(t, roles.Owner) })
	}
	// mercator = true gave the cadastre its Web Mercator copy, read by tiles.
	if line := lineOf(publishedList(t, roles.Owner), "cfg.catasto "); line == "" || strings.Contains(line, "Web Mercator") {
		t.Errorf("cfg.catasto after mercator = true: %q", line)
	}
	var copies int
	queryRow(t, roles.Owner, `SELECT count(*) FROM pg_attribute WHERE attrelid = 'cfg.catasto'::regclass AND attname = 'geom_3857' AND attgenerated = 's'`, &copies)
	if copies != 1 {
		t.Errorf("the generated column of cfg.catasto: %d", copies)
	}
	// After: the configuration's sources are served; the server warns only
	// of the one published beyond them.
	s = startServe(t, roles.Reader, "--config", good)
	if code, _, body := get(t, s.base+"/collections/cfg.strade"); code != 200 {
		t.Errorf("cfg.strade after --from-config: %d %s", code, body)
	}
	logs := s.logs.String()
	if strings.Contains(logs, "not published") || strings.Contains(logs, "mercator = true") ||
		!strings.Contains(logs, "altro: published by hand (sit publish), not in the configuration") {
		t.Errorf("warnings after applying:\n%s", logs)
	}
	// The copy gone (dropped by the office): the server says so, with the
	// statements that give it back.
	execSQL(t, roles.Owner, `ALTER TABLE cfg.catasto DROP COLUMN geom_3857`)
	s = startServe(t, roles.Reader, "--config", good)
	if logs := s.logs.String(); !strings.Contains(logs, "mercator = true, but the table has no indexed Web Mercator copy") ||
		!strings.Contains(logs, "cfg.catasto") || !strings.Contains(logs, "GENERATED ALWAYS AS") {
		t.Errorf("no warning of the missing copy:\n%s", logs)
	}
}

// TestMercatorMissing: which published tables lack the copy their
// [[publish]] table asks for.
func TestMercatorMissing(t *testing.T) {
	table := func(schema, rel string, ddl ...string) layers.Layer {
		return layers.Layer{Name: schema + "." + rel, Source: layers.Source{Schema: schema, Relation: rel, MercatorDDL: ddl}}
	}
	ls := []layers.Layer{table("a", "t1", "ALTER …"), table("a", "t2"), table("b", "t3", "ALTER …"), table("c", "t4", "CREATE INDEX …")}
	for _, c := range []struct {
		name  string
		specs []layers.PublishSpec
		want  string
	}{
		{"none asks", []layers.PublishSpec{{Schema: "a"}, {Schema: "b", Relation: "t3"}}, ""},
		{"a schema asks", []layers.PublishSpec{{Schema: "a", Mercator: true}}, "a.t1"},
		{"a relation asks", []layers.PublishSpec{{Schema: "b", Relation: "t3", Mercator: true}, {Schema: "c", Relation: "t9", Mercator: true}}, "b.t3"},
		{"an index missing", []layers.PublishSpec{{Schema: "c", Mercator: true}, {Schema: "a", Relation: "t2", Mercator: true}}, "c.t4"},
	} {
		var got []string
		for _, l := range mercatorMissing(c.specs, ls) {
			got = append(got, l.Name)
		}
		if strings.Join(got, ",") != c.want {
			t.Errorf("%s: %v, want %s", c.name, got, c.want)
		}
	}
}

// fromConfigRuns are the runs of TestPublishedFromConfig, in order: the
// file good applied, changed, left out, broken.
func fromConfigRuns(goodText, good string, file func(name, text string) string) []publishRun {
	withAltro := file("altro.toml", strings.ReplaceAll(goodText, "[[publish]]\nsource = \"cfg.catasto\"", "[[publish]]\nsource = \"altro\"\n\n[[publish]]\nsource = \"altro.pozzi\"\n\n[[publish]]\nsource = \"cfg.catasto\""))
	less := file("less.toml", "[[publish]]\nsource = \"cfg.catasto\"\nvisibility = \"professional\"\nkind = \"cadastral\"\nroles = [\"cadastre\"]\n")
	return []publishRun{
		{"apply", []string{"--from-config", "--config", good}, 0, []string{"publish cfg.strade\n", "published cfg.strade: 1 relations", "published cfg.catasto: 1 relations"},
			[]string{"cfg.catasto ", "professional"}, ""},
		{"another source, by hand", []string{"altro"}, 0, []string{"published altro"}, []string{"altro.pozzi ", "public"}, ""},
		// The file names altro too (and one of its tables): it does not
		// claim a source published by hand.
		{"the file names it too", []string{"--from-config", "--config", withAltro}, 0,
			[]string{"publish (unchanged) cfg.strade", "publish (unchanged) altro\n", "publish altro.pozzi"}, []string{"altro.pozzi ", "true"}, ""},
		// altro.pozzi, the file's, goes; altro, by hand, stays, and so
		// does the change trigger on altro.pozzi, which altro still serves.
		{"apply again: unpublishes the file's, keeps the hand's", []string{"--from-config", "--config", good}, 0,
			[]string{"unpublish altro.pozzi: published from the configuration, no longer in it", "unpublished altro.pozzi",
				"keep altro: published by hand (sit publish), not in the configuration (sit publish --remove altro unpublishes it)"},
			[]string{"altro.pozzi ", "true"}, ""},
		{"dry run", []string{"--from-config", "--dry-run", "--config", less}, 0,
			[]string{"dry run: nothing is changed", "would unpublish cfg.strade: published from the configuration, no longer in it",
				"would publish (unchanged) cfg.catasto", "keep altro"}, []string{"cfg.strade ", "true"}, ""},
		{"a source left out of the file", []string{"--from-config", "--config", less}, 0,
			[]string{"unpublish cfg.strade: published from the configuration", "unpublished cfg.strade: 1 relations"}, nil, "cfg.strade "},
		{"back in the file", []string{"--from-config", "--config", good}, 0, []string{"publish cfg.strade\n", "published cfg.strade"},
			[]string{"cfg.strade ", "true"}, ""},
		{"--dry-run alone", []string{"cfg", "--dry-run"}, 2, []string{"--dry-run goes with --from-config"}, nil, ""},
		{"a role the kind lacks", []string{"--from-config", "--config", file("bad.toml", "[[publish]]\nsource = \"cfg.strade\"\nroles = [\"cadastre\"]\n")}, 2,
			[]string{"publish[1] (cfg.strade)", "kind cadastral"}, nil, ""},
		{"no [[publish]] table", []string{"--from-config", "--config", file("empty.toml", "[server]\nmax_limit = 50\n")}, 2, []string{"no [[publish]] table"}, nil, ""},
		{"an unknown key", []string{"--from-config", "--config", file("typo.toml", "[[publish]]\nsorce = \"cfg\"\n")}, 2, []string{"unknown key sorce in [[publish]]"}, nil, ""},
		{"with --list", []string{"--from-config", "--list"}, 2, []string{"--from-config"}, nil, ""},
	}
}

// check runs sit publish as the owner and checks its output and the list
// afterwards.
func (r publishRun) check(t *testing.T, owner string) {
	out, errOut, code := runSit(t, append([]string{"publish", "--database-url", owner}, r.args...)...)
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
	if r.gone != "" && strings.Contains(publishedList(t, owner), r.gone) {
		t.Errorf("sit publish --list still lists %q", r.gone)
	}
	if len(r.listed) > 0 {
		line := lineOf(publishedList(t, owner), r.listed[0])
		for _, w := range r.listed[1:] {
			if !strings.Contains(line, w) {
				t.Errorf("sit publish --list: %q lacks %q", line, w)
			}
		}
	}
}
