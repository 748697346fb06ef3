package cadastre

import (
	"fmt"
	"strings"

	"github.com/sit-gis/sit/layers"
)

// Catalog is what lookups need from the layer catalog (*layers.Catalog).
type Catalog interface {
	Layers() []layers.Layer
	Layer(name string) (layers.Layer, bool)
}

// domainRoles are the roles of layers.roles.go; a layer that has any of
// them is not a fallback candidate for another role.
var domainRoles = []string{layers.RoleCadastre, layers.RoleZoning, layers.RoleConstraints, layers.RoleAddresses,
	layers.RoleCoverage, layers.RoleZones, layers.RoleAGCOM}

func hasDomainRole(l layers.Layer) bool {
	for _, r := range domainRoles {
		if l.HasRole(r) {
			return true
		}
	}
	return false
}

// NoLayerError says that no layer plays a role (or that several could).
type NoLayerError struct {
	Role       string
	Kind       layers.Kind
	Candidates []string
}

func (e *NoLayerError) Error() string {
	if len(e.Candidates) > 1 {
		return fmt.Sprintf("no layer has the role %q and several layers are of kind %s (%s): set the role on one (sit import --role %s)",
			e.Role, e.Kind, strings.Join(e.Candidates, ", "), e.Role)
	}
	return fmt.Sprintf("no layer has the role %q and no layer is of kind %s: import one (sit import --kind %s --role %s)", e.Role, e.Kind, e.Kind, e.Role)
}

// LayersFor returns the layers playing role: those that have it in the
// catalog, else the layers of kind that play no other role. Several layers
// may share a role (constraints).
func LayersFor(ls []layers.Layer, role string, kind layers.Kind) []layers.Layer {
	if with := layers.WithRole(ls, role); len(with) > 0 {
		return with
	}
	var out []layers.Layer
	for _, l := range ls {
		if l.Kind == kind && !hasDomainRole(l) {
			out = append(out, l)
		}
	}
	return out
}

// LayerFor returns the one layer playing role: the one that has it (the
// first by name when several do), else the only layer of kind without
// another role. A *NoLayerError says why there is none.
func LayerFor(ls []layers.Layer, role string, kind layers.Kind) (layers.Layer, error) {
	if with := layers.WithRole(ls, role); len(with) > 0 {
		return with[0], nil
	}
	c := LayersFor(ls, role, kind)
	if len(c) == 1 {
		return c[0], nil
	}
	e := &NoLayerError{Role: role, Kind: kind}
	for _, l := range c {
		e.Candidates = append(e.Candidates, l.Name)
	}
	return layers.Layer{}, e
}
