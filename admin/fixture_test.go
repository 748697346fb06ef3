package admin

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/auth"
	"github.com/sit-gis/sit/internal/dbtest"
	"github.com/sit-gis/sit/internal/pg"
	"github.com/sit-gis/sit/layers"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// The principals of the tables (each a real token of the auth store).
const (
	anon      = "anonymous"
	pro       = "professional of Lucca"
	editor    = "editor of Lucca (given zone)"
	adminLU   = "admin of Lucca"
	adminCAP  = "admin of Capannori"
	adminInst = "admin of the instance"
)

// fixture is the service on a real PostGIS: comuni Lucca (the default)
// and Capannori, layers of each and a shared one, an account, a token and
// an upload job of each comune. The request's comune comes from a
// /c/{comune}/ prefix as the server's routing gives it (that routing is
// internal/server's, tested there).
type fixture struct {
	t      *testing.T
	srv    *httptest.Server
	svc    *Service
	auth   *auth.Store
	cat    *layers.Catalog
	opt    Options
	tokens map[string]string
	// ids of Capannori's and Lucca's account, token and job.
	capAccount, luAccount, capToken int64
	capJob                          string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	urls := dbtest.Roles(t)
	open := func(url string) *pgxpool.Pool {
		p, err := pg.Open(ctx, url, pg.PoolOptions{MaxConns: 6, AppName: "admin test", StatementTimeout: 20 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		return p
	}
	ownerPool := open(urls.Owner)
	if err := layers.Migrate(ctx, ownerPool); err != nil {
		t.Fatal(err)
	}
	reader, web := open(urls.Reader), open(urls.Web)
	owner := layers.NewStore(ownerPool, nil)
	f := &fixture{t: t, auth: auth.NewStore(web, auth.Options{}), cat: layers.NewCatalog(reader, nil), tokens: map[string]string{}}
	f.fill(ctx, owner, web)
	if err := f.cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	opt := Options{Auth: f.auth, DB: web, History: layers.NewStore(reader, nil), Catalog: f.cat, UploadDir: t.TempDir(),
		MaxUploadBytes: 1 << 20, PurgeTiles: func() int { return 0 }, Log: slog.New(slog.DiscardHandler), Layers: owner}
	f.opt = opt
	f.svc, f.srv = f.serve(opt)
	return f
}

// serve mounts a service of the options behind the auth middleware.
func (f *fixture) serve(opt Options) (*Service, *httptest.Server) {
	svc := New(opt)
	f.t.Cleanup(svc.Close)
	r := chi.NewRouter()
	r.Use(withComune, auth.NewWeb(f.auth, auth.WebOptions{}).Middleware)
	svc.Mount(r)
	srv := httptest.NewServer(r)
	f.t.Cleanup(srv.Close)
	return svc, srv
}

// readOnly is the same fixture served without the owner's credentials
// (no --allow-uploads).
func (f *fixture) readOnly() *fixture {
	opt := f.opt
	opt.Layers = nil
	g := *f
	g.svc, g.srv = f.serve(opt)
	return &g
}

// withComune gives the request the view the server's routing gives it.
func withComune(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := access.View{Comune: "lucca"}
		if rest, ok := strings.CutPrefix(r.URL.Path, "/c/"); ok {
			slug, tail, _ := strings.Cut(rest, "/")
			v = access.View{Comune: slug, Prefixed: true}
			r.URL.Path = "/" + tail
		}
		next.ServeHTTP(w, r.WithContext(access.WithView(r.Context(), v)))
	})
}

func (f *fixture) fill(ctx context.Context, owner *layers.Store, web *pgxpool.Pool) {
	t := f.t
	name := func(n string) *string { return &n }
	for _, c := range []string{"lucca", "capannori"} {
		if err := owner.AddComune(ctx, c, layers.ComunePatch{Name: name("Comune di " + c)}); err != nil {
			t.Fatal(err)
		}
	}
	sq := orb.Polygon{{{10.50, 43.84}, {10.51, 43.84}, {10.51, 43.85}, {10.50, 43.85}, {10.50, 43.84}}}
	for _, spec := range []layers.ImportSpec{
		{Layer: "zone", Comune: "lucca", Visibility: layers.Public}, {Layer: "interno", Comune: "lucca", Visibility: layers.Internal},
		{Layer: "cap_interno", Comune: "capannori", Visibility: layers.Internal}, {Layer: "cap_pubblico", Comune: "capannori"},
		{Layer: "provincia"},
	} {
		spec.SRID = 4326
		feats := []layers.Feature{{Record: 1, ID: "1", Geometry: sq, Props: map[string]any{"nome": spec.Layer}}}
		if _, err := owner.Import(ctx, spec, layers.NewSliceReader(feats)); err != nil {
			t.Fatalf("import %s: %v", spec.Layer, err)
		}
	}
	for _, p := range []struct {
		name   string
		role   access.Role
		comune string
		layers []string
	}{{pro, access.Professional, "lucca", nil}, {editor, access.Editor, "lucca", []string{"zone"}}, {adminLU, access.Admin, "lucca", nil},
		{adminCAP, access.Admin, "capannori", nil}, {adminInst, access.Admin, "", nil}} {
		secret, tok, err := f.auth.CreateToken(ctx, auth.NewToken{Name: strings.Fields(p.name)[0] + "-" + p.comune, Role: p.role, Comune: p.comune, Layers: p.layers})
		if err != nil {
			t.Fatal(err)
		}
		f.tokens[p.name] = secret
		if p.name == adminCAP {
			f.capToken = tok.ID
		}
	}
	for _, c := range []string{"capannori", "lucca"} {
		a, err := f.auth.CreateAccount(ctx, auth.NewAccount{Username: "ufficio." + c, Password: "una password lunga", Role: access.Editor, Comune: c})
		if err != nil {
			t.Fatal(err)
		}
		if c == "lucca" {
			f.luAccount = a.ID
		} else {
			f.capAccount = a.ID
		}
	}
	f.capJob = "00000000000000ca"
	if _, err := web.Exec(ctx, `INSERT INTO sit_auth.jobs (id, actor, comune, source_name, size_bytes, status, state)
		VALUES ($1, 'token:admin-capannori', 'capannori', 'cap.zip', 10, 'succeeded', '{"phase":"done","total":-1,"notices":[],"results":[]}')`, f.capJob); err != nil {
		t.Fatal(err)
	}
	if err := f.auth.Record(ctx, auth.Entry{Actor: "token:admin-capannori", Comune: "capannori", Action: "layer.update", Target: "cap_segreto", Result: auth.ResultOK}); err != nil {
		t.Fatal(err)
	}
}

// do sends a request as a principal, with a JSON body when body is not "".
func (f *fixture) do(who, method, path, body string) (*http.Response, string) {
	f.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, f.srv.URL+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok := f.tokens[who]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return res, string(b)
}
