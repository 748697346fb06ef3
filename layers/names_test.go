package layers

import (
	"strings"
	"testing"
)

func TestDeriveName(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  []string
	}{
		{in: "2028_civici", want: "f_2028_civici"},
		{in: "Zone PRG – Località", want: "zone_prg_localita"},
		{in: strings.Repeat("a", 48), want: strings.Repeat("a", 48)},
		// Two long names with the same beginning must not become one layer.
		{in: "piano_operativo_comunale_lucca_2024_zonizzazione_tavola_1", wantErr: []string{"57 characters", "--layer piano_operativo_comunale_lucca_2024"}},
		{in: "piano_operativo_comunale_lucca_2024_zonizzazione_tavola_2", wantErr: []string{"57 characters"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := DeriveName(tc.in)
			if tc.wantErr == nil {
				if err != nil || got != tc.want || ValidateName(got) != nil {
					t.Fatalf("DeriveName = %q, %v; want valid %q", got, err, tc.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("DeriveName = %q; want an error", got)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Fatalf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestValidateNameSuggests(t *testing.T) {
	tests := []struct{ in, suggestion string }{
		{"Bad Name", "bad_name"},
		{"zone-prg", "zone_prg"},
		{"2024_zone", "f_2024_zone"},
		{strings.Repeat("parola_", 10), "parola_parola_parola_parola_parola_parola_parola"},
		{"", ""},
	}
	for _, tc := range tests {
		err := ValidateName(tc.in)
		if err == nil {
			t.Fatalf("ValidateName(%q) accepted", tc.in)
		}
		if tc.suggestion == "" {
			if strings.Contains(err.Error(), "for example") {
				t.Fatalf("ValidateName(%q) suggests something: %v", tc.in, err)
			}
			continue
		}
		if !strings.Contains(err.Error(), "for example "+tc.suggestion+")") {
			t.Fatalf("ValidateName(%q) = %v; want the suggestion %s", tc.in, err, tc.suggestion)
		}
		if ValidateName(tc.suggestion) != nil {
			t.Fatalf("suggestion %q is not valid", tc.suggestion)
		}
	}
}
