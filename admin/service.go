// Package admin is the administration API under /admin/…: uploads
// imported in the background by the same ingest core and loader as `sit
// import`, import history, layer metadata, layer removal, cache purge,
// accounts, tokens, published sources and the audit log (README: Admin API; the OpenAPI
// document is /api/admin.json). Every action that changes something is
// written to the audit log. Who may do what is access's rule; the scope of
// a request (its comune) is decided once, in scopeOf.
package admin

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/auth"
	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// Catalog is the whole catalog (*layers.Catalog): administration sees
// every layer of its scope whatever its visibility.
type Catalog interface {
	Layers() []layers.Layer
	Layer(name string) (layers.Layer, bool)
	Comuni() []layers.Comune
	Comune(slug string) (layers.Comune, bool)
	Refresh(ctx context.Context) error
}

// Options configure the service.
type Options struct {
	// Auth keeps accounts, tokens and the audit log; DB is the same pool
	// (sit_web), for the upload jobs.
	Auth *auth.Store
	DB   auth.DB
	// Layers writes the catalog and the data (the owner's pool); nil when
	// the server was not started with --allow-uploads: then uploads,
	// layer edits and removals answer 503.
	Layers *layers.Store
	// History reads the import history (the reader's pool).
	History *layers.Store
	Catalog Catalog
	// UploadDir holds uploads while they are imported; MaxUploadBytes
	// bounds one.
	UploadDir      string
	MaxUploadBytes int64
	// PurgeTiles empties the tile cache and says how many tiles it held.
	PurgeTiles func() int
	Log        *slog.Logger
}

// Service serves /admin/….
type Service struct {
	opt     Options
	log     *slog.Logger
	jobs    *jobs
	console *console
}

// New makes the service; Close waits for the imports in progress.
func New(opt Options) *Service {
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.MaxUploadBytes <= 0 {
		opt.MaxUploadBytes = 1 << 30
	}
	s := &Service{opt: opt, log: opt.Log, console: newConsole()}
	s.jobs = newJobs(s)
	return s
}

// Close cancels the imports in progress (their transactions roll back:
// the previous versions keep serving) and waits for them.
func (s *Service) Close() { s.jobs.close() }

// Mount registers /admin/…, the OpenAPI document /api/admin.json and the
// office's console /console/.
func (s *Service) Mount(r chi.Router) {
	httpx.Get(r, "/api/admin.json", s.HandleOpenAPI)
	httpx.Get(r, "/console", s.HandleConsoleRedirect)
	httpx.Get(r, "/console/*", s.HandleConsole)
	r.Route("/admin", func(r chi.Router) {
		r.Use(s.authorize)
		httpx.Get(r, "/me", s.HandleMe)
		httpx.Get(r, "/comuni", s.HandleComuni)
		r.Post("/comuni", s.HandleComuneCreate)
		r.Patch("/comuni/{slug}", s.HandleComunePatch)
		httpx.Get(r, "/layers", s.HandleLayers)
		httpx.Get(r, "/layers/{name}", s.HandleLayer)
		r.Patch("/layers/{name}", s.HandleLayerPatch)
		r.Delete("/layers/{name}", s.HandleLayerDelete)
		httpx.Get(r, "/imports", s.HandleImports)
		r.Post("/uploads", s.HandleUpload)
		httpx.Get(r, "/jobs", s.HandleJobs)
		httpx.Get(r, "/jobs/{id}", s.HandleJob)
		r.Post("/cache/purge", s.HandleCachePurge)
		httpx.Get(r, "/published", s.HandlePublished)
		r.Post("/published", s.HandlePublishedAdd)
		r.Delete("/published/{source}", s.HandlePublishedRemove)
		httpx.Get(r, "/accounts", s.HandleAccounts)
		r.Post("/accounts", s.HandleAccountCreate)
		httpx.Get(r, "/accounts/{id}", s.HandleAccount)
		r.Patch("/accounts/{id}", s.HandleAccountPatch)
		r.Delete("/accounts/{id}", s.HandleAccountDelete)
		httpx.Get(r, "/tokens", s.HandleTokens)
		r.Post("/tokens", s.HandleTokenCreate)
		r.Delete("/tokens/{id}", s.HandleTokenRevoke)
		httpx.Get(r, "/audit", s.HandleAudit)
		r.NotFound(func(w http.ResponseWriter, r *http.Request) {
			httpx.WriteProblem(w, r, httpx.NotFound("no resource at "+r.URL.Path))
		})
	})
}
