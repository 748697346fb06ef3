package crs

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// FromWKT returns the EPSG code of a coordinate reference system written
// as WKT: an ESRI .prj, an OGC WKT 1 (GDAL, QGIS) or a WKT 2 definition (the
// definition column of a GeoPackage). It looks, in order, for an EPSG
// authority code on the CRS itself, for a CRS name it knows (ESRI and EPSG
// spellings), and for the datum and projection parameters of the CRSs used
// in Italy (WGS 84, ETRS89, RDN2008, IGM95, ED50, Monte Mario / Gauss-Boaga,
// Web Mercator). It reports false when it cannot tell.
//
// RDN2008 / UTM has two EPSG codes: 6707/6708 ("(N-E)", northing first,
// the code the Italian decree names) and 7791/7792 (easting first, for GIS).
// Shapefiles and GeoPackages always store easting first, and an ESRI .prj
// cannot say which was meant, so a name or parameter match gives 7791/7792;
// 6707/6708 come back only when the WKT says so (its code, its "(N-E)" name
// or a northing-first AXIS). PostGIS transforms both alike.
func FromWKT(wkt string) (int, bool) {
	wkt = strings.TrimSpace(strings.TrimPrefix(wkt, "\ufeff"))
	if wkt == "" {
		return 0, false
	}
	if code, ok := ParseName(wkt); ok {
		return code, true
	}
	root, ok := parseWKT(wkt)
	if !ok {
		return 0, false
	}
	crs := horizontalCRS(root)
	if crs == nil {
		return 0, false
	}
	if code, ok := authorityCode(crs); ok {
		return code, true
	}
	northFirst := axisNorthFirst(crs)
	if code, ok := sridFromCRSName(crs.name(), northFirst); ok {
		return code, true
	}
	return sridFromParameters(crs, northFirst)
}

// wktNode is one KEYWORD[...] of a WKT text; args holds quoted strings and
// bare tokens as strings, nested nodes in children (in order of appearance).
type wktNode struct {
	keyword  string
	args     []string
	children []*wktNode
}

// name is the first quoted argument, the object's name.
func (n *wktNode) name() string {
	if len(n.args) == 0 {
		return ""
	}
	return n.args[0]
}

// find returns the first node with one of the keywords, depth first.
func (n *wktNode) find(keywords ...string) *wktNode {
	for _, c := range n.children {
		for _, k := range keywords {
			if c.keyword == k {
				return c
			}
		}
		if f := c.find(keywords...); f != nil {
			return f
		}
	}
	return nil
}

// parseWKT parses the bracket structure of WKT 1 and 2 ([] or ()).
func parseWKT(s string) (*wktNode, bool) {
	p := &wktParser{s: s}
	n, ok := p.node()
	return n, ok
}

type wktParser struct {
	s     string
	i     int
	depth int
}

func (p *wktParser) skipSpace() {
	for p.i < len(p.s) && unicode.IsSpace(rune(p.s[p.i])) {
		p.i++
	}
}

func (p *wktParser) node() (*wktNode, bool) {
	p.skipSpace()
	start := p.i
	for p.i < len(p.s) && (p.s[p.i] == '_' || unicode.IsLetter(rune(p.s[p.i])) || unicode.IsDigit(rune(p.s[p.i]))) {
		p.i++
	}
	if p.i == start {
		return nil, false
	}
	n := &wktNode{keyword: strings.ToUpper(p.s[start:p.i])}
	p.skipSpace()
	if p.i >= len(p.s) || (p.s[p.i] != '[' && p.s[p.i] != '(') {
		// A bare keyword (AXIS direction like EAST) is a value, not a node.
		n.args = nil
		return n, true
	}
	p.depth++
	if p.depth > 64 {
		return nil, false
	}
	defer func() { p.depth-- }()
	p.i++
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			return nil, false
		}
		switch c := p.s[p.i]; {
		case c == ']' || c == ')':
			p.i++
			return n, true
		case c == ',':
			p.i++
		case c == '"':
			p.i++
			var sb strings.Builder
			for {
				if p.i >= len(p.s) {
					return nil, false
				}
				if p.s[p.i] == '"' {
					if p.i+1 < len(p.s) && p.s[p.i+1] == '"' {
						sb.WriteByte('"')
						p.i += 2
						continue
					}
					p.i++
					break
				}
				sb.WriteByte(p.s[p.i])
				p.i++
			}
			n.args = append(n.args, sb.String())
		case unicode.IsLetter(rune(c)) || c == '_':
			child, ok := p.node()
			if !ok {
				return nil, false
			}
			if child.args == nil && len(child.children) == 0 {
				n.args = append(n.args, child.keyword) // bare enum value
			} else {
				n.children = append(n.children, child)
			}
		default:
			start := p.i
			for p.i < len(p.s) && !strings.ContainsRune(",])", rune(p.s[p.i])) && !unicode.IsSpace(rune(p.s[p.i])) {
				p.i++
			}
			if p.i == start {
				return nil, false
			}
			n.args = append(n.args, p.s[start:p.i])
		}
	}
}

