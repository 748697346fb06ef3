package tiles

import (
	"errors"
	"testing"

	"github.com/sit-gis/sit/internal/httpx"
)

// FuzzParseTileID: any z/x/y path segments parse to a tile on the grid or
// to a 400 naming z, x or y; nothing panics.
func FuzzParseTileID(f *testing.F) {
	for _, s := range [][3]string{{"16", "34676", "23861"}, {"0", "0", "0"}, {"24", "16777215", "0"}, {"25", "0", "0"}, {"-1", "0", "0"}, {"1e3", "0", "0"}, {"", "", ""}, {"0x1", "1", "1"}, {"99999999999999999999", "0", "0"}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, z, x, y string) {
		tile, err := ParseTileID(z, x, y)
		if err != nil {
			mustNameOneOf(t, err, "z", "x", "y")
			return
		}
		if !tile.Valid() {
			t.Fatalf("%q/%q/%q parsed to %v, off the grid", z, x, y, tile)
		}
	})
}

// FuzzParseOGCTile: the same for OGC API Tiles' tileMatrix/tileRow/tileCol.
func FuzzParseOGCTile(f *testing.F) {
	for _, s := range [][3]string{{"16", "23861", "34676"}, {"0", "0", "0"}, {"30", "0", "0"}, {"2", "4", "0"}, {"a", "b", "c"}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, m, row, col string) {
		tile, err := ParseOGCTile(m, row, col)
		if err != nil {
			mustNameOneOf(t, err, "tileMatrix", "tileRow", "tileCol")
			return
		}
		if !tile.Valid() {
			t.Fatalf("%q/%q/%q parsed to %v, off the grid", m, row, col, tile)
		}
	})
}

// FuzzGlyphs: any font stack and range give glyphs, a 404 naming the
// stack or a 400 naming the range.
func FuzzGlyphs(f *testing.F) {
	for _, s := range [][2]string{{FontName, "0-255.pbf"}, {"Foo,Open Sans Regular", "256-511.pbf"}, {"../../etc", "0-255.pbf"}, {FontName, "1-256.pbf"}, {FontName, "-256--1.pbf"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, stack, rng string) {
		if _, err := Glyphs(stack, rng); err != nil {
			mustNameOneOf(t, err, "fontstack", "range")
		}
	})
}

func mustNameOneOf(t *testing.T, err error, params ...string) {
	t.Helper()
	p := asProblem(t, err)
	for _, name := range params {
		if p.Parameter == name && p.Status < 500 {
			return
		}
	}
	t.Fatalf("error %v names %q, want one of %v", err, p.Parameter, params)
}

func asProblem(t *testing.T, err error) *httpx.Problem {
	t.Helper()
	var p *httpx.Problem
	if !errors.As(err, &p) {
		t.Fatalf("error %v (%T) is not a problem", err, err)
	}
	return p
}
