package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sit-gis/sit/internal/dbtest"
)

// officeSQL is a GIS office's own schema, written as QGIS users and DBAs
// write it: tables in four SRIDs with differently named geometry columns,
// a view joining two tables, a materialized view, a table with two
// geometry columns and one without a key. Everything is near Lucca.
const officeSQL = `
CREATE SCHEMA ufficio;
CREATE TABLE ufficio.tipi (id int PRIMARY KEY, descr text);
INSERT INTO ufficio.tipi VALUES (1, 'comunale'), (2, 'provinciale');
CREATE TABLE ufficio.strade (gid serial PRIMARY KEY, nome text NOT NULL, tipo int REFERENCES ufficio.tipi,
	larghezza numeric(5,2), the_geom geometry(LineString, 3003));
COMMENT ON TABLE ufficio.strade IS 'Strade comunali';
COMMENT ON COLUMN ufficio.strade.nome IS 'Denominazione';
INSERT INTO ufficio.strade (nome, tipo, larghezza, the_geom)
	SELECT 'via ' || i, 1 + i % 2, 5.5, ST_Transform(ST_SetSRID(ST_MakeLine(ST_MakePoint(10.50 + i * 0.001, 43.84),
		ST_MakePoint(10.50 + i * 0.001, 43.845)), 4326), 3003) FROM generate_series(1, 40) i;
CREATE TABLE ufficio.edifici (id bigint PRIMARY KEY, uso text, geom geometry(Polygon, 6707));
INSERT INTO ufficio.edifici SELECT i, CASE WHEN i % 3 = 0 THEN 'residenziale' ELSE 'servizi' END,
	ST_Transform(ST_SetSRID(ST_Buffer(ST_MakePoint(10.50 + i * 0.0005, 43.842), 0.0002), 4326), 6707) FROM generate_series(1, 25) i;
CREATE TABLE ufficio.pozzi (codice text PRIMARY KEY, profondita float8, geom geometry(Point, 3857));
INSERT INTO ufficio.pozzi SELECT 'P' || i, i * 1.5, ST_Transform(ST_SetSRID(ST_MakePoint(10.51 + i * 0.0003, 43.843), 4326), 3857)
	FROM generate_series(1, 15) i;
CREATE VIEW ufficio.strade_tipo AS SELECT s.gid, s.nome, t.descr, s.the_geom FROM ufficio.strade s JOIN ufficio.tipi t ON t.id = s.tipo;
CREATE MATERIALIZED VIEW ufficio.edifici_res AS SELECT id, geom FROM ufficio.edifici WHERE uso = 'residenziale';
CREATE TABLE ufficio.lotti (id int PRIMARY KEY, area geometry(Polygon, 4326), centro geometry(Point, 4326));
INSERT INTO ufficio.lotti SELECT i, ST_Buffer(ST_SetSRID(ST_MakePoint(10.505 + i * 0.001, 43.841), 4326), 0.0003),
	ST_SetSRID(ST_MakePoint(10.505 + i * 0.001, 43.841), 4326) FROM generate_series(1, 12) i;
CREATE TABLE ufficio.segnali (tipo text, geom geometry(Point, 4326));
INSERT INTO ufficio.segnali SELECT 'stop', ST_SetSRID(ST_MakePoint(10.502 + i * 0.0002, 43.8425), 4326) FROM generate_series(1, 30) i;
CREATE TABLE ufficio."Edifici Storici" ("ID" serial PRIMARY KEY, "Nome" varchar(80), geom geometry(MultiPolygon, 3003));
INSERT INTO ufficio."Edifici Storici" ("Nome", geom) SELECT 'Torre ' || i,
	ST_Multi(ST_Transform(ST_SetSRID(ST_Buffer(ST_MakePoint(10.503 + i * 0.0004, 43.8415), 0.0001), 4326), 3003)) FROM generate_series(1, 6) i;
CREATE TABLE ufficio.catasto (id serial PRIMARY KEY, comune text, foglio text, particella text, geom geometry(MultiPolygon, 6707));
INSERT INTO ufficio.catasto (comune, foglio, particella, geom) SELECT 'E715', '37', i::text,
	ST_Multi(ST_Transform(ST_MakeEnvelope(10.52 + i * 0.001, 43.85, 10.5209 + i * 0.001, 43.8509, 4326), 6707)) FROM generate_series(1, 5) i;
CREATE FUNCTION ufficio.pozzi_tile(z integer, x integer, y integer, profondita_min float8 DEFAULT 0) RETURNS bytea
LANGUAGE sql STABLE AS $$
	SELECT ST_AsMVT(q, 'pozzi', 4096, 'geom') FROM (SELECT codice, ST_AsMVTGeom(geom, ST_TileEnvelope(z, x, y), 4096, 64, true) AS geom
		FROM ufficio.pozzi WHERE geom && ST_TileEnvelope(z, x, y) AND profondita >= profondita_min) q
$$;
CREATE FUNCTION ufficio.edifici_uso(uso_cercato text, limite integer DEFAULT 100) RETURNS TABLE (id bigint, uso text, geom geometry)
LANGUAGE sql STABLE AS $$
	SELECT e.id, e.uso, ST_Transform(e.geom, 4326) FROM ufficio.edifici e WHERE e.uso = uso_cercato ORDER BY e.id LIMIT limite
$$;
ANALYZE;
`

