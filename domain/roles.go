package domain

// Roles tell the domain queries which layer plays which part (the
// cadastre, the zoning plan, ...). They are set in the catalog (`sit import
// --role`, the demo), never hard-coded by layer name. When no layer has a
// role, the lookup (layers.LayersFor) falls back on the layers of the
// role's kind (RoleKind) that play no other role.
const (
	RoleCadastre    = "cadastre"    // parcels (kind cadastral)
	RoleZoning      = "zoning"      // the zoning plan (kind zoning)
	RoleConstraints = "constraints" // constraint overlays (kind constraint); several layers may have it
	RoleAddresses   = "addresses"   // address points (kind address)
	RoleCoverage    = "coverage"    // per-address broadband coverage (kind broadband)
	RoleZones       = "zones"       // polygons to aggregate analytics by (frazioni, comuni, census sections)
	RoleAGCOM       = "agcom"       // AGCOM per-comune broadband figures
	RoleSheets      = "sheets"      // cadastral sheets (fogli: INSPIRE CadastralZoning), labelled by foglio on the map
	RoleStreets     = "streets"     // street centre-lines with their names (the comune's stradario): drawn as the base map
)

// role is one row of the roles table.
type role struct {
	name  string
	kind  Kind
	label string // Italian, for reports and the viewer
}

func roles() []role {
	return []role{
		{RoleCadastre, KindCadastral, "catasto (particelle)"},
		{RoleZoning, KindZoning, "piano urbanistico (zone)"},
		{RoleConstraints, KindConstraint, "vincoli"},
		{RoleAddresses, KindAddress, "numeri civici"},
		{RoleCoverage, KindBroadband, "copertura banda larga"},
		{RoleZones, KindBoundary, "zone di analisi"},
		{RoleAGCOM, KindBroadband, "dati AGCOM per comune"},
		{RoleSheets, KindCadastral, "fogli catastali"},
		{RoleStreets, KindGeneric, "stradario"},
	}
}

// Roles lists every role, in the order of the CLI's help.
func Roles() []string {
	var out []string
	for _, r := range roles() {
		out = append(out, r.name)
	}
	return out
}

// RoleKind is the kind of the layers that may play role when no layer has
// it in the catalog; "" for an unknown role.
func RoleKind(name string) Kind {
	for _, r := range roles() {
		if r.name == name {
			return r.kind
		}
	}
	return ""
}

// RoleLabel names a role in Italian ("vincoli"); an unknown role is
// returned as it is.
func RoleLabel(name string) string {
	for _, r := range roles() {
		if r.name == name {
			return r.label
		}
	}
	return name
}
