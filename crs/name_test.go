package crs

import "testing"

func TestParseName(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
		ok   bool
	}{
		{"epsg short", "EPSG:3003", 3003, true},
		{"urn", "urn:ogc:def:crs:EPSG::6706", 6706, true},
		{"urn with version", "urn:ogc:def:crs:EPSG:6.6:4326", 4326, true},
		{"http uri", "http://www.opengis.net/def/crs/EPSG/0/25832", 25832, true},
		{"crs84 urn", "urn:ogc:def:crs:OGC:1.3:CRS84", 4326, true},
		{"crs84 uri", "http://www.opengis.net/def/crs/OGC/1.3/CRS84", 4326, true},
		{"garbage", "WGS 84", 0, false},
		{"empty", "", 0, false},
		{"negative", "EPSG:-1", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ParseName(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("ParseName(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}