// civiciGeoJSON is loaded with ogr2ogr, which names the geometry column
// wkb_geometry and adds an ogc_fid key.
const civiciGeoJSON = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"civico":"1","via":"via Fillungo"},"geometry":{"type":"Point","coordinates":[10.5031,43.8431]}},
{"type":"Feature","properties":{"civico":"2","via":"via Fillungo"},"geometry":{"type":"Point","coordinates":[10.5032,43.8432]}},
{"type":"Feature","properties":{"civico":"3A","via":"via Roma"},"geometry":{"type":"Point","coordinates":[10.5033,43.8433]}}]}`

func execSQL(t *testing.T, url string, sqls ...string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for _, sql := range sqls {
		if _, err := conn.Exec(context.Background(), sql); err != nil {
			t.Fatalf("%.80s: %v", sql, err)
		}
	}
}

// officeDatabase is a database with SIT's roles, the office's schema
// written by its owner role, and ogr2ogr's table.
func officeDatabase(t *testing.T) dbtest.RoleURLs {
	t.Helper()
	roles := dbtest.Roles(t)
	execSQL(t, roles.Owner, officeSQL)
	src := filepath.Join(t.TempDir(), "civici.geojson")
	if err := os.WriteFile(src, []byte(civiciGeoJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := pgx.ParseConfig(roles.Owner)
	if err != nil {
		t.Fatal(err)
	}
	// GDAL takes libpq's keywords (it mangles a URL's query).
	dsn := fmt.Sprintf("PG:host=%s port=%d dbname=%s user=%s password=%s", cfg.Host, cfg.Port, cfg.Database, cfg.User, cfg.Password)
	out, err := exec.Command("ogr2ogr", "-f", "PostgreSQL", dsn, src, "-nln", "ufficio.civici").CombinedOutput()
	if err != nil {
		t.Fatalf("ogr2ogr: %v: %s", err, out)
	}
	return roles
}

// tileAt is the XYZ tile holding a longitude/latitude at zoom z.
func tileAt(lon, lat float64, z int) string {
	n := math.Exp2(float64(z))
	x := int((lon + 180) / 360 * n)
	r := lat * math.Pi / 180
	y := int((1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * n)
	return fmt.Sprintf("%d/%d/%d", z, x, y)
}

// get GETs a URL: status, ETag and body.
func get(t *testing.T, url string) (int, string, []byte) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("ETag"), b
}

type itemsPage struct {
	NumberMatched  int64 `json:"numberMatched"`
	NumberReturned int64 `json:"numberReturned"`
	Features       []struct {
		ID         any            `json:"id"`
		Properties map[string]any `json:"properties"`
		Geometry   struct {
			Type        string `json:"type"`
			Coordinates any    `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
	Links []struct {
		Rel  string `json:"rel"`
		Href string `json:"href"`
	} `json:"links"`
}

