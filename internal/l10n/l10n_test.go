package l10n

import (
	"math"
	"testing"
	"time"
)

func TestNumber(t *testing.T) {
	tests := []struct {
		lang     Lang
		v        float64
		decimals int
		want     string
	}{
		{It, 3858.5747123456789, 2, "3.858,57"},
		{En, 3858.5747123456789, 2, "3,858.57"},
		{It, 1979, 0, "1.979"},
		{It, 10760, 0, "10.760"},
		{It, 999, 0, "999"},
		{It, 1234567.891, 1, "1.234.567,9"},
		{En, 1234567.891, 1, "1,234,567.9"},
		{It, -1234.5, 1, "-1.234,5"},
		{It, -0.001, 2, "0,00"}, // no negative zero
		{It, 0, 0, "0"},
		{It, math.NaN(), 2, "–"},
		{En, math.Inf(1), 2, "–"},
	}
	for _, tc := range tests {
		if got := tc.lang.Number(tc.v, tc.decimals); got != tc.want {
			t.Errorf("%s.Number(%v, %d) = %q, want %q", tc.lang, tc.v, tc.decimals, got, tc.want)
		}
	}
	if got := It.Int(461446); got != "461.446" {
		t.Errorf("Int = %q", got)
	}
}

func TestDecimal(t *testing.T) {
	tests := []struct {
		lang Lang
		v    float64
		want string
	}{
		{It, 10.5177, "10,5177"},
		{En, 43.84320001, "43.8432"},
		{It, 1000, "1.000"},
		{It, 2.5, "2,5"},
		{It, -0.0000001, "0"},
		{En, 1234.0000001, "1,234"},
	}
	for _, tc := range tests {
		if got := tc.lang.Decimal(tc.v, 6); got != tc.want {
			t.Errorf("%s.Decimal(%v) = %q, want %q", tc.lang, tc.v, got, tc.want)
		}
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Lang{"it": It, "IT": It, "en": En, "En": En} {
		if got, ok := Parse(in); !ok || got != want {
			t.Errorf("Parse(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "de", "it-IT", "english"} {
		if _, ok := Parse(in); ok {
			t.Errorf("Parse(%q) accepted", in)
		}
	}
	if Langs()[0] != It {
		t.Error("Italian is not the default")
	}
}

func TestDates(t *testing.T) {
	winter := time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)
	summer := time.Date(2025, 6, 30, 22, 30, 0, 0, time.UTC) // already 1 July in Rome
	tests := []struct{ got, want string }{
		{It.DateTime(winter), "15/01/2026 11:30 CET"},
		{En.DateTime(winter), "2026-01-15 11:30 CET"},
		{It.DateTime(summer), "01/07/2025 00:30 CEST"},
		{It.Date(summer), "01/07/2025"},
		{En.Date(summer), "2025-07-01"},
		{It.CalendarDate(summer), "30/06/2025"}, // a date has no zone
		{En.CalendarDate(summer), "2025-06-30"},
	}
	for i, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%d: %q, want %q", i, tc.got, tc.want)
		}
	}
}

func TestRoundLength(t *testing.T) {
	for in, want := range map[float64]float64{1: 1, 1.2: 2, 2.1: 2.5, 3: 5, 7: 10, 120: 200, 240: 250, 1000: 1000, 1001: 2000, 0.3: 0.5, 0: 1, -5: 1} {
		if got := RoundLength(in); math.Abs(got-want) > 1e-9 {
			t.Errorf("RoundLength(%v) = %v, want %v", in, got, want)
		}
	}
	for in, want := range map[float64]string{250: "250 m", 1500: "1,5 km", 2000: "2 km", 2.5: "2,5 m"} {
		if got := It.Length(in); got != want {
			t.Errorf("Length(%v) = %q, want %q", in, got, want)
		}
	}
	if got := En.Length(1500); got != "1.5 km" {
		t.Errorf("en Length = %q", got)
	}
}

func TestCodesFollowLangs(t *testing.T) {
	codes := Codes()
	if len(codes) != len(Langs()) {
		t.Fatalf("codes %v, langs %v", codes, Langs())
	}
	for i, l := range Langs() {
		if got, ok := Parse(codes[i]); !ok || got != l {
			t.Errorf("code %q reads as %q (%v), want %q", codes[i], got, ok, l)
		}
	}
}
