package tiles

import (
	"errors"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/sit-gis/sit/internal/httpx"
)

func TestParseTileID(t *testing.T) {
	tests := []struct {
		name      string
		z, x, y   string
		want      TileID
		wantParam string // "" when valid
	}{
		{"origin", "0", "0", "0", TileID{0, 0, 0}, ""},
		{"z15 Lucca", "15", "17333", "11957", TileID{15, 17333, 11957}, ""},
		{"deepest", "24", "16777215", "16777215", TileID{24, 16777215, 16777215}, ""},
		{"z too deep", "25", "0", "0", TileID{}, "z"},
		{"z negative", "-1", "0", "0", TileID{}, "z"},
		{"z not a number", "a", "0", "0", TileID{}, "z"},
		{"z empty", "", "0", "0", TileID{}, "z"},
		{"x past the grid", "1", "2", "0", TileID{}, "x"},
		{"y past the grid", "3", "0", "8", TileID{}, "y"},
		{"y with sign", "3", "0", "+1", TileID{}, "y"},
		{"x hex", "5", "0x1", "0", TileID{}, "x"},
		{"x huge", "5", "99999999999999999999", "0", TileID{}, "x"},
		{"y float", "5", "1", "1.0", TileID{}, "y"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseTileID(tc.z, tc.x, tc.y)
			if tc.wantParam == "" {
				if err != nil || got != tc.want {
					t.Fatalf("got %v, %v; want %v", got, err, tc.want)
				}
				return
			}
			var p *httpx.Problem
			if !errors.As(err, &p) || p.Status != 400 || p.Parameter != tc.wantParam {
				t.Fatalf("err = %v, want a 400 problem on %s", err, tc.wantParam)
			}
		})
	}
}

// oracle is orb's answer: the tiles holding the box's NW and SE corners.
func oracle(z int, w, s, e, n float64) [4]int {
	nw := maptile.At(orb.Point{w, n}, maptile.Zoom(z))
	se := maptile.At(orb.Point{e, s}, maptile.Zoom(z))
	return [4]int{int(nw.X), int(nw.Y), int(se.X), int(se.Y)}
}

func TestTileRangeAndBounds(t *testing.T) {
	tests := []struct {
		name string
		z    int
		box  [4]float64
		want [4]int // minX, minY, maxX, maxY
	}{
		{"world z0", 0, [4]float64{-180, -85, 180, 85}, [4]int{0, 0, 0, 0}},
		{"world z2", 2, [4]float64{-180, -90, 180, 90}, [4]int{0, 0, 3, 3}},
		{"Lucca z10", 10, [4]float64{10.42, 43.80, 10.62, 43.90}, oracle(10, 10.42, 43.80, 10.62, 43.90)},
		{"Lucca z16", 16, [4]float64{10.42, 43.80, 10.62, 43.90}, oracle(16, 10.42, 43.80, 10.62, 43.90)},
		{"a point", 15, [4]float64{10.5, 43.84, 10.5, 43.84}, oracle(15, 10.5, 43.84, 10.5, 43.84)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b, c, d := TileRange(tc.z, tc.box)
			if got := [4]int{a, b, c, d}; got != tc.want {
				t.Fatalf("TileRange = %v, want %v", got, tc.want)
			}
			// The corner tiles' bounds must hold the box's corners.
			nw := TileID{tc.z, a, b}.LonLatBounds()
			se := TileID{tc.z, c, d}.LonLatBounds()
			if nw[0] > math.Max(tc.box[0], -180) || se[2] < math.Min(tc.box[2], 180) {
				t.Errorf("tiles %v..%v do not cover the box %v", nw, se, tc.box)
			}
		})
	}
}
