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

// routes mounts the handlers on r, the stores' errors translated (problem).
func (s *Service) routes(r chi.Router) httpx.Routes {
	return httpx.Routes{R: r, Log: s.log, Translate: s.problem}
}

// Mount registers /admin/…, the OpenAPI document /api/admin.json and the
// office's console /console/.
func (s *Service) Mount(r chi.Router) {
	rt := s.routes(r)
	rt.Get("/api/admin.json", s.HandleOpenAPI)
	rt.Get("/console", s.HandleConsoleRedirect)
	rt.Get("/console/*", s.HandleConsole)
	r.Route("/admin", func(r chi.Router) {
		r.Use(s.authorize)
		rt := s.routes(r)
		rt.Get("/me", s.HandleMe)
		rt.Get("/comuni", s.HandleComuni)
		rt.Post("/comuni", s.HandleComuneCreate)
		rt.Patch("/comuni/{slug}", s.HandleComunePatch)
		rt.Get("/layers", s.HandleLayers)
		rt.Get("/layers/{name}", s.HandleLayer)
		rt.Patch("/layers/{name}", s.HandleLayerPatch)
		rt.Delete("/layers/{name}", s.HandleLayerDelete)
		rt.Get("/imports", s.HandleImports)
		rt.Post("/uploads", s.HandleUpload)
		rt.Get("/jobs", s.HandleJobs)
		rt.Get("/jobs/{id}", s.HandleJob)
		rt.Post("/cache/purge", s.HandleCachePurge)
		rt.Get("/published", s.HandlePublished)
		rt.Post("/published", s.HandlePublishedAdd)
		rt.Delete("/published/{source}", s.HandlePublishedRemove)
		rt.Get("/accounts", s.HandleAccounts)
		rt.Post("/accounts", s.HandleAccountCreate)
		rt.Get("/accounts/{id}", s.HandleAccount)
		rt.Patch("/accounts/{id}", s.HandleAccountPatch)
		rt.Delete("/accounts/{id}", s.HandleAccountDelete)
		rt.Get("/tokens", s.HandleTokens)
		rt.Post("/tokens", s.HandleTokenCreate)
		rt.Delete("/tokens/{id}", s.HandleTokenRevoke)
		rt.Get("/audit", s.HandleAudit)
		r.NotFound(func(w http.ResponseWriter, r *http.Request) {
			httpx.WriteProblem(w, r, httpx.NotFound("no resource at "+r.URL.Path))
		})
	})
}
