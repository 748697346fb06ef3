package layers

// Roles tell the domain queries which layer plays which part (the cadastre,
// the zoning plan, ...). They are set in the catalog (`sit import --role`,
// the demo), never hard-coded by layer name. When no layer has a role, the
// domain queries fall back to the only layer of the matching kind.
const (
	RoleCadastre    = "cadastre"    // parcels (kind cadastral)
	RoleZoning      = "zoning"      // the zoning plan (kind zoning)
	RoleConstraints = "constraints" // constraint overlays (kind constraint); several layers may have it
	RoleAddresses   = "addresses"   // address points (kind address)
	RoleCoverage    = "coverage"    // per-address broadband coverage (kind broadband)
	RoleZones       = "zones"       // polygons to aggregate analytics by (frazioni, comuni, census sections)
	RoleAGCOM       = "agcom"       // AGCOM per-comune broadband figures
)

// WithRole returns the layers having a role, in name order.
func WithRole(ls []Layer, role string) []Layer {
	var out []Layer
	for _, l := range ls {
		if l.HasRole(role) {
			out = append(out, l)
		}
	}
	return out
}
