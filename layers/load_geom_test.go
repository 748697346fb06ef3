package layers

import (
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestGeometryProblems(t *testing.T) {
	sq := orb.Ring{{10, 43}, {10.1, 43}, {10.1, 43.1}, {10, 43.1}, {10, 43}}
	tests := []struct {
		name       string
		g          orb.Geometry
		geographic bool
		want       string // "" = buildable
		outOfRange bool
	}{
		{"square", orb.Polygon{sq}, true, "", false},
		{"unclosed ring", orb.Polygon{sq[:4]}, false, "outer ring is not closed: it starts at (10 43) and ends at (10 43.1)", false},
		{"ring of three points", orb.Polygon{{{10, 43}, {10.1, 43}, {10, 43}}}, false, "outer ring has 3 points", false},
		{"bad hole", orb.Polygon{sq, {{10.01, 43.01}, {10.02, 43.01}, {10.02, 43.02}}}, false, "hole 1 has 3 points", false},
		{"bad polygon in a multipolygon", orb.MultiPolygon{{sq}, {sq[:3]}}, false, "polygon 2: outer ring has 3 points", false},
		{"line of one point", orb.LineString{{10, 43}}, false, "a line of 1 point(s)", false},
		{"bad line in a multiline", orb.MultiLineString{{{10, 43}, {11, 44}}, {}}, false, "line 2: a line of 0 point(s)", false},
		{"NaN", orb.Point{math.NaN(), 43}, false, "is not a number", false},
		{"infinity in a ring", orb.Polygon{{{10, 43}, {math.Inf(1), 43}, {10.1, 43.1}, {10, 43}}}, false, "outer ring: point 2: coordinate (+Inf 43) is not a number", false},
		{"projected point read as degrees", orb.Point{1620000, 4854000}, true, "not a longitude/latitude", true},
		{"a rounding past the antimeridian", orb.Point{180.00000000000006, 71.5}, true, "", false},
		{"projected point in a projected CRS", orb.Point{1620000, 4854000}, false, "", false},
		{"collection", orb.Collection{orb.Point{10, 43}, orb.LineString{{10, 43}}}, false, "member 2: a line of 1 point(s)", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, out := geomCheck{geographic: tc.geographic}.problem(tc.g)
			if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) || out != tc.outOfRange {
				t.Fatalf("problem = %q, %v; want %q, %v", got, out, tc.want, tc.outOfRange)
			}
		})
	}
}

// BenchmarkGeometryCheck measures what checking a parcel costs the loader
// per record (a 5-vertex polygon, and its bounds for the staged extent).
func BenchmarkGeometryCheck(b *testing.B) {
	g := orb.Polygon{{{10.5, 43.84}, {10.501, 43.84}, {10.501, 43.841}, {10.5, 43.841}, {10.5, 43.84}}}
	c := geomCheck{geographic: true}
	s := geomStats{types: map[string]*TypeCount{}}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if r, _ := c.problem(g); r != "" {
			b.Fatal(r)
		}
		s.add(int64(i), g)
	}
}
