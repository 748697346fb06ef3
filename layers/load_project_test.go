package layers

import (
	"context"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/sit-gis/sit/internal/dbtest"
)

// TestProjectionsAsPostGIS checks the Go Web Mercator and spheroid area
// against PostGIS's ST_Transform and ST_Area(geography) on parcels of
// several sizes and latitudes, with a hole and a multipolygon.
func TestProjectionsAsPostGIS(t *testing.T) {
	pool := dbtest.Pool(t)
	ctx := context.Background()
	sq := func(x, y, d float64) orb.Ring {
		return orb.Ring{{x, y}, {x + d, y}, {x + d, y + d*0.7}, {x, y + d}, {x, y}}
	}
	tests := []struct {
		name string
		g    orb.Geometry
	}{
		{"Lucca parcel", orb.Polygon{{{10.5150647, 43.9596394}, {10.5149790, 43.9593111}, {10.5152633, 43.9593069}, {10.5152464, 43.9596394}, {10.5150647, 43.9596394}}}},
		{"small square", orb.Polygon{sq(10.5, 43.8, 0.0001)}},
		{"a field with a hole", orb.Polygon{sq(11.2, 43.7, 0.01), sq(11.202, 43.702, 0.002)}},
		{"near the limit of the fast path", orb.Polygon{sq(12, 45, 0.0095)}},
		{"two parcels", orb.MultiPolygon{{sq(9.1, 45.4, 0.001)}, {sq(9.102, 45.405, 0.002)}}},
		{"south, west", orb.Polygon{sq(-70.6, -33.4, 0.003)}},
		{"north", orb.Polygon{sq(25.7, 66.5, 0.003)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src, _ := wkb.Marshal(tc.g)
			var area float64
			var merc []byte
			if err := pool.QueryRow(ctx, "SELECT ST_Area(g::geography), ST_AsBinary(ST_Transform(g, 3857)) FROM ST_GeomFromWKB($1, 4326) g", src).Scan(&area, &merc); err != nil {
				t.Fatal(err)
			}
			got, ok := spheroidArea(tc.g)
			// A hundredth of a square centimetre (PostGIS's own rounding on
			// small parcels), or a hundred-millionth of the area.
			if !ok || math.Abs(got-area) > math.Max(1e-4, area*1e-8) {
				t.Errorf("area %v (%v), PostGIS %v: off by %g m²", got, ok, area, got-area)
			}
			want, err := wkb.Unmarshal(merc)
			if err != nil {
				t.Fatal(err)
			}
			g, err := wkb.Unmarshal(webMercatorWKB(tc.g))
			if err != nil {
				t.Fatal(err)
			}
			var worst float64
			forPoints(g, want, func(a, b orb.Point) { worst = math.Max(worst, math.Max(math.Abs(a[0]-b[0]), math.Abs(a[1]-b[1]))) })
			if worst > 1e-6 {
				t.Errorf("Web Mercator off by %g m", worst)
			}
		})
	}
	if _, ok := spheroidArea(orb.Polygon{sq(10, 43, 0.02)}); ok {
		t.Error("a polygon two hundredths of a degree across is left to PostGIS")
	}
	if webMercatorWKB(orb.Point{10, 86}) != nil {
		t.Error("a point beyond Web Mercator's square is left to PostGIS")
	}
}

// forPoints calls fn on the matching points of two geometries of one shape.
func forPoints(a, b orb.Geometry, fn func(a, b orb.Point)) {
	var pa, pb []orb.Point
	collect := func(g orb.Geometry, out *[]orb.Point) {
		switch x := g.(type) {
		case orb.Polygon:
			for _, r := range x {
				*out = append(*out, r...)
			}
		case orb.MultiPolygon:
			for _, p := range x {
				for _, r := range p {
					*out = append(*out, r...)
				}
			}
		}
	}
	collect(a, &pa)
	collect(b, &pb)
	for i := range pa {
		if i < len(pb) {
			fn(pa[i], pb[i])
		}
	}
}
