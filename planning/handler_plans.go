package planning

import (
	"net/http"
	"time"

	"github.com/sit-gis/sit/internal/httpx"
)

// HandlePlans serves GET /plans[?at=DATE]: the register of planning
// instruments, each with its acts, its layers and where it stands at the
// date (today by default): in force, adopted (safeguard measures), or not
// applying.
func (s *Service) HandlePlans(w http.ResponseWriter, r *http.Request) {
	q, err := plansParams.Parse(r)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	at, err := s.asOf(q)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	ins, err := s.store.Instruments(r.Context(), at)
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	s.writeJSON(w, r, struct {
		At    time.Time    `json:"at"`
		Plans []Instrument `json:"plans"`
	}{at.UTC(), ins})
}
