package synth

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Every address lies beside a line of the street it is numbered on (within
// half a block and the road), the streets lie inside the comune, and the
// historic centre's names are on streets inside the walls.
func TestStreets(t *testing.T) {
	t.Parallel()
	dir, p, _ := generated(t, 6000, 21)
	streets := readSeq(t, filepath.Join(dir, LayerStreets+".geojsonl"))
	byStreet := map[string][]orb.LineString{}
	named, unnamed := 0, 0
	for _, f := range streets {
		var lines []orb.LineString
		switch g := f.geom.(type) {
		case orb.LineString:
			lines = []orb.LineString{g}
		case orb.MultiLineString:
			lines = g
		default:
			t.Fatalf("street %d is a %T", f.id, f.geom)
		}
		local := make([]orb.LineString, len(lines))
		for i, l := range lines {
			for _, pt := range l {
				local[i] = append(local[i], p.fr.toLocal(pt))
			}
			// Within a block of the comune.
			for _, pt := range local[i] {
				if !p.reg.contains(pt) && planar.DistanceFrom(p.reg.poly, pt) > 1.25*p.s {
					t.Fatalf("street %d runs %.0f m outside the comune at %v", f.id, planar.DistanceFrom(p.reg.poly, pt), pt)
				}
			}
		}
		switch f.str("kind") {
		case "via":
			named++
			if f.str("name") == "" || f.str("street") == "" || streetTitle(f.str("street")) != f.str("name") {
				t.Fatalf("street %d: name %q, street %q", f.id, f.str("name"), f.str("street"))
			}
			byStreet[f.str("street")] = append(byStreet[f.str("street")], local...)
		case "strada":
			unnamed++
			if f.str("name") != "" || f.str("street") != "" {
				t.Fatalf("road %d is named %q", f.id, f.str("name"))
			}
		default:
			t.Fatalf("street %d: kind %q", f.id, f.str("kind"))
		}
	}
	if named < 100 || unnamed < 20 {
		t.Fatalf("%d named streets, %d unnamed roads", named, unnamed)
	}
	// Blocks are at most 1.25 pitches high: an address is numbered on a
	// road of its block.
	reach := 1.25*p.s + p.road
	for _, a := range readSeq(t, filepath.Join(dir, LayerAddresses+".geojsonl")) {
		pt := p.fr.toLocal(a.geom.(orb.Point))
		best := math.Inf(1)
		for _, l := range byStreet[a.str("street")] {
			best = math.Min(best, planar.DistanceFrom(l, pt))
		}
		if best > reach {
			t.Fatalf("address %d %q is %.0f m from its street (at most %.0f)", a.id, a.str("address"), best, reach)
		}
	}
	if ls := byStreet["VIA FILLUNGO"]; len(ls) == 0 || !p.land.insideWalls(ls[0][0]) && !p.land.insideWalls(ls[0][len(ls[0])-1]) {
		t.Errorf("Via Fillungo is not a street inside the walls: %v", ls)
	}
}

func TestStreetTitle(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"VIA DEL FOSSO":                    "Via del Fosso",
		"PIAZZA DELL'ANFITEATRO":           "Piazza dell'Anfiteatro",
		"VIA DELL'ANGELO CUSTODE":          "Via dell'Angelo Custode",
		"LOCALITA' MEATI":                  "Località Meati",
		"LOCALITA' ALL'ANNUNZIATINA":       "Località all'Annunziatina",
		"TRAVERSA I DI VIA DEI PELLEGRINI": "Traversa I di Via dei Pellegrini",
		"CORSO GARIBALDI":                  "Corso Garibaldi",
		"VIA VECCHIA PER SAN DONATO":       "Via Vecchia per San Donato",
		"STRADA STATALE 12":                "Strada Statale 12",
		"VIA DI SAN DONATO":                "Via di San Donato",
		"D'AZEGLIO":                        "D'Azeglio",
		"":                                 "",
	} {
		if got := streetTitle(in); got != want {
			t.Errorf("streetTitle(%q) = %q, want %q", in, got, want)
		}
	}
}
