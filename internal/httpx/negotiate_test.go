package httpx

import (
	"net/http/httptest"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"x-gzip", true},
		{"deflate, gzip;q=0.5", true},
		{"gzip;q=0", false},
		{"gzip; q=0", false},
		{"gzip;q=0.0", false},
		{"gzip;q=0.000", false},
		{"gzip;q=0.001", true},
		{"gzip;q=1", true},
		{"*", true},
		{"*;q=0", false},
		{"*, gzip;q=0", false}, // an explicit refusal beats the wildcard
		{"gzip;q=0, *", false},
		{"*;q=0, gzip", true},
		{"identity", false},
		{"br, deflate", false},
		{"gzip;q=abc", false}, // a weight that does not parse: not said clearly
		{"gzip;q=2", false},
		{"gzip;q=-1", false},
		{"gzip;level=9", true},
		{" , ,gzip", true},
	}
	for _, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			if got := AcceptsGzip(tc.header); got != tc.want {
				t.Fatalf("AcceptsGzip(%q) = %v, want %v", tc.header, got, tc.want)
			}
		})
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		name, f, accept string
		want            string
		bad             bool
	}{
		{"default", "", "", "json", false},
		{"f wins", "html", "application/json", "html", false},
		{"f by media type", "text/html", "", "html", false},
		{"f case", "JSON", "", "json", false},
		{"bad f", "xml", "", "json", true},
		{"browser", "", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html", false},
		{"json client", "", "application/json", "json", false},
		{"geojson", "", "application/geo+json", "json", false},
		{"openapi with parameter", "", "application/vnd.oai.openapi+json;version=3.0", "json", false},
		{"html weighted lower", "", "text/html;q=0.5, application/json", "json", false},
		{"json weighted lower", "", "text/html, application/json;q=0.5", "html", false},
		{"html refused, wildcard", "", "text/html;q=0, */*", "json", false},
		{"text wildcard", "", "text/*", "html", false},
		{"specific beats wildcard", "", "*/*;q=0.1, text/html;q=0.2", "html", false},
		{"specific refusal beats wildcard", "", "*/*, application/json;q=0", "json", false}, // geo+json still matches */*
		{"tie goes to the first offer", "", "text/html, application/json", "json", false},
		{"nothing acceptable", "", "image/png", "json", false},
		{"everything refused", "", "*/*;q=0", "json", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			if tc.accept != "" {
				r.Header.Set("Accept", tc.accept)
			}
			got, err := Negotiate(r, tc.f, FormatJSON, FormatHTML)
			if (err != nil) != tc.bad {
				t.Fatalf("err %v", err)
			}
			if tc.bad {
				if p, ok := err.(*Problem); !ok || p.Parameter != "f" || p.Status != 400 {
					t.Fatalf("problem %+v", err)
				}
				return
			}
			if got.Name != tc.want {
				t.Fatalf("got %s, want %s", got.Name, tc.want)
			}
		})
	}
}

// FuzzNegotiate: any Accept, Accept-Encoding and f pick an offer or give a
// 400 naming f; nothing panics.
func FuzzNegotiate(f *testing.F) {
	for _, s := range [][3]string{{"text/html;q=0.5, */*", "gzip;q=0, *", ""}, {"", "", "json"}, {";;;,,q=", "x-gzip;q=1.0000", "HTML"}, {"*/*;q=2", "*;q=-1", "xml"}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, accept, encoding, fparam string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept", accept)
		_ = AcceptsGzip(encoding)
		got, err := Negotiate(r, fparam, FormatJSON, FormatHTML)
		if err != nil {
			if p, ok := err.(*Problem); !ok || p.Parameter != "f" {
				t.Fatalf("%v", err)
			}
			return
		}
		if got.Name != "json" && got.Name != "html" {
			t.Fatalf("picked %q", got.Name)
		}
	})
}
