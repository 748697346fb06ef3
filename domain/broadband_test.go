package domain

import (
	"math"
	"testing"
)

func TestSpeedBand(t *testing.T) {
	cases := []struct {
		mbps float64
		want string
	}{
		{0, "<30"}, {29.99, "<30"}, {30, "30-100"}, {99.9, "30-100"}, {100, "100-1000"},
		{999, "100-1000"}, {1000, ">=1000"}, {10000, ">=1000"}, {-1, ""}, {math.NaN(), ""}, {math.Inf(1), ""},
	}
	for _, c := range cases {
		if got := SpeedBand(c.mbps); got != c.want {
			t.Errorf("SpeedBand(%v) = %q, want %q", c.mbps, got, c.want)
		}
	}
}

func TestAreaClass(t *testing.T) {
	cases := []struct {
		name   string
		colour string
		mbps   float64
		want   string
	}{
		{"infratel black", "n", 0, "black"},
		{"colour wins over speed", "g", 1000, "grey"},
		{"Italian word", "Bianca", 1000, "white"},
		{"no colour, no NGA", "", 20, "white"},
		{"no colour, 30", "", 30, "grey"},
		{"no colour, 99", "", 99, "grey"},
		{"no colour, ultrafast", "", 100, "black"},
		{"unknown colour falls back on speed", "rosso", 10, "white"},
		{"nothing known", "", math.NaN(), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := AreaClass(c.colour, c.mbps); got != c.want {
				t.Errorf("AreaClass(%q, %v) = %q, want %q", c.colour, c.mbps, got, c.want)
			}
		})
	}
	for n, want := range map[int]string{-1: "", 0: "white", 1: "grey", 2: "black", 5: "black"} {
		if got := AreaClassFromNetworks(n); got != want {
			t.Errorf("AreaClassFromNetworks(%d) = %q, want %q", n, got, want)
		}
	}
}
