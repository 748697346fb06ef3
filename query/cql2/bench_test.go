package cql2

import "testing"

var benchFilters = map[string]string{
	"simple":  "foglio = '37' AND n > 3",
	"complex": "(CASEI(name) LIKE 'via%' OR foglio IN ('1','2','3','4','5')) AND h BETWEEN 10 AND 1000 AND T_DURING(snapshot, INTERVAL('2024-01-01','..')) AND NOT name IS NULL",
	"spatial": "S_INTERSECTS(geometry, POLYGON((10.49 43.83, 10.51 43.83, 10.51 43.85, 10.49 43.85, 10.49 43.83))) AND n * 2 + 1 > 10",
}

func BenchmarkParseText(b *testing.B) {
	for name, src := range benchFilters {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseText(src, Limits{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseJSON(b *testing.B) {
	src := []byte(`{"op":"and","args":[{"op":"=","args":[{"property":"foglio"},"37"]},{"op":"s_intersects","args":[{"property":"geometry"},{"bbox":[10.49,43.83,10.51,43.85]}]},{"op":"like","args":[{"op":"casei","args":[{"property":"name"}]},"via%"]}]}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseJSON(src, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkToSQL(b *testing.B) {
	for name, src := range benchFilters {
		n, err := ParseText(src, Limits{})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var a Args
				if _, err := ToSQL(n, Options{Schema: testSchema}, &a); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
