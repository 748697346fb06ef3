package tiles

import (
	"fmt"
	"math"
	"strconv"

	"github.com/sit-gis/sit/internal/httpx"
)

// MaxZoom is the deepest zoom served (the limit of DESIGN §7).
const MaxZoom = 24

// Extent and Buffer are the tile grid: 4096 units a side, 64 units of
// buffer around (what MapLibre expects, and what the anchors measured).
const (
	Extent = 4096
	Buffer = 64
)

// earthHalf is half the width of the Web Mercator plane, in metres.
const earthHalf = 20037508.342789244

// TileID is one tile of the WebMercatorQuad (XYZ, y down from the north).
type TileID struct {
	Z, X, Y int
}

func (t TileID) String() string { return fmt.Sprintf("%d/%d/%d", t.Z, t.X, t.Y) }

// Valid reports whether the tile exists on the grid.
func (t TileID) Valid() bool {
	if t.Z < 0 || t.Z > MaxZoom {
		return false
	}
	n := 1 << t.Z
	return t.X >= 0 && t.X < n && t.Y >= 0 && t.Y < n
}

// ParseTileID reads z, x and y from path segments. Bad input is a 400
// problem naming the parameter.
func ParseTileID(z, x, y string) (TileID, error) {
	var t TileID
	var err error
	if t.Z, err = parseCoord("z", z, MaxZoom); err != nil {
		return t, err
	}
	max := (1 << t.Z) - 1
	if t.X, err = parseCoord("x", x, max); err != nil {
		return t, err
	}
	if t.Y, err = parseCoord("y", y, max); err != nil {
		return t, err
	}
	return t, nil
}

func parseCoord(name, s string, max int) (int, error) {
	// Only plain decimal digits: no sign, no spaces, no hex.
	if s == "" || len(s) > 9 {
		return 0, httpx.BadParameter(name, fmt.Sprintf("%s must be an integer from 0 to %d, got %q", name, max, s))
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, httpx.BadParameter(name, fmt.Sprintf("%s must be an integer from 0 to %d, got %q", name, max, s))
		}
	}
	v, err := strconv.Atoi(s)
	if err != nil || v > max {
		return 0, httpx.BadParameter(name, fmt.Sprintf("%s must be an integer from 0 to %d, got %q", name, max, s))
	}
	return v, nil
}

// Span is the width of the tile in Web Mercator metres.
func (t TileID) Span() float64 { return 2 * earthHalf / float64(int64(1)<<t.Z) }

// LonLatBounds returns the tile's west, south, east, north in degrees.
func (t TileID) LonLatBounds() [4]float64 {
	n := float64(int64(1) << t.Z)
	west := float64(t.X)/n*360 - 180
	east := float64(t.X+1)/n*360 - 180
	north := tileLat(float64(t.Y), n)
	south := tileLat(float64(t.Y+1), n)
	return [4]float64{west, south, east, north}
}

func tileLat(y, n float64) float64 {
	return math.Atan(math.Sinh(math.Pi*(1-2*y/n))) * 180 / math.Pi
}

// maxLat is the latitude limit of Web Mercator.
const maxLat = 85.0511287798066

// TileRange is the range of tiles at zoom z that cover a lon/lat box
// (west, south, east, north), clamped to the grid.
func TileRange(z int, b [4]float64) (minX, minY, maxX, maxY int) {
	n := float64(int64(1) << z)
	col := func(lon float64) int { return clamp(int(math.Floor((lon+180)/360*n)), 0, int(n)-1) }
	row := func(lat float64) int {
		lat = math.Max(-maxLat, math.Min(maxLat, lat))
		r := lat * math.Pi / 180
		return clamp(int(math.Floor((1-math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi)/2*n)), 0, int(n)-1)
	}
	return col(b[0]), row(b[3]), col(b[2]), row(b[1])
}

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
