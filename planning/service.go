package planning

import (
	"log/slog"
	"net/http"
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
	httpx.Get(r, "/plans", s.HandlePlans)
	httpx.Get(r, "/plans/{code}", s.HandlePlan)
}

// The query parameters of each route.
var (
	plansParams = httpx.Params{Once: []string{"at"}}
	planParams  = httpx.Params{Once: []string{"at", "articles"}}
)

// asOf reads the at parameter: the end of that day (or the instant) in
// Italian time; now when it is absent.
func (s *Service) asOf(q map[string][]string) (time.Time, error) {
	now := s.opt.Now()
	v := q["at"]
	if len(v) == 0 || strings.TrimSpace(v[0]) == "" {
		return now, nil
	}
	t, err := layers.ParseAsOf(v[0], now)
	if err != nil {
		return t, httpx.BadParameter("at", err.Error())
	}
	return t, nil
}

func (s *Service) writeJSON(w http.ResponseWriter, r *http.Request, v any) {
	if err := httpx.JSON(w, r, http.StatusOK, "application/json", v); err != nil {
		httpx.WriteError(w, r, s.log, err)
	}
}