func TestPublished(t *testing.T) {
	t.Parallel()
	roles := officeDatabase(t)
	out, errOut, code := runSit(t, "publish", "ufficio", "--database-url", roles.Owner)
	if code != 0 {
		t.Fatalf("sit publish: %s %s", out, errOut)
	}
	// Every table the owner role owns gets the trigger, and so does the
	// table without geometry the view joins.
	if !strings.Contains(out, "9 tracked") || strings.Contains(out, "should run") {
		t.Fatalf("sit publish: %s", out)
	}
	// SIT alters no table: it keeps its own tile copy of those it may
	// (strade), and prints the Web Mercator column a table's owner may add
	// for the others' faster tiles.
	if !strings.Contains(out, `ALTER TABLE "ufficio"."segnali" ADD COLUMN "geom_3857" geometry(POINT, 3857) GENERATED ALWAYS AS (ST_Transform("geom", 3857)) STORED;`) ||
		!regexp.MustCompile(`tile copy .*: .*ufficio\.strade\b`).MatchString(out) {
		t.Errorf("sit publish gives no tile copy or Web Mercator advice: %s", out)
	}
	// Tracked: the tables and the view over them; not the materialized view.
	out, _, _ = runSit(t, "publish", "--list", "--database-url", roles.Owner)
	for name, tracked := range map[string]string{"ufficio.strade_tipo ": "true", "ufficio.pozzi ": "true", "ufficio.edifici_res ": "false"} {
		if line := lineOf(out, name); !strings.Contains(line, " "+tracked+" ") {
			t.Errorf("sit publish --list: %s tracked %s? %q", name, tracked, line)
		}
	}
	out, errOut, code = runSit(t, "publish", "ufficio.pozzi_tile", "ufficio.edifici_uso", "--database-url", roles.Owner)
	if code != 0 {
		t.Fatalf("sit publish functions: %s %s", out, errOut)
	}
	if _, errOut, code = runSit(t, "publish", "ufficio.catasto", "--kind", "generic", "--role", "cadastre", "--database-url", roles.Owner); code == 0 {
		t.Fatal("a generic relation took the cadastre role")
	} else if !strings.Contains(errOut, "kind cadastral") {
		t.Errorf("role refused: %s", errOut)
	}
	if out, errOut, code = runSit(t, "publish", "ufficio.catasto", "--kind", "cadastral", "--role", "cadastre", "--database-url", roles.Owner); code != 0 {
		t.Fatalf("sit publish --role cadastre: %s %s", out, errOut)
	}
	a := startServe(t, roles.Reader)
	b := startServe(t, roles.Reader)
	t.Run("listed", func(t *testing.T) { testPublishedListed(t, a.base) })
	t.Run("items", func(t *testing.T) { testPublishedItems(t, a.base, roles.Owner) })
	t.Run("tiles", func(t *testing.T) { testPublishedTiles(t, a.base) })
	t.Run("functions", func(t *testing.T) { testPublishedFunctions(t, a.base) })
	t.Run("cadastre role", func(t *testing.T) { testPublishedCadastre(t, a.base) })
	t.Run("edits show on both servers", func(t *testing.T) { testPublishedEdits(t, roles.Owner, a.base, b.base) })
	t.Run("tables come and go", func(t *testing.T) { testPublishedHotReload(t, roles.Owner, a.base) })
}

// publishedNames are the collections the office's schema gives.
var publishedNames = []string{"ufficio.Edifici Storici", "ufficio.catasto", "ufficio.civici", "ufficio.edifici", "ufficio.edifici_res", "ufficio.lotti.area", "ufficio.lotti.centro",
	"ufficio.pozzi", "ufficio.segnali", "ufficio.strade", "ufficio.strade_tipo"}

