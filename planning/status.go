package planning

import (
	"time"

	"github.com/sit-gis/sit/layers"
)

// Status is where a plan stands at a date, derived from its acts.
type Status string

// The statuses. Only in force and adopted apply: an adopted plan binds
// through its safeguard measures (misure di salvaguardia, DPR 380/2001
// art. 12 c. 3) until it is in force or they lapse.
const (
	StatusNotAdopted      Status = "not_adopted"
	StatusAdopted         Status = "adopted"
	StatusSafeguardLapsed Status = "safeguard_lapsed"
	StatusInForce         Status = "in_force"
	StatusExpired         Status = "expired"
)

// Applies reports whether a plan in this status binds.
func (s Status) Applies() bool { return s == StatusAdopted || s == StatusInForce }

// Label names a status in Italian, as the certificate writes it.
func (s Status) Label() string {
	switch s {
	case StatusAdopted:
		return "adottato – in salvaguardia"
	case StatusInForce:
		return "vigente"
	case StatusSafeguardLapsed:
		return "adottato – salvaguardia decaduta"
	case StatusExpired:
		return "non più vigente"
	}
	return "non ancora adottato"
}

// Standing is a plan's status at a date with the dates that decide it.
type Standing struct {
	Status Status `json:"status"`
	Label  string `json:"status_label"`
	// InForceFrom is when the approved plan took (or takes) effect.
	InForceFrom *time.Time `json:"in_force_from,omitempty"`
	// SafeguardUntil is the last day of the safeguard measures of an
	// adopted plan.
	SafeguardUntil *time.Time `json:"safeguard_until,omitempty"`
}

// first returns the earliest act of a kind (nil when none), optionally
// not before a day.
func first(acts []Act, k ActKind, notBefore time.Time) *Act {
	var out *Act
	for i := range acts {
		a := &acts[i]
		if a.Kind != k || a.Date.Before(notBefore) {
			continue
		}
		if out == nil || a.Date.Before(out.Date) {
			out = a
		}
	}
	return out
}

// StandingAt derives where the plan stands at the instant at. Acts take
// effect from the start of their day. An approved plan is in force from
// its efficacy act when one is recorded (the publication), else from the
// approval; until then its safeguard measures go on.
func (p Plan) StandingAt(at time.Time) (st Standing) {
	st.Status = StatusNotAdopted
	defer func() { st.Label = st.Status.Label() }()
	adoption := first(p.Acts, ActAdoption, time.Time{})
	approval := first(p.Acts, ActApproval, time.Time{})
	if approval != nil {
		from := approval.Date
		if eff := first(p.Acts, ActEfficacy, approval.Date); eff != nil {
			from = eff.Date
		}
		st.InForceFrom = &from
	}
	if exp := first(p.Acts, ActExpiry, time.Time{}); exp != nil && !exp.Date.After(at) {
		st.Status = StatusExpired
		return st
	}
	if st.InForceFrom != nil && !st.InForceFrom.After(at) {
		st.Status = StatusInForce
		return st
	}
	if adoption == nil || adoption.Date.After(at) {
		if approval != nil && !approval.Date.After(at) {
			st.Status = StatusAdopted // approved, not yet published: still in safeguard
		}
		return st
	}
	until := p.safeguardEnd(adoption.Date)
	st.SafeguardUntil = &until
	if at.After(layers.EndOfDay(until)) {
		st.Status = StatusSafeguardLapsed
		return st
	}
	st.Status = StatusAdopted
	return st
}

// safeguardEnd is the last day of the safeguard measures of a plan
// adopted on adopted.
func (p Plan) safeguardEnd(adopted time.Time) time.Time {
	if p.SafeguardGiven != nil {
		return *p.SafeguardGiven
	}
	return adopted.In(layers.Rome()).AddDate(SafeguardYears, 0, -1)
}