// horizontalCRS returns the projected or geographic CRS of a WKT, looking
// inside a compound CRS and past a bound CRS.
func horizontalCRS(n *wktNode) *wktNode {
	switch n.keyword {
	case "PROJCS", "PROJCRS", "PROJECTEDCRS", "GEOGCS", "GEOGCRS", "GEOGRAPHICCRS", "GEODCRS", "GEODETICCRS":
		return n
	case "COMPD_CS", "COMPOUNDCRS", "BOUNDCRS", "SOURCECRS":
		for _, c := range n.children {
			if h := horizontalCRS(c); h != nil {
				return h
			}
		}
	}
	return nil
}

// authorityCode reads AUTHORITY["EPSG","3003"] (WKT 1) or ID["EPSG",3003]
// (WKT 2) on the CRS itself, and the ESRI codes of Web Mercator.
func authorityCode(crs *wktNode) (int, bool) {
	for _, c := range crs.children {
		if (c.keyword != "AUTHORITY" && c.keyword != "ID") || len(c.args) < 2 {
			continue
		}
		code, err := strconv.Atoi(strings.TrimSpace(c.args[1]))
		if err != nil || code <= 0 {
			continue
		}
		switch strings.ToUpper(c.args[0]) {
		case "EPSG":
			return code, true
		case "ESRI":
			switch code {
			case 102100, 102113, 900913:
				return 3857, true
			}
		}
	}
	return 0, false
}

// axisNorthFirst reports whether the CRS declares its first axis northing.
func axisNorthFirst(crs *wktNode) bool {
	var axes []*wktNode
	for _, c := range crs.children {
		if c.keyword == "AXIS" {
			axes = append(axes, c)
		}
	}
	if len(axes) == 0 {
		return false
	}
	for _, a := range axes[0].args {
		if strings.EqualFold(a, "NORTH") {
			return true
		}
	}
	return false
}

var wktNameCleaner = regexp.MustCompile(`[^a-z0-9]+`)

// normName lower-cases a CRS/datum name and turns punctuation into "_":
// "Monte Mario / Italy zone 1" → "monte_mario_italy_zone_1".
func normName(s string) string {
	s = wktNameCleaner.ReplaceAllString(strings.ToLower(s), "_")
	s = strings.Trim(s, "_")
	return strings.TrimSuffix(s, "_deprecated")
}

// knownCRSName maps normalised EPSG and ESRI names to codes.
func knownCRSName(n string) (int, bool) {
	switch n {
	// Geographic.
	case "wgs_84", "wgs84", "gcs_wgs_1984", "wgs_1984", "world_geodetic_system_1984":
		return 4326, true
	case "etrs89", "gcs_etrs_1989", "etrs_1989":
		return 4258, true
	case "rdn2008", "gcs_rdn2008":
		return 6706, true
	case "monte_mario", "gcs_monte_mario":
		return 4265, true
	case "monte_mario_rome", "gcs_monte_mario_rome":
		return 4806, true
	case "ed50", "gcs_european_1950", "european_datum_1950":
		return 4230, true
	case "igm95", "gcs_igm_1995":
		return 4670, true
	// Gauss-Boaga (the Rome-meridian variants give the same coordinates).
	case "monte_mario_italy_zone_1", "monte_mario_italy_1", "monte_mario_rome_italy_zone_1",
		"monte_mario_rome_italy_1", "gauss_boaga_ovest", "gauss_boaga_fuso_ovest":
		return 3003, true
	case "monte_mario_italy_zone_2", "monte_mario_italy_2", "monte_mario_rome_italy_zone_2",
		"monte_mario_rome_italy_2", "gauss_boaga_est", "gauss_boaga_fuso_est":
		return 3004, true
	// RDN2008 national grid.
	case "rdn2008_italy_zone", "rdn2008_italy_zone_e_n":
		return 7794, true
	case "rdn2008_italy_zone_n_e":
		return 6875, true
	// Web Mercator.
	case "wgs_84_pseudo_mercator", "wgs_1984_web_mercator_auxiliary_sphere", "wgs_1984_web_mercator",
		"popular_visualisation_crs_mercator", "google_maps_global_mercator", "web_mercator", "pseudo_mercator":
		return 3857, true
	// Pan-European grid (Infratel's 50 m cells).
	case "etrs89_laea_europe", "etrs89_extended_laea_europe", "etrs_1989_laea", "etrs_1989_laea_europe":
		return 3035, true
	}
	return 0, false
}