func testPublishedListed(t *testing.T, base string) {
	var doc struct {
		Collections []struct {
			ID         string `json:"id"`
			Title      string `json:"title"`
			StorageCRS string `json:"storageCrs"`
		} `json:"collections"`
	}
	getJSON(t, base+"/collections", &doc)
	got := map[string]string{}
	for _, c := range doc.Collections {
		got[c.ID] = c.StorageCRS
		if c.ID == "ufficio.strade" && c.Title != "Strade comunali" {
			t.Errorf("title from the comment: %q", c.Title)
		}
	}
	for _, n := range publishedNames {
		if _, ok := got[n]; !ok {
			t.Errorf("%s not listed: %v", n, got)
		}
	}
	if _, ok := got["ufficio.tipi"]; ok {
		t.Error("a table without geometry is listed")
	}
	if got["ufficio.strade"] != "http://www.opengis.net/def/crs/EPSG/0/3003" {
		t.Errorf("storageCrs of a 3003 table: %q", got["ufficio.strade"])
	}
}

func testPublishedItems(t *testing.T, base, owner string) {
	tables := map[string]string{"ufficio.Edifici%20Storici": `ufficio."Edifici Storici"`, "ufficio.civici": "ufficio.civici", "ufficio.edifici": "ufficio.edifici", "ufficio.edifici_res": "ufficio.edifici_res",
		"ufficio.lotti.area": "ufficio.lotti", "ufficio.pozzi": "ufficio.pozzi", "ufficio.segnali": "ufficio.segnali",
		"ufficio.strade": "ufficio.strade", "ufficio.strade_tipo": "ufficio.strade_tipo"}
	for coll, rel := range tables {
		var want int64
		queryRow(t, owner, "SELECT count(*) FROM "+rel, &want)
		var p itemsPage
		getJSON(t, base+"/collections/"+coll+"/items?limit=5", &p)
		if p.NumberMatched != want || p.NumberReturned != min(5, want) {
			t.Errorf("%s: numberMatched %d (PostgreSQL: %d), returned %d", coll, p.NumberMatched, want, p.NumberReturned)
		}
	}
	// A bbox in CRS84 over a 3003 table, compared with PostGIS's own answer.
	var want int64
	queryRow(t, owner, `SELECT count(*) FROM ufficio.strade WHERE ST_Intersects(ST_Transform(the_geom, 4326),
		ST_MakeEnvelope(10.505, 43.83, 10.5155, 43.85, 4326))`, &want)
	var p itemsPage
	getJSON(t, base+"/collections/ufficio.strade/items?bbox=10.505,43.83,10.5155,43.85&limit=100", &p)
	if p.NumberReturned != want || want == 0 {
		t.Errorf("bbox: %d features, PostGIS says %d", p.NumberReturned, want)
	}
	// Filter, key, output CRS.
	getJSON(t, base+"/collections/ufficio.strade/items?filter=nome%20%3D%20%27via%207%27&crs=EPSG:3003", &p)
	if len(p.Features) != 1 || fmt.Sprint(p.Features[0].ID) != "7" || p.Features[0].Properties["nome"] != "via 7" {
		t.Fatalf("filter: %+v", p.Features)
	}
	if c := fmt.Sprint(p.Features[0].Geometry.Coordinates); !strings.HasPrefix(c, "[[1.62") {
		t.Errorf("3003 output: %s", c)
	}
	code, _, body := get(t, base+"/collections/ufficio.strade/items/7")
	if code != 200 || !strings.Contains(string(body), `"via 7"`) {
		t.Errorf("item by key: %d %s", code, body)
	}
	// Key paging walks every row of the table once.
	seen, url := 0, base+"/collections/ufficio.strade/items?limit=15"
	for url != "" && seen < 100 {
		p = itemsPage{}
		getJSON(t, url, &p)
		seen += len(p.Features)
		url = ""
		for _, l := range p.Links {
			if l.Rel == "next" {
				url = l.Href
			}
		}
	}
	if seen != 40 {
		t.Errorf("paging saw %d of 40", seen)
	}
	// No key: offset pages, no feature URL, a clear answer for after=.
	p = itemsPage{}
	getJSON(t, base+"/collections/ufficio.segnali/items?limit=10&offset=25", &p)
	if p.NumberReturned != 5 || p.Features[0].ID != nil {
		t.Errorf("keyless: %d features, id %v", p.NumberReturned, p.Features[0].ID)
	}
	if code, _, body := get(t, base+"/collections/ufficio.segnali/items?after=3"); code != 400 || !strings.Contains(string(body), "no primary key") {
		t.Errorf("after= on a keyless table: %d %s", code, body)
	}
}

