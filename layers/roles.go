package layers

import (
	"fmt"
	"strings"

	"github.com/sit-gis/sit/domain"
)

// Roles tell the domain queries which layer plays which part (the cadastre,
// the zoning plan, ...); the vocabulary (domain) defines them and the kind
// each falls back on. They are set in the catalog (`sit import --role`,
// the demo), never hard-coded by layer name.
const (
	RoleCadastre    = domain.RoleCadastre
	RoleZoning      = domain.RoleZoning
	RoleConstraints = domain.RoleConstraints
	RoleAddresses   = domain.RoleAddresses
	RoleCoverage    = domain.RoleCoverage
	RoleZones       = domain.RoleZones
	RoleAGCOM       = domain.RoleAGCOM
	RoleSheets      = domain.RoleSheets
	RoleStreets     = domain.RoleStreets
)

// keyedRoles are the roles whose features are named by their id (a
// parcel's URL and report, the zone= of the broadband analytics): a
// published relation without a key cannot play them.
var keyedRoles = map[string]bool{RoleCadastre: true, RoleZones: true}

// canPlay reports whether a layer can play role as far as its key goes.
func canPlay(l Layer, role string) bool { return !keyedRoles[role] || l.KeyColumn() != "" }

// RoleNotes say which of a layer's roles it cannot play and why: notes
// for the published relations' listing.
func (l Layer) RoleNotes() []string {
	var out []string
	for _, r := range l.Roles {
		if !canPlay(l, r) {
			out = append(out, "does not play the role "+r+" without a key (add a primary key, or name a unique column with sit publish --key)")
		}
	}
	return out
}

// WithRole returns the layers having a role (and able to play it), in
// name order.
func WithRole(ls []Layer, role string) []Layer {
	var out []Layer
	for _, l := range ls {
		if l.HasRole(role) && canPlay(l, role) {
			out = append(out, l)
		}
	}
	return out
}

// hasDomainRole reports whether a layer plays any role: such a layer is
// not a fallback candidate for another role.
func hasDomainRole(l Layer) bool {
	for _, r := range domain.Roles() {
		if l.HasRole(r) {
			return true
		}
	}
	return false
}

// NoLayerError says that no layer plays a role (or that several could).
type NoLayerError struct {
	Role       string
	Kind       Kind
	Candidates []string
}

func (e *NoLayerError) Error() string {
	if len(e.Candidates) > 1 {
		return fmt.Sprintf("no layer has the role %q and several layers are of kind %s (%s): set the role on one (sit layers set %s --role %s)",
			e.Role, e.Kind, strings.Join(e.Candidates, ", "), e.Candidates[0], e.Role)
	}
	return fmt.Sprintf("no layer has the role %q and no layer is of kind %s: import one (sit import --kind %s --role %s)", e.Role, e.Kind, e.Kind, e.Role)
}

// LayersFor returns the layers playing role: those that have it in the
// catalog, else the layers of the role's kind (domain.RoleKind) that play
// no other role. Several layers may share a role (constraints).
func LayersFor(ls []Layer, role string) []Layer {
	if with := WithRole(ls, role); len(with) > 0 {
		return with
	}
	kind := domain.RoleKind(role)
	var out []Layer
	for _, l := range ls {
		if l.Kind == kind && !hasDomainRole(l) && canPlay(l, role) {
			out = append(out, l)
		}
	}
	return out
}

// LayerFor returns the one layer playing role: the one that has it (the
// first by name when several do), else the only layer of the role's kind
// without another role. A *NoLayerError says why there is none.
func LayerFor(ls []Layer, role string) (Layer, error) {
	if with := WithRole(ls, role); len(with) > 0 {
		return with[0], nil
	}
	c := LayersFor(ls, role)
	if len(c) == 1 {
		return c[0], nil
	}
	e := &NoLayerError{Role: role, Kind: domain.RoleKind(role)}
	for _, l := range c {
		e.Candidates = append(e.Candidates, l.Name)
	}
	return Layer{}, e
}
