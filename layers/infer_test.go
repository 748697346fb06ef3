package layers

import (
	"testing"
	"time"
)

func TestTypeInference(t *testing.T) {
	day := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		declared FieldType
		values   []any
		want     FieldType
		itDate   bool
	}{
		{"integers", "", []any{int64(1), int64(2), nil}, TypeInteger, false},
		{"integers and floats", "", []any{int64(1), 2.5}, TypeDouble, false},
		{"integer strings", "", []any{"12", "-3", " 4 "}, TypeInteger, false},
		{"leading zeros stay text", "", []any{"0037", "12"}, TypeText, false},
		{"italian decimals", "", []any{"12,5", "1.234,5", "3"}, TypeDouble, false},
		{"dot decimals", "", []any{"12.5", "3"}, TypeDouble, false},
		{"booleans", "", []any{true, false}, TypeBoolean, false},
		{"boolean words", "", []any{"true", "FALSE"}, TypeBoolean, false},
		{"iso dates", "", []any{"2025-06-30", "2024-02-29"}, TypeDate, false},
		{"impossible date", "", []any{"2025-02-30"}, TypeText, false},
		{"italian dates", "", []any{"30/06/2025", "1/2/2024"}, TypeDate, true},
		{"timestamps", "", []any{"2025-06-30T10:00:00Z"}, TypeTimestamp, false},
		{"time values", "", []any{day, day.Add(time.Hour)}, TypeTimestamp, false},
		{"date values", "", []any{day}, TypeDate, false},
		{"numbers and words", "", []any{int64(1), "uno"}, TypeText, false},
		{"nested json", "", []any{map[string]any{"a": 1}, "x"}, TypeJSON, false},
		{"only nulls and blanks", "", []any{nil, ""}, TypeText, false},
		{"declared wins", TypeText, []any{int64(1)}, TypeText, false},
		{"18 digits still integer", "", []any{"123456789012345678"}, TypeInteger, false},
		{"19 digits overflow to double", "", []any{"1234567890123456789"}, TypeDouble, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := newTracker("x", 0, tc.declared)
			for _, v := range tc.values {
				tr.observe(v)
			}
			got, itDate := tr.decide()
			if got != tc.want || itDate != tc.itDate {
				t.Fatalf("decide() = %s (itDate %v), want %s (itDate %v)", got, itDate, tc.want, tc.itDate)
			}
		})
	}
}

func TestCheckValue(t *testing.T) {
	tests := []struct {
		name string
		ft   FieldType
		in   any
		want any
		ok   bool
	}{
		{"int string", TypeInteger, "37", "37", true},
		{"int with leading zeros", TypeInteger, "0037", int64(37), true},
		{"int from float string", TypeInteger, "37.0", int64(37), true},
		{"not an int", TypeInteger, "37a", nil, false},
		{"double italian", TypeDouble, "12,5", "12,5", true},
		{"double garbage", TypeDouble, "dodici", nil, false},
		{"bool si", TypeBoolean, "sì", true, true},
		{"date italian", TypeDate, "30/06/2025", "2025-06-30", true},
		{"date garbage", TypeDate, "giugno", nil, false},
		{"blank number is null", TypeDouble, "  ", nil, true},
		{"float into integer", TypeInteger, 2.5, nil, false},
		{"whole float into integer", TypeInteger, 2.0, int64(2), true},
		{"time into date", TypeDate, time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC), "2025-03-31", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := checkValue(tc.ft, tc.in)
			if ok != tc.ok || got != tc.want {
				t.Fatalf("checkValue(%s, %#v) = %#v, %v; want %#v, %v", tc.ft, tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestLaunder(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Località", "localita"},
		{"ZONA_OMOGE", "zona_omoge"},
		{"riferimento legislativo", "riferimento_legislativo"},
		{"2028 stato", "f_2028_stato"},
		{"Città di Lucca!!", "citta_di_lucca"},
		{"", "x"},
		{"Celle 20m x 20m raggiunte", "celle_20m_x_20m_raggiunte"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := Launder(tc.in, 63); got != tc.want {
				t.Fatalf("Launder(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
