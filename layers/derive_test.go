package layers_test

import (
	"context"
	"math"
	"testing"

	"github.com/sit-gis/sit/domain"
)

// speedProbes are the speeds where the band and class rules could differ:
// each threshold, the floats just below and above it, zero, unknown
// speeds (negative, NaN, infinite) and huge ones.
func speedProbes() []float64 {
	out := []float64{0, math.Copysign(0, -1), math.SmallestNonzeroFloat64, -1, -math.SmallestNonzeroFloat64,
		math.NaN(), math.Inf(1), math.Inf(-1), 1e12, math.MaxFloat64, 0.5, 29.5, 30.5, 99.5, 100.5, 999.5}
	for _, th := range domain.SpeedBandThresholds() {
		out = append(out, th, math.Nextafter(th, math.Inf(-1)), math.Nextafter(th, math.Inf(1)))
	}
	return out
}

// The loader derives speed_band and area_class in SQL (sit.speed_band,
// sit.area_class, sit.area_class_label); the importers and the reports use
// the vocabulary's Go rules. Both must give the same answer for every
// boundary value and every colour word.
func TestDerivedBroadbandSQLMatchesGo(t *testing.T) {
	_, pool := newStore(t)
	ctx := context.Background()
	for _, v := range speedProbes() {
		var band, class *string
		if err := pool.QueryRow(ctx, "SELECT sit.speed_band($1::float8), sit.area_class($1::float8)", v).Scan(&band, &class); err != nil {
			t.Fatalf("%v: %v", v, err)
		}
		if got, want := deref(band), domain.SpeedBand(v); got != want {
			t.Errorf("speed %v: SQL band %q, Go %q", v, got, want)
		}
		if got, want := deref(class), domain.AreaClass("", v); got != want {
			t.Errorf("speed %v: SQL class %q, Go %q", v, got, want)
		}
	}
	var nullBand *string
	if err := pool.QueryRow(ctx, "SELECT sit.speed_band(NULL)").Scan(&nullBand); err != nil || nullBand != nil {
		t.Errorf("NULL speed: band %v, %v", nullBand, err)
	}
	words := append(domain.AreaColourWords(), "", "  N  ", "Area Nera", "rosso", "bianche", "AREA BIANCA")
	for _, w := range words {
		var class *string
		if err := pool.QueryRow(ctx, "SELECT sit.area_class_label($1)", w).Scan(&class); err != nil {
			t.Fatalf("%q: %v", w, err)
		}
		want, _ := domain.AreaClassFromColour(w)
		if got := deref(class); got != want {
			t.Errorf("colour %q: SQL %q, Go %q", w, got, want)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
