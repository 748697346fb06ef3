package crs

import (
	"strings"
	"testing"
)

func TestParseBox(t *testing.T) {
	b, err := ParseBox("10.2, 43.7,10.7,44.0")
	if err != nil || b != (Box{10.2, 43.7, 10.7, 44.0}) {
		t.Fatalf("ParseBox = %+v, %v", b, err)
	}
	for _, bad := range []string{"", "1,2,3", "a,2,3,4", "10,44,9,45", "10,44,11,43", "-200,0,10,10"} {
		if _, err := ParseBox(bad); err == nil {
			t.Errorf("ParseBox(%q) accepted", bad)
		}
	}
}

func TestItaly(t *testing.T) {
	it := Italy()
	lucca := Box{10.40, 43.80, 10.60, 43.90}
	if !it.Contains(lucca) {
		t.Fatal("Lucca is not in Italy")
	}
	// lat/lon swapped: lon 43.8 lat 10.5 is in the Horn of Africa.
	if it.Intersects(lucca.Swapped()) {
		t.Fatal("swapped Lucca is in Italy")
	}
	// The Balkans, where a wrong --srid put a comune (issue 19).
	if it.Contains(Box{22.7, 43.8, 22.8, 43.9}) {
		t.Fatal("lon 22.75 is in Italy")
	}
	if !strings.Contains(lucca.String(), "lon 10.4000…10.6000") {
		t.Fatalf("String = %s", lucca)
	}
}

func TestGuessItalian(t *testing.T) {
	codes := func(b Box) []int {
		var out []int
		for _, g := range GuessItalian(b) {
			out = append(out, g.EPSG)
		}
		return out
	}
	has := func(list []int, code int) bool {
		for _, c := range list {
			if c == code {
				return true
			}
		}
		return false
	}
	// Lucca in Gauss-Boaga Ovest, in UTM 32N and in Web Mercator.
	if got := codes(Box{1_620_000, 4_850_000, 1_630_000, 4_860_000}); !has(got, 3003) || has(got, 7791) {
		t.Errorf("Gauss-Boaga Lucca: %v", got)
	}
	if got := codes(Box{620_000, 4_850_000, 630_000, 4_860_000}); !has(got, 7791) || has(got, 3003) {
		t.Errorf("UTM Lucca: %v", got)
	}
	if got := codes(Box{1_160_000, 5_430_000, 1_180_000, 5_450_000}); !has(got, 3857) {
		t.Errorf("Web Mercator Lucca: %v", got)
	}
	if got := codes(Box{-5_000, -3_000, 4_000, 2_000}); !has(got, 0) {
		t.Errorf("Cassini-Soldner sheet: %v", got)
	}
	if got := codes(Box{1, 2, 3, 4e9}); len(got) != 0 {
		t.Errorf("nonsense: %v", got)
	}
}

func TestEquivalentEPSG(t *testing.T) {
	if !EquivalentEPSG(6707, 7791) || !EquivalentEPSG(7792, 6708) || !EquivalentEPSG(3003, 3003) {
		t.Fatal("equivalent codes not recognised")
	}
	if EquivalentEPSG(3003, 6707) || EquivalentEPSG(4326, 4258) {
		t.Fatal("different CRSs taken as equivalent")
	}
}
