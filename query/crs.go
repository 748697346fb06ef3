package query

import (
	"strconv"
	"strings"
)

// CRS is a coordinate reference system the API offers (Part 2).
type CRS struct {
	URI  string
	SRID int
	// LatLon says the axis order of the CRS is latitude/longitude (or
	// northing/easting): coordinates are swapped against PostGIS's x/y.
	LatLon bool
	// Decimals of the coordinates written in GeoJSON.
	Decimals int
	// Limits are the valid coordinates, x/y order (minx, miny, maxx, maxy):
	// a bbox (or a filter's literal) outside them is refused, not sent to
	// PROJ. See supportedCRS for where they come from.
	Limits [4]float64
}

// CRS84 is the default CRS of OGC API Features: WGS 84 longitude/latitude.
var CRS84 = CRS{URI: "http://www.opengis.net/def/crs/OGC/1.3/CRS84", SRID: 4326, Decimals: 7, Limits: geographic}

// geographic are the limits of longitude/latitude.
var geographic = [4]float64{-180, -90, 180, 90}

// supportedCRS lists the CRS offered for output, bbox-crs and filter-crs.
// Axis orders follow the EPSG registry (checked with projinfo): 4326 and
// 6706 are latitude/longitude, 6707 is RDN2008 / UTM 32N (N-E), while 7791
// is the same projection with easting first.
//
// Limits: the geographic CRSs take longitudes within ±180 and latitudes
// within ±90; Web Mercator its square (±85.06°). The transverse Mercator
// CRSs take the envelope, in their own units (rounded out to the km), of
// their central meridian ± 9° — one and a half zones, so that one zone
// covers all of Italy as ISTAT uses 32632 — from 30°N (from the equator for
// WGS 84 / UTM 32N) to 84°N, computed with gdaltransform (PROJ 9).
func supportedCRS() []CRS {
	epsg := func(code int, latlon bool, decimals int, limits [4]float64) CRS {
		return CRS{URI: "http://www.opengis.net/def/crs/EPSG/0/" + strconv.Itoa(code), SRID: code, LatLon: latlon, Decimals: decimals, Limits: limits}
	}
	utm32 := [4]float64{-370000, 3318000, 1370000, 9337000}
	return []CRS{
		CRS84,
		epsg(4326, true, 7, geographic), // WGS 84, lat/lon
		epsg(3857, false, 2, [4]float64{-20037508.342789244, -20048966.1040146, 20037508.342789244, 20048966.1040146}), // Web Mercator
		epsg(3003, false, 3, [4]float64{630000, 3318000, 2370000, 9337000}),                                            // Monte Mario / Italy zone 1 (Gauss-Boaga Ovest)
		epsg(3004, false, 3, [4]float64{1650000, 3318000, 3390000, 9337000}),                                           // Monte Mario / Italy zone 2 (Gauss-Boaga Est)
		epsg(6706, true, 7, geographic),                                 // RDN2008 geographic, lat/lon
		epsg(6707, true, 3, utm32),                                      // RDN2008 / UTM zone 32N (N-E)
		epsg(7791, false, 3, utm32),                                     // RDN2008 / UTM zone 32N (E-N)
		epsg(25832, false, 3, utm32),                                    // ETRS89 / UTM zone 32N
		epsg(32632, false, 3, [4]float64{-506000, 0, 1506000, 9337000}), // WGS 84 / UTM zone 32N
	}
}

// Geographic reports whether the CRS is longitude/latitude (in some order).
func (c CRS) Geographic() bool { return c.SRID == 4326 || c.SRID == 6706 }

// CRSURIs returns the URIs of the supported CRS, CRS84 first.
func CRSURIs() []string {
	var out []string
	for _, c := range supportedCRS() {
		out = append(out, c.URI)
	}
	return out
}

// storageCRS is the URI of the CRS a layer stores its geometries in, ""
// when it is not one the API offers. An imported layer's (and a published
// one's in 4326) is CRS84: longitude first, as stored.
func storageCRS(srid int) string {
	if srid == CRS84.SRID {
		return CRS84.URI
	}
	for _, c := range supportedCRS() {
		if c.SRID == srid {
			return c.URI
		}
	}
	return ""
}

// lookupCRS accepts a URI, its https form, a CURIE [EPSG:3003], or EPSG:3003.
func lookupCRS(s string) (CRS, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	s = strings.Replace(s, "https://", "http://", 1)
	low := strings.ToLower(s)
	for _, c := range supportedCRS() {
		if strings.EqualFold(c.URI, s) {
			return c, true
		}
	}
	switch low {
	case "crs84", "ogc:crs84", "urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84":
		return CRS84, true
	}
	var code string
	switch {
	case strings.HasPrefix(low, "epsg:"):
		code = low[5:]
	case strings.HasPrefix(low, "urn:ogc:def:crs:epsg::"):
		code = low[len("urn:ogc:def:crs:epsg::"):]
	default:
		return CRS{}, false
	}
	for _, c := range supportedCRS() {
		if c.URI != CRS84.URI && strconv.Itoa(c.SRID) == code {
			return c, true
		}
	}
	return CRS{}, false
}