func testPublishedTiles(t *testing.T, base string) {
	tile := tileAt(10.51, 43.8425, 14)
	for _, coll := range publishedNames {
		code, _, body := get(t, base+"/tiles/"+url.PathEscape(coll)+"/"+tile+".mvt")
		if code != 200 || len(body) < 20 {
			t.Errorf("%s tile %s: %d, %d bytes", coll, tile, code, len(body))
		}
	}
	// A tracked table's tiles claim a strong ETag; the materialized view,
	// which changes version on a timer, only a weak one.
	for coll, weak := range map[string]bool{"ufficio.pozzi": false, "ufficio.edifici_res": true} {
		_, etag, _ := get(t, base+"/tiles/"+url.PathEscape(coll)+"/"+tile+".mvt")
		if etag == "" || strings.HasPrefix(etag, "W/") != weak {
			t.Errorf("%s tile ETag %q: weak should be %v", coll, etag, weak)
		}
	}
	code, _, body := get(t, base+"/tiles/ufficio.strade/"+tileAt(-70, -30, 14)+".mvt")
	if code != 204 {
		t.Errorf("a tile far away: %d %s", code, body)
	}
	var tj struct {
		VectorLayers []struct {
			ID     string            `json:"id"`
			Fields map[string]string `json:"fields"`
		} `json:"vector_layers"`
	}
	getJSON(t, base+"/tiles/ufficio.strade.json", &tj)
	if len(tj.VectorLayers) != 1 || tj.VectorLayers[0].Fields["nome"] == "" {
		t.Errorf("tilejson: %+v", tj)
	}
}

// testPublishedEdits edits a tracked table from outside SIT: both servers
// answer with the new data and new ETags.
func testPublishedEdits(t *testing.T, owner string, servers ...string) {
	tile := "/tiles/ufficio.pozzi/" + tileAt(10.513, 43.843, 14) + ".mvt"
	items := "/collections/ufficio.pozzi/items?limit=1"
	view := "/collections/ufficio.strade_tipo/items?limit=100"
	before := map[string]string{}
	for _, s := range servers {
		for _, u := range []string{tile, items, view} {
			_, etag, _ := get(t, s+u)
			if etag == "" {
				t.Fatalf("%s: no ETag", u)
			}
			before[s+u] = etag
		}
	}
	start := time.Now()
	execSQL(t, owner, "INSERT INTO ufficio.pozzi VALUES ('P99', 3, ST_Transform(ST_SetSRID(ST_MakePoint(10.513, 43.843), 4326), 3857))",
		"UPDATE ufficio.strade SET nome = 'via nuova' WHERE gid = 1")
	for _, s := range servers {
		for _, u := range []string{tile, items, view} {
			eventually(t, "a new ETag for "+s+u, func() bool {
				_, etag, _ := get(t, s+u)
				return etag != "" && etag != before[s+u]
			})
		}
		t.Logf("%s: new ETags %v after the commit", s, time.Since(start).Round(time.Millisecond))
		var p itemsPage
		getJSON(t, s+items, &p)
		if p.NumberMatched != 16 {
			t.Errorf("%s: numberMatched %d after an insert, want 16", s, p.NumberMatched)
		}
	}
	execSQL(t, owner, "DELETE FROM ufficio.pozzi WHERE codice = 'P99'")
	for _, s := range servers {
		eventually(t, "the delete seen by "+s, func() bool {
			var p itemsPage
			getJSON(t, s+items, &p)
			return p.NumberMatched == 15
		})
	}
}

