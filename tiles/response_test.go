package tiles

import "testing"

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		name, header string
		want         bool
	}{
		{"empty", "", false},
		{"browser", "gzip, deflate, br, zstd", true},
		{"upper case", "GZIP", true},
		{"refused", "gzip;q=0, identity", false},
		{"refused with space", "gzip; q=0", false},
		{"weighted", "br;q=1.0, gzip;q=0.5", true},
		{"star", "*", true},
		{"star refused", "*;q=0", false},
		{"identity only", "identity", false},
		{"x-gzip", "x-gzip", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := acceptsGzip(tc.header); got != tc.want {
				t.Fatalf("acceptsGzip(%q) = %v", tc.header, got)
			}
		})
	}
}

func TestETagMatch(t *testing.T) {
	tests := []struct {
		name, inm string
		want      string
		ok        bool
	}{
		{"none", "", "", false},
		{"identity", `"a"`, `"a"`, true},
		{"gzip variant", `"a-gz"`, `"a-gz"`, true},
		{"weak", `W/"a"`, `"a"`, true},
		{"list", `"x", "a-gz"`, `"a-gz"`, true},
		{"other", `"b"`, "", false},
		{"star", "*", `"a"`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := etagMatch(tc.inm, `"a"`, `"a-gz"`)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("etagMatch(%q) = %q, %v; want %q, %v", tc.inm, got, ok, tc.want, tc.ok)
			}
		})
	}
}
