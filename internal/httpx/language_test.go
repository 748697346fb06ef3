package httpx

import (
	"errors"
	"net/http/httptest"
	"testing"
)

func TestLanguage(t *testing.T) {
	tests := []struct {
		name, value, header string
		want                string
		bad                 bool
	}{
		{"default", "", "", "it", false},
		{"parameter", "en", "it-IT", "en", false},
		{"parameter case", "EN", "", "en", false},
		{"parameter not offered", "de", "", "it", true},
		{"parameter with region", "en-GB", "", "it", true},
		{"browser in English", "", "en-US,en;q=0.9", "en", false},
		{"browser in Italian", "", "it-IT,it;q=0.9,en-US;q=0.8,en;q=0.7", "it", false},
		{"region only", "", "en-GB", "en", false},
		{"higher quality wins", "", "it;q=0.4, en;q=0.8", "en", false},
		{"tie: first written", "", "en, it", "en", false},
		{"neither offered", "", "de-DE,fr;q=0.8", "it", false},
		{"other first, then English", "", "de-DE,de;q=0.9,en;q=0.5", "en", false},
		{"wildcard", "", "*", "it", false},
		{"wildcard below English", "", "*;q=0.1, en", "en", false},
		{"Italian refused", "", "it;q=0", "en", false},
		{"Italian refused, wildcard", "", "it;q=0, *;q=0.5", "en", false},
		{"bad weight ignored", "", "en;q=abc", "it", false},
		{"case", "", "EN-us", "en", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			if tc.header != "" {
				r.Header.Set("Accept-Language", tc.header)
			}
			got, err := Language(r, "lang", tc.value, "it", "en")
			if got != tc.want {
				t.Errorf("language %q, want %q", got, tc.want)
			}
			var p *Problem
			if tc.bad != (err != nil) || (err != nil && (!errors.As(err, &p) || p.Parameter != "lang" || p.Status != 400)) {
				t.Errorf("error %v, want bad=%v naming lang", err, tc.bad)
			}
		})
	}
}
