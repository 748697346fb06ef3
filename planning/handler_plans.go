package planning

import (
	"net/http"
	"time"
)

// HandlePlans serves GET /plans[?at=DATE]: the register of planning
// instruments, each with its acts, its layers and where it stands at the
// date (today by default): in force, adopted (safeguard measures), or not
// applying.
func (s *Service) HandlePlans(w http.ResponseWriter, r *http.Request) error {
	_, at, err := s.request(r, plansParams)
	if err != nil {
		return err
	}
	ins, err := s.store.Instruments(r.Context(), at)
	if err != nil {
		return err
	}
	return writeJSON(w, r, struct {
		At    time.Time    `json:"at"`
		Plans []Instrument `json:"plans"`
	}{at.UTC(), ins})
}