// testPublishedHotReload creates and drops a table in the published
// schema, without a restart.
func testPublishedHotReload(t *testing.T, owner, base string) {
	listed := func() bool {
		code, _, _ := get(t, base+"/collections/ufficio.nuova")
		return code == 200
	}
	start := time.Now()
	execSQL(t, owner, "CREATE TABLE ufficio.nuova (id int PRIMARY KEY, geom geometry(Point, 4326))",
		"INSERT INTO ufficio.nuova VALUES (1, ST_SetSRID(ST_MakePoint(10.5, 43.84), 4326))")
	eventually(t, "the new table listed", listed)
	t.Logf("a created table listed after %v", time.Since(start).Round(time.Millisecond))
	var p itemsPage
	getJSON(t, base+"/collections/ufficio.nuova/items", &p)
	if p.NumberMatched != 1 {
		t.Errorf("new table: %d features", p.NumberMatched)
	}
	start = time.Now()
	execSQL(t, owner, "DROP TABLE ufficio.nuova")
	eventually(t, "the dropped table gone", func() bool { return !listed() })
	t.Logf("a dropped table gone after %v", time.Since(start).Round(time.Millisecond))
	if code, _, _ := get(t, base+"/collections/ufficio.nuova/items"); code != http.StatusNotFound {
		t.Errorf("dropped table's items: %d", code)
	}
}

// testPublishedFunctions calls a tile function and a row function with
// parameters checked against their signatures.
func testPublishedFunctions(t *testing.T, base string) {
	tile := base + "/tiles/ufficio.pozzi_tile/" + tileAt(10.513, 43.843, 14) + ".mvt"
	for _, tc := range []struct {
		query string
		code  int
		body  string
	}{
		{"", 200, ""},
		{"?profondita_min=10", 200, ""},
		{"?profondita_min=1000", 204, ""},
		{"?profondita_min=abc", 400, "profondita_min"},
		{"?soglia=3", 400, "soglia"},
	} {
		code, _, body := get(t, tile+tc.query)
		if code != tc.code || !strings.Contains(string(body), tc.body) {
			t.Errorf("tile function%s: %d %.200s", tc.query, code, body)
		}
	}
	var doc struct {
		Collections []struct{ ID string } `json:"collections"`
	}
	getJSON(t, base+"/collections", &doc)
	for _, c := range doc.Collections {
		if c.ID == "ufficio.pozzi_tile" {
			t.Error("a tile function listed as a collection")
		}
	}
	items := base + "/collections/ufficio.edifici_uso/items"
	var p itemsPage
	getJSON(t, items+"?uso_cercato=residenziale&limit=3", &p)
	if p.NumberMatched != 8 || p.NumberReturned != 3 || p.Features[0].Properties["uso"] != "residenziale" {
		t.Errorf("row function: matched %d, returned %d, %+v", p.NumberMatched, p.NumberReturned, p.Features)
	}
	p = itemsPage{}
	getJSON(t, items+"?uso_cercato=residenziale&limite=2&bbox=10.49,43.83,10.52,43.85", &p)
	if p.NumberReturned != 2 {
		t.Errorf("row function with limite=2 and a bbox: %d features", p.NumberReturned)
	}
	for _, q := range []string{"?uso_cercato=residenziale&limite=due", "", "?uso_cercato=a&uso_cercato=b"} {
		if code, _, body := get(t, items+q); code != 400 {
			t.Errorf("row function%s: %d %.200s", q, code, body)
		}
	}
	if code, _, body := get(t, base+"/tiles/ufficio.edifici_uso/"+tileAt(10.505, 43.842, 15)+".mvt?uso_cercato=servizi"); code != 200 {
		t.Errorf("row function's tile: %d %.200s", code, body)
	}
}

// lineOf is the line of out that starts with prefix.
func lineOf(out, prefix string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// testPublishedCadastre: a published table in EPSG:6707 plays the
// cadastre: the parcel at a point and by foglio/particella.
func testPublishedCadastre(t *testing.T, base string) {
	var at struct {
		Properties struct {
			Foglio     string `json:"foglio"`
			Particella string `json:"particella"`
		} `json:"properties"`
	}
	getJSON(t, base+"/parcels/at?lon=10.5234&lat=43.8504", &at)
	if at.Properties.Foglio != "37" || at.Properties.Particella != "3" {
		t.Errorf("parcel at a point: %+v", at)
	}
	code, _, body := get(t, base+"/parcels/37/4")
	if code != 200 || !strings.Contains(string(body), `"4"`) {
		t.Errorf("parcel by reference: %d %.300s", code, body)
	}
}
