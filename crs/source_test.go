package crs

import "testing"

func TestParseSource(t *testing.T) {
	tests := []struct {
		in      string
		want    Source
		wantErr bool
	}{
		{"", Source{}, false},
		{"3003", Source{EPSG: 3003}, false},
		{" EPSG:6707 ", Source{EPSG: 6707}, false},
		{"urn:ogc:def:crs:EPSG::6706", Source{EPSG: 6706}, false},
		{"+proj=cass +lat_0=43.8 +lon_0=10.5", Source{PROJ: "+proj=cass +lat_0=43.8 +lon_0=10.5"}, false},
		{"gauss", Source{}, true},
		{"-3", Source{}, true},
	}
	for _, tc := range tests {
		got, err := ParseSource(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseSource(%q) = %+v, %v; want %+v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
	if s := (Source{EPSG: 3003}).String(); s != "EPSG:3003" {
		t.Errorf("String = %q", s)
	}
}
