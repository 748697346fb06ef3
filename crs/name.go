package crs

import (
	"regexp"
	"strconv"
	"strings"
)

// crsName matches the ways a CRS is named by code in GeoJSON, GML and OGC
// APIs: EPSG:3003, urn:ogc:def:crs:EPSG::3003, urn:ogc:def:crs:EPSG:6.6:3003,
// http://www.opengis.net/def/crs/EPSG/0/3003.
var crsName = regexp.MustCompile(`(?i)^(?:epsg:|urn:ogc:def:crs:epsg:[0-9.]*:|https?://www\.opengis\.net/def/crs/epsg/[0-9.]+/)(\d+)$`)

// ParseName returns the EPSG code named by s, with OGC CRS84 (lon/lat
// WGS84) as 4326, and false when s names no code it knows.
func ParseName(s string) (int, bool) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "crs84", "ogc:crs84", "urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84",
		"http://www.opengis.net/def/crs/ogc/1.3/crs84", "https://www.opengis.net/def/crs/ogc/1.3/crs84":
		return 4326, true
	}
	m := crsName.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	code, err := strconv.Atoi(m[1])
	if err != nil || code <= 0 {
		return 0, false
	}
	return code, true
}