var utmName = regexp.MustCompile(`^(.*)_utm_zone_(\d{1,2})n(_n_e)?$`)

// sridFromCRSName recognises a CRS by name, UTM zones of the known datums included.
func sridFromCRSName(name string, northFirst bool) (int, bool) {
	n := normName(name)
	if n == "" {
		return 0, false
	}
	if code, ok := knownCRSName(n); ok {
		return code, true
	}
	m := utmName.FindStringSubmatch(n)
	if m == nil {
		return 0, false
	}
	zone, _ := strconv.Atoi(m[2])
	return utmCode(datumKey(m[1]), zone, northFirst || m[3] != "")
}

// datumKey reduces the many spellings of a datum (in a datum or CRS name) to one key.
func datumKey(name string) string {
	n := strings.TrimPrefix(normName(name), "d_")
	n = strings.TrimPrefix(n, "gcs_")
	n = strings.TrimSuffix(n, "_ensemble")
	switch n {
	case "wgs_1984", "wgs_84", "wgs84", "world_geodetic_system_1984":
		return "wgs84"
	case "etrs_1989", "etrs89", "european_terrestrial_reference_system_1989", "european_terrestrial_reference_frame_1989":
		return "etrs89"
	case "rete_dinamica_nazionale_2008", "rdn2008":
		return "rdn2008"
	case "monte_mario", "monte_mario_rome":
		return "montemario"
	case "european_1950", "european_datum_1950", "ed_1950", "ed50":
		return "ed50"
	case "igm_1995", "igm95", "istituto_geografico_militaire_1995", "istituto_geografico_militare_1995":
		return "igm95"
	}
	return n
}

// utmCode gives the EPSG code of a northern UTM zone on a datum.
func utmCode(datum string, zone int, northFirst bool) (int, bool) {
	if zone < 1 || zone > 60 {
		return 0, false
	}
	switch datum {
	case "wgs84":
		return 32600 + zone, true
	case "etrs89":
		if zone >= 28 && zone <= 38 {
			return 25800 + zone, true
		}
	case "ed50":
		if zone >= 28 && zone <= 38 {
			return 23000 + zone, true
		}
	case "rdn2008":
		if zone >= 32 && zone <= 34 {
			if northFirst {
				return 6707 + zone - 32, true
			}
			return 7791 + zone - 32, true
		}
	case "igm95":
		if zone == 32 || zone == 33 {
			return 3064 + zone - 32, true
		}
	}
	return 0, false
}

// geographicCode gives the geographic CRS of a known datum key.
func geographicCode(datum string) (int, bool) {
	switch datum {
	case "wgs84":
		return 4326, true
	case "etrs89":
		return 4258, true
	case "rdn2008":
		return 6706, true
	case "montemario":
		return 4265, true
	case "ed50":
		return 4230, true
	case "igm95":
		return 4670, true
	}
	return 0, false
}

