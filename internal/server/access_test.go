package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/admin"
	"github.com/sit-gis/sit/auth"
	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/internal/pg"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/tiles"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// site is a whole server on a real PostGIS, with two comuni, layers of
// every visibility, and a credential for each kind of principal.
type site struct {
	t       *testing.T
	srv     *httptest.Server
	owner   *layers.Store
	auth    *auth.Store
	cat     *layers.Catalog
	admin   *admin.Service
	tokens  map[string]string // principal name → bearer token
	revoked string
}

// The principals of the tables below.
const (
	anon      = "anonymous"
	pro       = "professional of Lucca"
	editor    = "editor of Lucca (given zone)"
	adminLU   = "admin of Lucca"
	adminCAP  = "admin of Capannori"
	adminInst = "admin of the instance"
)

var principals = []string{anon, pro, editor, adminLU, adminCAP, adminInst}

func square(lon, lat float64) orb.Polygon {
	return orb.Polygon{{{lon, lat}, {lon + 0.01, lat}, {lon + 0.01, lat + 0.01}, {lon, lat + 0.01}, {lon, lat}}}
}

func newSite(t *testing.T, cfg config.Server) *site { return newSiteWith(t, cfg, nil) }

// newSiteWith is newSite with an identity provider, configured once the
// server's URL is known.
func newSiteWith(t *testing.T, cfg config.Server, oidcFor func(url string) *auth.OIDCConfig) *site {
	t.Helper()
	ctx := context.Background()
	urls := dbtest.Roles(t)
	open := func(url, name string) *pgxpool.Pool {
		p, err := pg.Open(ctx, url, pg.PoolOptions{MaxConns: 8, AppName: name, StatementTimeout: 20 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		return p
	}
	ownerPool := open(urls.Owner, "test owner")
	if err := layers.Migrate(ctx, ownerPool); err != nil {
		t.Fatal(err)
	}
	reader, web := open(urls.Reader, "test reader"), open(urls.Web, "test web")
	s := &site{t: t, owner: layers.NewStore(ownerPool, nil), auth: auth.NewStore(web, auth.Options{}), tokens: map[string]string{}}
	s.fill(ctx)
	s.cat = layers.NewCatalog(reader, nil)
	if err := s.cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cache := tiles.NewCache(1 << 20)
	s.admin = admin.New(admin.Options{Auth: s.auth, DB: web, Layers: s.owner, History: layers.NewStore(reader, nil), Catalog: s.cat,
		UploadDir: t.TempDir(), MaxUploadBytes: 1 << 20, PurgeTiles: cache.Purge, Log: log})
	t.Cleanup(s.admin.Close)
	var h http.Handler
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(s.srv.Close)
	wo := auth.WebOptions{Secure: cfg.Secure(), Log: log}
	if oidcFor != nil {
		o, err := auth.NewOIDC(*oidcFor(s.srv.URL), s.auth)
		if err != nil {
			t.Fatal(err)
		}
		wo.OIDC = o
	}
	h = New(Deps{Config: cfg, Pool: reader, Catalog: s.cat, Log: log, Version: "test", TileCache: cache,
		Auth: auth.NewWeb(s.auth, wo), Admin: s.admin})
	return s
}

// fill makes the comuni, the layers and the principals.
func (s *site) fill(ctx context.Context) {
	t := s.t
	name := func(n string) *string { return &n }
	if err := s.owner.AddComune(ctx, "lucca", layers.ComunePatch{Name: name("Comune di Lucca")}); err != nil {
		t.Fatal(err)
	}
	if err := s.owner.AddComune(ctx, "capannori", layers.ComunePatch{Name: name("Comune di Capannori")}); err != nil {
		t.Fatal(err)
	}
	snap, _ := time.Parse(time.DateOnly, "2025-06-30")
	for _, l := range []struct {
		spec  layers.ImportSpec
		props map[string]any
		point bool
	}{
		{layers.ImportSpec{Layer: "particelle", Kind: layers.KindCadastral, Roles: []string{layers.RoleCadastre}, Comune: "lucca", Visibility: layers.Professional},
			map[string]any{"foglio": "1", "particella": "1"}, false},
		{layers.ImportSpec{Layer: "zone", Kind: layers.KindZoning, Roles: []string{layers.RoleZoning}, Comune: "lucca", Visibility: layers.Public},
			map[string]any{"zone_code": "B1"}, false},
		{layers.ImportSpec{Layer: "aree", Kind: layers.KindBoundary, Roles: []string{layers.RoleZones}, Comune: "lucca"}, map[string]any{"nome": "centro"}, false},
		{layers.ImportSpec{Layer: "copertura", Kind: layers.KindBroadband, Roles: []string{layers.RoleCoverage}, Comune: "lucca", Visibility: layers.Internal,
			Mode: layers.ModeAppend, Snapshot: snap}, map[string]any{"max_down_mbps": 50, "technology": "FTTC"}, true},
		{layers.ImportSpec{Layer: "cap_interno", Comune: "capannori", Visibility: layers.Internal}, map[string]any{"nome": "x"}, false},
		{layers.ImportSpec{Layer: "cap_pubblico", Comune: "capannori"}, map[string]any{"nome": "y"}, false},
		{layers.ImportSpec{Layer: "provincia"}, map[string]any{"nome": "Lucca"}, false},
	} {
		var g orb.Geometry = square(10.50, 43.84)
		if l.point {
			g = orb.Point{10.505, 43.845}
		}
		l.spec.SRID = 4326
		feats := []layers.Feature{{Record: 1, ID: "1", Geometry: g, Props: l.props}}
		if _, err := s.owner.Import(ctx, l.spec, layers.NewSliceReader(feats)); err != nil {
			t.Fatalf("import %s: %v", l.spec.Layer, err)
		}
	}
	for _, p := range []struct {
		name   string
		role   access.Role
		comune string
		layers []string
	}{{pro, access.Professional, "lucca", nil}, {editor, access.Editor, "lucca", []string{"zone"}}, {adminLU, access.Admin, "lucca", nil},
		{adminCAP, access.Admin, "capannori", nil}, {adminInst, access.Admin, "", nil}} {
		secret, _, err := s.auth.CreateToken(ctx, auth.NewToken{Name: strings.ReplaceAll(strings.Fields(p.name)[0]+"-"+p.comune, " ", "-"),
			Role: p.role, Comune: p.comune, Layers: p.layers})
		if err != nil {
			t.Fatal(err)
		}
		s.tokens[p.name] = secret
	}
	secret, tok, err := s.auth.CreateToken(ctx, auth.NewToken{Name: "old", Role: access.Admin})
	if err != nil || s.auth.RevokeToken(ctx, tok.ID) != nil {
		t.Fatal(err)
	}
	s.revoked = secret
}

// do sends a request as a principal; the body is read whole.
func (s *site) do(who, method, path string, body io.Reader, header ...string) (*http.Response, []byte) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	if tok := s.tokens[who]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return res, b
}

// tileOf is the z/x/y of a point.
func tileOf(z int, lon, lat float64) string {
	n := math.Exp2(float64(z))
	x := int((lon + 180) / 360 * n)
	r := lat * math.Pi / 180
	y := int((1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * n)
	return fmt.Sprintf("%d/%d/%d", z, x, y)
}

func ogcTile(z int, lon, lat float64) string {
	var zz, x, y int
	fmt.Sscanf(tileOf(z, lon, lat), "%d/%d/%d", &zz, &x, &y)
	return fmt.Sprintf("%d/%d/%d", zz, y, x)
}

// hidden and shown are the statuses of a resource the principal may not
// and may see.
const (
	hidden = 404
	shown  = 200
)

// TestVisibilityEveryRoute walks every route that serves a layer, for each
// kind of principal: a layer the principal may not see is a 404 there,
// exactly as a layer that does not exist; one it may see is served. The
// cadastre is for professionals, the coverage internal, Capannori's
// internal layer only for Capannori's staff.
func TestVisibilityEveryRoute(t *testing.T) {
	s := newSite(t, config.DefaultServer())
	tile := tileOf(15, 10.505, 43.845)
	ok := map[string]int{anon: shown, pro: shown, editor: shown, adminLU: shown, adminCAP: shown, adminInst: shown}
	proLU := map[string]int{anon: hidden, pro: shown, editor: shown, adminLU: shown, adminCAP: hidden, adminInst: shown}
	staffLU := map[string]int{anon: hidden, pro: hidden, editor: shown, adminLU: shown, adminCAP: hidden, adminInst: shown}
	staffCAP := map[string]int{anon: hidden, pro: hidden, editor: hidden, adminLU: hidden, adminCAP: shown, adminInst: shown}
	tests := []struct {
		path string
		want map[string]int
	}{
		{"/collections/particelle", proLU},
		{"/collections/particelle?f=html", proLU},
		{"/collections/particelle/items", proLU},
		{"/collections/particelle/items/1", proLU},
		{"/collections/particelle/queryables", proLU},
		{"/collections/particelle/tiles", proLU},
		{"/collections/particelle/tiles/WebMercatorQuad", proLU},
		{"/collections/particelle/tiles/WebMercatorQuad/" + ogcTile(15, 10.505, 43.845), proLU},
		{"/tiles/particelle/" + tile + ".mvt", proLU},
		{"/tiles/zone,particelle/" + tile + ".mvt", proLU},
		{"/tiles/particelle:labels/" + tileOf(17, 10.505, 43.845) + ".mvt", proLU},
		{"/tiles/particelle.json", proLU},
		{"/styles/particelle.json", proLU},
		{"/parcels/search?q=1/1", proLU},
		{"/parcels/1/1", proLU},
		{"/parcels/at?lon=10.505&lat=43.845", proLU},
		{"/reports/zoning?parcel=1/1", proLU},
		{"/reports/zoning?parcel=1/1&f=html", proLU},
		{"/collections/copertura/items", staffLU},
		{"/analytics/broadband?zones=aree", staffLU},
		{"/analytics/broadband/white", staffLU},
		{"/collections/zone/items", ok},
		{"/tiles/zone/" + tile + ".mvt", ok},
		{"/collections/provincia/items", ok},
		{"/collections/cap_interno/items", map[string]int{anon: hidden, pro: hidden, editor: hidden, adminLU: hidden, adminCAP: hidden, adminInst: hidden}},
		{"/c/capannori/collections/cap_interno/items", staffCAP},
		{"/c/capannori/tiles/cap_interno/" + tile + ".mvt", staffCAP},
		{"/c/capannori/collections/cap_pubblico/items", ok},
		{"/c/capannori/collections/provincia", ok},
		{"/c/capannori/collections/zone", map[string]int{anon: hidden, pro: hidden, editor: hidden, adminLU: hidden, adminCAP: hidden, adminInst: hidden}},
	}
	for _, tc := range tests {
		for _, who := range principals {
			t.Run(tc.path+"/"+who, func(t *testing.T) {
				res, body := s.do(who, "GET", tc.path, nil)
				got := res.StatusCode
				if got == http.StatusNoContent {
					got = shown // an empty tile of a layer the principal sees
				}
				if got != tc.want[who] {
					t.Fatalf("status %d, want %d: %.300s", res.StatusCode, tc.want[who], body)
				}
				if got == hidden && strings.Contains(string(body), "particelle") && !strings.Contains(tc.path, "particelle") {
					t.Fatalf("a 404 names a hidden layer: %s", body)
				}
				if who != anon && got == shown && res.Header.Get("Cache-Control") != "private, no-cache" {
					t.Fatalf("a signed-in answer is cached as %q", res.Header.Get("Cache-Control"))
				}
			})
		}
	}
}

// TestVisibilityInLists: the documents that list layers list only those
// the principal may see.
func TestVisibilityInLists(t *testing.T) {
	s := newSite(t, config.DefaultServer())
	for _, path := range []string{"/collections", "/collections?f=html", "/layers", "/api", "/styles/default.json",
		"/tiles/WebMercatorQuad", "/parcels/suggest?q=1/"} {
		for _, who := range principals {
			res, body := s.do(who, "GET", path, nil)
			if res.StatusCode != 200 {
				t.Fatalf("%s as %s: %d %s", path, who, res.StatusCode, body)
			}
			has := strings.Contains(string(body), "particelle")
			want := who == pro || who == editor || who == adminLU || who == adminInst
			if path == "/tiles/WebMercatorQuad" || path == "/parcels/suggest?q=1/" {
				// These name no layer; the dataset's tiles and the
				// suggestions show what the principal reaches.
				continue
			}
			if has != want {
				t.Errorf("%s as %s: lists particelle %v, want %v", path, who, has, want)
			}
			if strings.Contains(string(body), "cap_interno") {
				t.Errorf("%s as %s: lists Capannori's internal layer outside /c/capannori/", path, who)
			}
		}
	}
	res, body := s.do(pro, "GET", "/parcels/suggest?q=1/", nil)
	var sug struct {
		Suggestions []any `json:"suggestions"`
	}
	_ = json.Unmarshal(body, &sug)
	if res.StatusCode != 200 || len(sug.Suggestions) == 0 {
		t.Errorf("a professional gets no suggestions: %s", body)
	}
	_, body = s.do(anon, "GET", "/parcels/suggest?q=1/", nil)
	if sug.Suggestions = nil; json.Unmarshal(body, &sug) != nil || len(sug.Suggestions) != 0 {
		t.Errorf("the public gets suggestions from a professional layer: %s", body)
	}
}

// testWriter sends the server's log to the test's.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

func newAccount(name, pw string) auth.NewAccount {
	return auth.NewAccount{Username: name, Password: pw, Role: access.Admin, Comune: "lucca"}
}

// TestComuneURLs: /c/{comune}/ serves the comune's view with links under
// its prefix, its branding in the viewer's configuration and the reports;
// the URLs without it are the default comune's; an unknown comune is 404.
func TestComuneURLs(t *testing.T) {
	s := newSite(t, config.DefaultServer())
	for _, tc := range []struct {
		path, want string
		status     int
	}{
		{"/c/capannori/collections", s.srv.URL + "/c/capannori/collections/cap_pubblico", 200},
		{"/collections", s.srv.URL + "/collections/zone", 200},
		{"/c/capannori/map/config.json", `"comune":"Comune di Capannori"`, 200},
		{"/map/config.json", `"comune":"Comune di Lucca"`, 200},
		{"/comuni", `"slug":"capannori"`, 200},
		{"/c/capannori/comune", `"name":"Comune di Capannori"`, 200},
		{"/c/nowhere/collections", `"parameter":"comune"`, 404},
		{"/c/capannori/comune/coat-of-arms", "no coat of arms", 404},
	} {
		res, body := s.do(anon, "GET", tc.path, nil)
		if res.StatusCode != tc.status || !strings.Contains(string(body), tc.want) {
			t.Errorf("%s: %d, want %d with %s: %.400s", tc.path, res.StatusCode, tc.status, tc.want, body)
		}
	}
	_, body := s.do(adminCAP, "GET", "/c/capannori/reports/zoning?parcel=1/1", nil)
	if !strings.Contains(string(body), "no layer has the role") && !strings.Contains(string(body), "Comune di Capannori") {
		t.Errorf("Capannori's report: %.300s", body)
	}
}
