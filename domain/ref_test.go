package domain

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRef(t *testing.T) {
	p125 := Ref{Foglio: "37", Particella: "125"}
	tests := []struct {
		name string
		in   string
		want Ref
	}{
		{"words", "foglio 37 particella 125", p125},
		{"F. p. abbreviations", "F.37 p.125", p125},
		{"fg part", "fg 37 part 125", p125},
		{"glued keyword and value", "fg37 part125", p125},
		{"upper case", "FOGLIO 37 PARTICELLA 125", p125},
		{"slash", "37/125", p125},
		{"dash", "37-125", p125},
		{"spaces around slash", "37 / 125", p125},
		{"two bare numbers", "37 125", p125},
		{"mappale", "foglio n. 37 mappale n. 125", p125},
		{"reversed order", "particella 125 del foglio 37", p125},
		{"zero padded", "fg 037 part 0125", p125},
		{"comma separated", "foglio 37, particella 125", p125},
		{"comune code first", "E715 foglio 37 particella 125", Ref{Comune: "E715", Foglio: "37", Particella: "125"}},
		{"comune with slash form", "E715 37/125", Ref{Comune: "E715", Foglio: "37", Particella: "125"}},
		{"comune keyword", "comune e715 fg 37 p 125", Ref{Comune: "E715", Foglio: "37", Particella: "125"}},
		{"national reference", "E715_003700.125", Ref{Comune: "E715", Foglio: "37", Particella: "125", AllegatoGiven: true, SviluppoGiven: true, SezioneGiven: true}},
		{"national reference lower case", "e715_003700.125", Ref{Comune: "E715", Foglio: "37", Particella: "125", AllegatoGiven: true, SviluppoGiven: true, SezioneGiven: true}},
		{"national reference with sezione and allegato", "E715B0037A0.125", Ref{Comune: "E715", Sezione: "B", Foglio: "37", Allegato: "A", Particella: "125", AllegatoGiven: true, SviluppoGiven: true, SezioneGiven: true}},
		{"INSPIRE id", "IT.AGE.PLA.E715_003700.125", Ref{Comune: "E715", Foglio: "37", Particella: "125", AllegatoGiven: true, SviluppoGiven: true, SezioneGiven: true}},
		{"sezione allegato sviluppo", "sez. A fg 37 all. B svil. 1 part. 125", Ref{Sezione: "A", Foglio: "37", Allegato: "B", Sviluppo: "1", Particella: "125", SezioneGiven: true, AllegatoGiven: true, SviluppoGiven: true}},
		{"allegato zero means none", "foglio 37 allegato 0 particella 125", Ref{Foglio: "37", Particella: "125", AllegatoGiven: true}},
		{"letter foglio", "foglio 33A particella 7", Ref{Foglio: "33A", Particella: "7"}},
		{"foglio only", "foglio 37", Ref{Foglio: "37"}},
		{"F037 is a foglio when a particella follows", "F037 p 125", p125},
		{"subalterno kept aside", "fg 37 part 125 sub 3", Ref{Foglio: "37", Particella: "125", Subalterno: "3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseRef(tc.in)
			if err != nil {
				t.Fatalf("ParseRef(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Fatalf("ParseRef(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseRefErrors(t *testing.T) {
	tests := []struct {
		name, in, wantDetail string
	}{
		{"empty", "  ", "empty"},
		{"no foglio", "particella 125", "no foglio"},
		{"keyword without value", "foglio", "not followed by a value"},
		{"stray word", "foglio 37 casa 125", `"casa"`},
		{"particella not a number", "foglio 37 particella abc", `particella "ABC"`},
		{"three bare numbers", "37 125 9", "one number too many"},
		{"foglio twice", "foglio 37 foglio 38 particella 1", "twice"},
		{"bad comune", "comune lucca foglio 37", "Belfiore"},
		{"too long", strings.Repeat("1", 201), "longer than 200"},
		{"bad national reference particella", "E715_003700.", "empty particella"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRef(tc.in)
			var re *RefError
			if !errors.As(err, &re) {
				t.Fatalf("ParseRef(%q) error = %v, want a *RefError", tc.in, err)
			}
			if !strings.Contains(err.Error(), tc.wantDetail) {
				t.Fatalf("ParseRef(%q) error %q does not say %q", tc.in, err, tc.wantDetail)
			}
		})
	}
}

func TestNationalRef(t *testing.T) {
	tests := []struct {
		name                                                string
		comune, sezione, foglio, allegato, sviluppo, partic string
		want                                                string
	}{
		{"plain", "E715", "", "37", "", "", "125", "E715_003700.125"},
		{"sezione allegato", "E715", "B", "37", "A", "", "125", "E715B0037A0.125"},
		{"letter foglio", "E715", "", "33A", "", "", "7", "E715_033A00.7"},
		{"no comune", "", "", "37", "", "", "125", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := NationalRef(tc.comune, tc.sezione, tc.foglio, tc.allegato, tc.sviluppo, tc.partic)
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			if got == "" {
				return
			}
			// The reference reads back to the same parts.
			r, err := ParseRef(got)
			if err != nil || r.Foglio != tc.foglio || r.Particella != tc.partic || r.Sezione != tc.sezione || r.Allegato != tc.allegato {
				t.Fatalf("ParseRef(%q) = %+v, %v", got, r, err)
			}
		})
	}
}

func TestRefLabel(t *testing.T) {
	tests := []struct {
		ref  Ref
		want string
	}{
		{Ref{Comune: "E715", Foglio: "37", Particella: "125"}, "Foglio 37 particella 125"},
		{Ref{Sezione: "A", Foglio: "37", Allegato: "B", Sviluppo: "C", Particella: "125"}, "Sezione A foglio 37 allegato B sviluppo C particella 125"},
		{Ref{Foglio: "37"}, "Foglio 37"},
		{Ref{}, ""},
	}
	for _, tc := range tests {
		if got := tc.ref.Label(); got != tc.want {
			t.Errorf("%+v.Label() = %q, want %q", tc.ref, got, tc.want)
		}
	}
}