// sridFromParameters recognises a CRS by its datum and projection.
func sridFromParameters(crs *wktNode, northFirst bool) (int, bool) {
	datum := ""
	if d := crs.find("DATUM", "GEODETICDATUM", "TRF", "ENSEMBLE"); d != nil {
		datum = datumKey(d.name())
	}
	method := crs.find("PROJECTION", "METHOD")
	if method == nil {
		switch crs.keyword {
		case "GEOGCS", "GEOGCRS", "GEOGRAPHICCRS", "GEODCRS", "GEODETICCRS":
			return geographicCode(datum)
		}
		return 0, false
	}
	p := readProjParams(crs)
	switch normName(method.name()) {
	case "transverse_mercator", "gauss_kruger", "transverse_mercator_south_orientated":
		return transverseMercatorCode(p, datum, northFirst)
	case "mercator_auxiliary_sphere", "popular_visualisation_pseudo_mercator", "pseudo_mercator":
		return 3857, true
	case "mercator_1sp", "mercator":
		// Web Mercator written as a Mercator on a sphere of the WGS 84 radius.
		if s := crs.find("SPHEROID", "ELLIPSOID"); s != nil && len(s.args) >= 3 {
			a, _ := strconv.ParseFloat(s.args[1], 64)
			invf, _ := strconv.ParseFloat(s.args[2], 64)
			if near(a, 6378137) && invf == 0 && near(p.fe, 0) && near(p.fn, 0) {
				return 3857, true
			}
		}
	case "lambert_azimuthal_equal_area":
		if datum == "etrs89" && near(p.lat0, 52) && near(p.lon0, 10) && near(p.fe, 4321000) && near(p.fn, 3210000) {
			return 3035, true
		}
	}
	return 0, false
}

// projParams are the projection parameters that tell the Italian CRSs apart.
type projParams struct {
	lon0, lat0, k, fe, fn float64
}

// readProjParams reads the PARAMETERs of a projected CRS, under their WKT 1,
// ESRI and WKT 2 names; the central meridian is made relative to Greenwich.
func readProjParams(crs *wktNode) projParams {
	params := map[string]float64{}
	for _, p := range allNodes(crs, "PARAMETER") {
		if len(p.args) < 2 {
			continue
		}
		if v, err := strconv.ParseFloat(p.args[1], 64); err == nil {
			params[normName(p.name())] = v
		}
	}
	get := func(def float64, names ...string) float64 {
		for _, n := range names {
			if v, ok := params[n]; ok {
				return v
			}
		}
		return def
	}
	pm := 0.0
	if p := crs.find("PRIMEM", "PRIMEMERIDIAN"); p != nil && len(p.args) >= 2 {
		if v, err := strconv.ParseFloat(p.args[1], 64); err == nil {
			pm = v
		}
	}
	return projParams{
		lon0: get(math.NaN(), "central_meridian", "longitude_of_origin", "longitude_of_natural_origin", "longitude_of_center", "longitude_of_centre") + pm,
		lat0: get(0, "latitude_of_origin", "latitude_of_natural_origin", "latitude_of_center", "latitude_of_centre"),
		k:    get(1, "scale_factor", "scale_factor_at_natural_origin"),
		fe:   get(0, "false_easting"),
		fn:   get(0, "false_northing"),
	}
}

// near compares parameters with a relative tolerance.
func near(a, b float64) bool { return math.Abs(a-b) < 1e-6*math.Max(1, math.Abs(b)) }

// transverseMercatorCode recognises UTM zones, Gauss-Boaga and RDN2008 Italy zone.
func transverseMercatorCode(p projParams, datum string, northFirst bool) (int, bool) {
	if !near(p.lat0, 0) || !near(p.fn, 0) {
		return 0, false
	}
	switch {
	case near(p.k, 0.9996) && near(p.fe, 500000):
		zone := (p.lon0 + 183) / 6
		if zone != math.Trunc(zone) && !near(zone, math.Round(zone)) {
			return 0, false
		}
		return utmCode(datum, int(math.Round(zone)), northFirst)
	case near(p.k, 0.9996) && near(p.fe, 1500000) && near(p.lon0, 9):
		return 3003, true
	case near(p.k, 0.9996) && near(p.fe, 2520000) && near(p.lon0, 15):
		return 3004, true
	case near(p.k, 0.9985) && near(p.fe, 7000000) && near(p.lon0, 12) && datum == "rdn2008":
		if northFirst {
			return 6875, true
		}
		return 7794, true
	}
	return 0, false
}

// allNodes collects every node with the keyword under n.
func allNodes(n *wktNode, keyword string) []*wktNode {
	var out []*wktNode
	for _, c := range n.children {
		if c.keyword == keyword {
			out = append(out, c)
		}
		out = append(out, allNodes(c, keyword)...)
	}
	return out
}
