package cadastre

import (
	"context"
	"testing"
)

var searchKeyCases = []struct {
	name, in, want string
}{
	{"upper case", "VIA DEL FOSSO 12", "via del fosso 12"},
	{"apostrophe and letter", "Via dell'Anfiteatro, 12/A", "via dell anfiteatro 12 a"},
	{"glued letter", "via del fosso 12a", "via del fosso 12 a"},
	{"accents", "Piazza San Frediano, Città È", "piazza san frediano citta e"},
	{"blanks", "  via   Roma\t 3 ", "via roma 3"},
	{"typographic apostrophe", "Via dell’Anfiteatro 1", "via dell anfiteatro 1"},
	{"only punctuation", "-- / --", ""},
	{"letter then digit stays", "SS12 km 3", "ss12 km 3"},
}

func TestSearchKey(t *testing.T) {
	for _, tc := range searchKeyCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := SearchKey(tc.in); got != tc.want {
				t.Fatalf("SearchKey(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestQueryKey(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"v.", "v. del Fosso 12", "via del fosso 12"},
		{"p.zza", "P.zza San Michele 3", "piazza san michele 3"},
		{"v.le", "v.le Carducci 10", "viale carducci 10"},
		{"nothing to expand", "via del fosso", "via del fosso"},
		{"abbreviation only at the start", "vicolo v 3", "vicolo v 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := QueryKey(tc.in); got != tc.want {
				t.Fatalf("QueryKey(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestSearchKeyMatchesSQL checks that Go and sit.search_key agree, since
// the search compares one with the other.
func TestSearchKeyMatchesSQL(t *testing.T) {
	f := newFixture(t)
	for _, tc := range searchKeyCases {
		t.Run(tc.name, func(t *testing.T) {
			var got string
			if err := f.pool.QueryRow(context.Background(), "SELECT sit.search_key($1)", tc.in).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != SearchKey(tc.in) {
				t.Fatalf("sit.search_key(%q) = %q, Go SearchKey = %q", tc.in, got, SearchKey(tc.in))
			}
		})
	}
}
