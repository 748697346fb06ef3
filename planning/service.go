package planning

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/sit-gis/sit/internal/httpx"
	"github.com/sit-gis/sit/layers"
)

// Options tune the service. Zero values take the defaults.
type Options struct {
	Log *slog.Logger
	// Now is the clock of "today" (tests fix it).
	Now func() time.Time
}

// Service serves the register of plans over HTTP (read-only).
type Service struct {
	store *Store
	opt   Options
	log   *slog.Logger
}

// NewService makes the service over a reading pool.
func NewService(db DB, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	log := opt.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: NewStore(db), opt: opt, log: log}
}

// Store is the register the service reads.
func (s *Service) Store() *Store { return s.store }

// Mount registers the plan routes on r (GET and HEAD).
func (s *Service) Mount(r chi.Router) {
	rt := httpx.Routes{R: r, Log: s.log}
	rt.Get("/plans", s.HandlePlans)
	rt.Get("/plans/{code}", s.HandlePlan)
}

// The query parameters of each route.
var (
	plansParams = httpx.Params{Once: []string{"at"}}
	planParams  = httpx.Params{Once: []string{"at", "articles"}}
)

// request checks a route's query and reads its at parameter: the end of
// that day (or the instant) in Italian time; now when it is absent.
func (s *Service) request(r *http.Request, params httpx.Params) (url.Values, time.Time, error) {
	now := s.opt.Now()
	q, err := params.Parse(r)
	if err != nil || strings.TrimSpace(q.Get("at")) == "" {
		return q, now, err
	}
	t, err := layers.ParseAsOf(q.Get("at"), now)
	if err != nil {
		return q, t, httpx.BadParameter("at", err.Error())
	}
	return q, t, nil
}

// writeJSON sends a document of the register.
func writeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	return httpx.JSON(w, r, http.StatusOK, "application/json", v)
}
