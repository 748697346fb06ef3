package domain

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"testing"
)

func TestComuneName(t *testing.T) {
	for code, want := range map[string]string{"E715": "Lucca", "e715": "Lucca", "B648": "Capannori", "H501": "Roma",
		"A241": "Altopascio", "I869": "Sotto il Monte Giovanni XXIII", "A074": "Agliè"} {
		if got, ok := ComuneName(code); !ok || got != want {
			t.Errorf("ComuneName(%q) = %q, %v; want %q", code, got, ok, want)
		}
	}
	for _, bad := range []string{"", "Z999", "E71", "E7155", "E715;"} {
		if got, ok := ComuneName(bad); ok {
			t.Errorf("ComuneName(%q) = %q, want unknown", bad, got)
		}
	}
}

func TestKinds(t *testing.T) {
	if len(Kinds()) != len(DrawOrder()) {
		t.Fatalf("Kinds %v and DrawOrder %v list different kinds", Kinds(), DrawOrder())
	}
	for _, k := range Kinds() {
		if !slices.Contains(DrawOrder(), k) {
			t.Errorf("kind %s has no drawing rank", k)
		}
		if got, err := ParseKind(string(k)); err != nil || got != k {
			t.Errorf("ParseKind(%q) = %q, %v", k, got, err)
		}
	}
	if k, err := ParseKind(""); err != nil || k != KindGeneric {
		t.Errorf(`ParseKind("") = %q, %v`, k, err)
	}
	if _, err := ParseKind("parcels"); err == nil {
		t.Error("ParseKind accepted an unknown kind")
	}
	if DrawRank(KindZoning) >= DrawRank(KindAddress) || DrawRank("nonsense") != len(DrawOrder()) {
		t.Error("draw ranks: areas must come before points, unknown kinds last")
	}
}

func TestRoles(t *testing.T) {
	for _, r := range Roles() {
		if RoleKind(r) == "" {
			t.Errorf("role %s has no kind", r)
		}
		if RoleLabel(r) == r {
			t.Errorf("role %s has no Italian label", r)
		}
	}
	if RoleKind("nonsense") != "" || RoleLabel("nonsense") != "nonsense" {
		t.Error("unknown role")
	}
}

func TestZoneClassOf(t *testing.T) {
	cases := []struct {
		code     string
		explicit bool
		want     string
	}{
		{"B2", false, "B"}, {"E1", false, "E"}, {"Bc", false, "B"}, {"D.1", false, "D"}, {"Zona B2", false, "B"},
		{"AT", false, ""}, {"G1", false, ""}, {"", false, ""}, {"b", false, ""}, {"b", true, "B"},
		{"03", true, "C"}, {"07", true, ""}, {"3", false, ""},
	}
	for _, c := range cases {
		got, ok := ZoneClassOf(c.code, c.explicit)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("ZoneClassOf(%q, %v) = %q, %v; want %q", c.code, c.explicit, got, ok, c.want)
		}
	}
}

var hexColour = regexp.MustCompile(`^#[0-9a-f]{6}$`)

// Every legend lists every value of its rule, once, each with its own
// colour; every colour is a #rrggbb the style, SVG and PDF can all read.
func TestPalette(t *testing.T) {
	p := ThePalette()
	want := map[string][]string{"zone_class": ZoneClasses(), "speed_band": SpeedBands(), "area_class": AreaClasses()}
	for _, l := range p.Legends {
		var vals []string
		colours := map[string]bool{}
		for _, e := range l.Entries {
			vals = append(vals, e.Value)
			if !hexColour.MatchString(e.Color) || e.Label == "" {
				t.Errorf("%s %s: colour %q label %q", l.Property, e.Value, e.Color, e.Label)
			}
			if colours[e.Color] {
				t.Errorf("%s: colour %s used twice", l.Property, e.Color)
			}
			colours[e.Color] = true
		}
		if !slices.Equal(vals, want[l.Property]) {
			t.Errorf("legend %s lists %v, the rule has %v", l.Property, vals, want[l.Property])
		}
		if l.Color("nonsense") != l.Other {
			t.Errorf("legend %s: an unknown value is not Other", l.Property)
		}
	}
	for name, c := range p.Colors {
		if !hexColour.MatchString(c) {
			t.Errorf("colour %s = %q", name, c)
		}
	}
	f := p.FTTHShare
	if f.Color(0) != f.Steps[0].Color || f.Color(19.9) != f.Steps[0].Color || f.Color(20) != f.Steps[1].Color || f.Color(100) != f.Steps[4].Color {
		t.Error("FTTH share steps")
	}
}

// Shades of one colour are all different, and far enough apart to see.
func TestShade(t *testing.T) {
	for _, e := range ZoneClassLegend().Entries {
		seen := map[string]int{}
		for k := range ShadeCount {
			s := Shade(e.Color, k)
			if k == 0 && s != e.Color {
				t.Errorf("Shade(%s, 0) = %s", e.Color, s)
			}
			if j, dup := seen[s]; dup {
				t.Errorf("class %s: shades %d and %d are both %s", e.Value, j, k, s)
			}
			seen[s] = k
			for s2, j := range seen {
				if j != k && distance(RGB(s), RGB(s2)) < 40 {
					t.Errorf("class %s: shades %d (%s) and %d (%s) are too close", e.Value, k, s, j, s2)
				}
			}
		}
	}
	if RGB("#a1d99b") != [3]int{161, 217, 155} || Hex([3]int{161, 217, 155}) != "#a1d99b" || RGB("red") != [3]int{128, 128, 128} {
		t.Error("RGB/Hex")
	}
}

func distance(a, b [3]int) int {
	d := 0
	for i := range a {
		d += max(a[i]-b[i], b[i]-a[i])
	}
	return d
}

// The viewer's unit tests (web/unit, node --test) read the palette from
// web/unit/palette.json: it must be the table itself. SIT_UPDATE_FIXTURES=1
// rewrites it.
func TestPaletteFixtureOfTheViewer(t *testing.T) {
	b, err := json.MarshalIndent(ThePalette(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	const path = "../web/unit/palette.json"
	if os.Getenv("SIT_UPDATE_FIXTURES") == "1" {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, b) {
		t.Fatalf("%s is not domain.ThePalette(): run SIT_UPDATE_FIXTURES=1 go test ./domain", path)
	}
}
