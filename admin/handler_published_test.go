package admin

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/auth"
)

// officeSQL is the office's own schema: a table, another, and an
// overloaded function that is neither a tile nor a row function.
const officeSQL = `
CREATE SCHEMA ufficio;
CREATE TABLE ufficio.strade (id int PRIMARY KEY, nome text, geom geometry(LineString, 4326));
INSERT INTO ufficio.strade VALUES (1, 'via Roma', ST_SetSRID(ST_MakeLine(ST_MakePoint(10.50, 43.84), ST_MakePoint(10.51, 43.84)), 4326));
CREATE TABLE ufficio.pozzi (id int PRIMARY KEY, geom geometry(Point, 4326));
CREATE FUNCTION ufficio.f(a integer) RETURNS integer LANGUAGE sql AS 'SELECT a';
CREATE FUNCTION ufficio.f(a text) RETURNS text LANGUAGE sql AS 'SELECT a';
`

// TestPublishedAPI: publishing through /admin/published is for the
// instance's administrators, checks its body naming the member at fault,
// is served at once, audited, and refused without the owner's credentials.
func TestPublishedAPI(t *testing.T) {
	f := newFixture(t)
	if _, err := f.opt.Layers.Pool().Exec(context.Background(), officeSQL); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, who, method, path, body string
		status                        int
		contains                      string
	}{
		{"a schema", adminInst, "POST", "/admin/published", `{"source":"ufficio"}`, 200, `"tracked":["pozzi","strade"]`},
		{"a relation, professional", adminInst, "POST", "/admin/published", `{"source":"ufficio.strade","visibility":"professional"}`, 200, `"relations":["strade"]`},
		{"listed", adminInst, "GET", "/admin/published", "", 200, `"name":"ufficio.strade"`},
		{"listed with its options", adminInst, "GET", "/admin/published", "", 200, `{"source":"ufficio.strade","visibility":"professional"`},
		{"nothing left unserved", adminInst, "GET", "/admin/published", "", 200, `"notServed":[]`},
		{"declared through the API", adminInst, "GET", "/admin/published", "", 200, `"roles":[],"declaredBy":"api"}`},
		{"a tile copy by default", adminInst, "POST", "/admin/published", `{"source":"ufficio.pozzi"}`, 200, `"advice":[],"tileCopies":["ufficio.pozzi"]`},
		{"noTileCopy not a boolean", adminInst, "POST", "/admin/published", `{"source":"ufficio.pozzi","noTileCopy":1}`, 400, `noTileCopy`},
		{"the Web Mercator copy advised", adminInst, "POST", "/admin/published", `{"source":"ufficio.pozzi","noTileCopy":true}`, 200,
			`"advice":["ALTER TABLE \"ufficio\".\"pozzi\" ADD COLUMN \"geom_3857\" geometry(POINT, 3857) GENERATED ALWAYS AS`},
		{"mercator not a boolean", adminInst, "POST", "/admin/published", `{"source":"ufficio.pozzi","mercator":"yes"}`, 400, `mercator`},
		{"the Web Mercator copy added", adminInst, "POST", "/admin/published", `{"source":"ufficio.pozzi","mercator":true,"noTileCopy":true}`, 200, `"pending":[],"advice":[]`},
		{"and read by the tiles", adminInst, "GET", "/admin/published", "", 200, `"name":"ufficio.pozzi","origin":"table","geometry":"geom","srid":4326`},
		{"comune admin may not list", adminLU, "GET", "/admin/published", "", 403, "instance"},
		{"comune admin may not publish", adminLU, "POST", "/admin/published", `{"source":"ufficio"}`, 403, "instance"},
		{"editor", editor, "POST", "/admin/published", `{"source":"ufficio"}`, 403, ""},
		{"anonymous", anon, "POST", "/admin/published", `{"source":"ufficio"}`, 401, ""},
		{"no source", adminInst, "POST", "/admin/published", `{"visibility":"public"}`, 400, `"parameter":"source"`},
		{"bad visibility", adminInst, "POST", "/admin/published", `{"source":"ufficio.strade","visibility":"segreto"}`, 400, `"parameter":"visibility"`},
		{"bad kind", adminInst, "POST", "/admin/published", `{"source":"ufficio.strade","kind":"castello"}`, 400, `"parameter":"kind"`},
		{"a role the kind lacks", adminInst, "POST", "/admin/published", `{"source":"ufficio.strade","roles":["cadastre"]}`, 400, `"parameter":"roles"`},
		{"no such relation", adminInst, "POST", "/admin/published", `{"source":"ufficio.nessuna"}`, 400, `"parameter":"source"`},
		{"no such schema", adminInst, "POST", "/admin/published", `{"source":"nessuno"}`, 400, `"parameter":"source"`},
		{"SIT's own schema", adminInst, "POST", "/admin/published", `{"source":"sit_auth"}`, 400, `"parameter":"source"`},
		{"an overloaded function", adminInst, "POST", "/admin/published", `{"source":"ufficio.f"}`, 200, `"relations":["f"]`},
		{"each overload named by its signature", adminInst, "GET", "/admin/published", "", 200,
			`"ufficio.f(int4): neither a tile function (returns bytea) nor a set of rows","ufficio.f(text): neither`},
		{"unknown member", adminInst, "POST", "/admin/published", `{"sorce":"ufficio"}`, 400, `"parameter":"body"`},
		{"query parameter", adminInst, "GET", "/admin/published?x=1", "", 400, `"parameter":"x"`},
		{"comune admin may not remove", adminLU, "DELETE", "/admin/published/ufficio.strade", "", 403, ""},
		{"remove", adminInst, "DELETE", "/admin/published/ufficio.strade", "", 200, `"source":"ufficio.strade"`},
		{"remove again", adminInst, "DELETE", "/admin/published/ufficio.strade", "", 404, "not published"},
		{"remove, the source escaped", adminInst, "DELETE", "/admin/published/ufficio%2Epozzi", "", 200, `"source":"ufficio.pozzi"`},
		{"audited", adminInst, "GET", "/admin/audit?limit=100", "", 200, `"action":"published.remove"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := f.do(tc.who, tc.method, tc.path, tc.body)
			if res.StatusCode != tc.status || !strings.Contains(body, tc.contains) {
				t.Fatalf("%d %s; want %d with %s", res.StatusCode, body, tc.status, tc.contains)
			}
			if tc.name == "the Web Mercator copy added" {
				if l, ok := f.cat.Layer("ufficio.pozzi"); !ok || l.Source.Geom3857 != "geom_3857" || !l.Source.Indexed3857 {
					t.Errorf("the catalog serves %+v", l.Source)
				}
			}
			if tc.name == "a relation, professional" {
				// Served at once by this server's catalog, as published.
				if l, ok := f.cat.Layer("ufficio.strade"); !ok || l.Visibility != "professional" {
					t.Errorf("the catalog serves %+v", l)
				}
			}
		})
	}
	// A browser session sends the CSRF token, as on every POST.
	a, err := f.auth.CreateAccount(t.Context(), auth.NewAccount{Username: "sit.admin", Password: "una password lunga", Role: access.Admin})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := f.auth.NewSession(t.Context(), a, "127.0.0.1", "test", "password")
	if err != nil {
		t.Fatal(err)
	}
	cookie := auth.NewWeb(f.auth, auth.WebOptions{}).CookieName() + "=" + sess.Cookie
	for _, csrf := range []string{"", sess.CSRF} {
		req, _ := http.NewRequest("POST", f.srv.URL+"/admin/published", strings.NewReader(`{"source":"ufficio.pozzi"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Cookie", cookie)
		if csrf != "" {
			req.Header.Set(auth.CSRFHeader, csrf)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if want := map[bool]int{true: 403, false: 200}[csrf == ""]; res.StatusCode != want {
			t.Errorf("session POST with CSRF token %q: %d, want %d", csrf, res.StatusCode, want)
		}
	}
	// Without the owner's credentials: listed, not changed.
	ro := f.readOnly()
	if res, body := ro.do(adminInst, "POST", "/admin/published", `{"source":"ufficio"}`); res.StatusCode != 503 {
		t.Errorf("without --allow-uploads: %d %s", res.StatusCode, body)
	}
	if res, body := ro.do(adminInst, "GET", "/admin/published", ""); res.StatusCode != 200 || !strings.Contains(body, `"source":"ufficio"`) {
		t.Errorf("without --allow-uploads, the list: %d %s", res.StatusCode, body)
	}
}
