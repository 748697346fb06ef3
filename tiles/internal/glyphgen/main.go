// Command glyphgen makes the SDF glyph ranges (MapLibre's glyphs .pbf)
// that SIT embeds, from a TrueType font: the same encoding as node-fontnik
// (24 px, a 3 px border, signed distance over 8 px, cutoff 0.25, as in
// TinySDF), so MapLibre GL JS draws the labels of /styles/*.json without
// any external font server.
//
//	go run ./tiles/internal/glyphgen -font /usr/share/fonts/truetype/open-sans/OpenSans-Regular.ttf \
//	    -name "Open Sans Regular" -out tiles/fonts
package main

import (
	"errors"
	"flag"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
	"google.golang.org/protobuf/encoding/protowire"
)

const (
	fontSize = 24
	border   = 3
	radius   = 8
	cutoff   = 0.25
)

func main() {
	fontPath := flag.String("font", "", "TrueType font file")
	name := flag.String("name", "", "font stack name (e.g. Open Sans Regular)")
	out := flag.String("out", "tiles/fonts", "output directory (a folder per font)")
	last := flag.Int("ranges", 1, "number of 256-codepoint ranges from 0 (1: 0-255)")
	flag.Parse()
	if *fontPath == "" || *name == "" {
		fmt.Fprintln(os.Stderr, "glyphgen: -font and -name are required")
		os.Exit(2)
	}
	if err := run(*fontPath, *name, *out, *last); err != nil {
		fmt.Fprintln(os.Stderr, "glyphgen:", err)
		os.Exit(1)
	}
}

func run(fontPath, name, out string, ranges int) error {
	b, err := os.ReadFile(fontPath)
	if err != nil {
		return err
	}
	f, err := sfnt.Parse(b)
	if err != nil {
		return fmt.Errorf("%s: %w", fontPath, err)
	}
	dir := filepath.Join(out, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for r := 0; r < ranges; r++ {
		start := r * 256
		pbf, n, err := rangePBF(f, name, start, start+255)
		if err != nil {
			return err
		}
		file := filepath.Join(dir, fmt.Sprintf("%d-%d.pbf", start, start+255))
		if err := os.WriteFile(file, pbf, 0o644); err != nil {
			return err
		}
		fmt.Printf("%s: %d glyphs, %d bytes\n", file, n, len(pbf))
	}
	return nil
}

// rangePBF encodes glyphs{stacks{name, range, glyphs...}} (fields 1; 1, 2, 3).
func rangePBF(f *sfnt.Font, name string, lo, hi int) ([]byte, int, error) {
	var buf sfnt.Buffer
	ppem := fixed.I(fontSize)
	m, err := f.Metrics(&buf, ppem, font.HintingNone)
	if err != nil {
		return nil, 0, err
	}
	ascender := m.Ascent.Ceil()
	var stack []byte
	stack = protowire.AppendTag(stack, 1, protowire.BytesType)
	stack = protowire.AppendString(stack, name)
	stack = protowire.AppendTag(stack, 2, protowire.BytesType)
	stack = protowire.AppendString(stack, fmt.Sprintf("%d-%d", lo, hi))
	n := 0
	for cp := lo; cp <= hi; cp++ {
		g, ok, err := glyph(f, &buf, rune(cp), ppem, ascender)
		if err != nil {
			return nil, 0, fmt.Errorf("U+%04X: %w", cp, err)
		}
		if !ok {
			continue
		}
		stack = protowire.AppendTag(stack, 3, protowire.BytesType)
		stack = protowire.AppendBytes(stack, g)
		n++
	}
	var msg []byte
	msg = protowire.AppendTag(msg, 1, protowire.BytesType)
	msg = protowire.AppendBytes(msg, stack)
	return msg, n, nil
}

// glyph encodes one glyph: id 1, bitmap 2, width 3, height 4, left 5
// (sint32), top 6 (sint32, from the ascender as fontnik does), advance 7.
func glyph(f *sfnt.Font, buf *sfnt.Buffer, r rune, ppem fixed.Int26_6, ascender int) ([]byte, bool, error) {
	idx, err := f.GlyphIndex(buf, r)
	if err != nil || idx == 0 {
		return nil, false, nil
	}
	adv, err := f.GlyphAdvance(buf, idx, ppem, font.HintingNone)
	if err != nil {
		return nil, false, err
	}
	segs, err := f.LoadGlyph(buf, idx, ppem, nil)
	if err != nil && !errors.Is(err, sfnt.ErrNotFound) {
		return nil, false, err
	}
	var out []byte
	out = protowire.AppendTag(out, 1, protowire.VarintType)
	out = protowire.AppendVarint(out, uint64(r))
	bounds := segs.Bounds() // y down
	w := bounds.Max.X.Ceil() - bounds.Min.X.Floor()
	h := bounds.Max.Y.Ceil() - bounds.Min.Y.Floor()
	left, top := bounds.Min.X.Floor(), -bounds.Min.Y.Floor()
	if len(segs) == 0 || w <= 0 || h <= 0 {
		w, h, left, top = 0, 0, 0, 0
	} else {
		out = protowire.AppendTag(out, 2, protowire.BytesType)
		out = protowire.AppendBytes(out, sdf(segs, bounds.Min.X.Floor(), bounds.Min.Y.Floor(), w, h))
	}
	out = protowire.AppendTag(out, 3, protowire.VarintType)
	out = protowire.AppendVarint(out, uint64(w))
	out = protowire.AppendTag(out, 4, protowire.VarintType)
	out = protowire.AppendVarint(out, uint64(h))
	out = protowire.AppendTag(out, 5, protowire.VarintType)
	out = protowire.AppendVarint(out, protowire.EncodeZigZag(int64(left)))
	out = protowire.AppendTag(out, 6, protowire.VarintType)
	out = protowire.AppendVarint(out, protowire.EncodeZigZag(int64(top-ascender)))
	out = protowire.AppendTag(out, 7, protowire.VarintType)
	out = protowire.AppendVarint(out, uint64(adv.Round()))
	return out, true, nil
}

// sdf rasterises the outline with a border and turns coverage into a
// signed distance field (TinySDF's method: two Euclidean distance
// transforms, outside and inside, with sub-pixel edges from coverage).
func sdf(segs sfnt.Segments, x0, y0, w, h int) []byte {
	W, H := w+2*border, h+2*border
	ras := vector.NewRasterizer(W, H)
	ox, oy := float32(border-x0), float32(border-y0)
	pt := func(p fixed.Point26_6) (float32, float32) {
		return float32(p.X)/64 + ox, float32(p.Y)/64 + oy
	}
	for _, s := range segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			x, y := pt(s.Args[0])
			ras.MoveTo(x, y)
		case sfnt.SegmentOpLineTo:
			x, y := pt(s.Args[0])
			ras.LineTo(x, y)
		case sfnt.SegmentOpQuadTo:
			x1, y1 := pt(s.Args[0])
			x2, y2 := pt(s.Args[1])
			ras.QuadTo(x1, y1, x2, y2)
		case sfnt.SegmentOpCubeTo:
			x1, y1 := pt(s.Args[0])
			x2, y2 := pt(s.Args[1])
			x3, y3 := pt(s.Args[2])
			ras.CubeTo(x1, y1, x2, y2, x3, y3)
		}
	}
	ras.ClosePath()
	alpha := image.NewAlpha(image.Rect(0, 0, W, H))
	ras.Draw(alpha, alpha.Bounds(), image.Opaque, image.Point{})

	outer := make([]float64, W*H)
	inner := make([]float64, W*H)
	for i, a8 := range alpha.Pix {
		a := float64(a8) / 255
		switch {
		case a >= 1:
			outer[i], inner[i] = 0, inf
		case a <= 0:
			outer[i], inner[i] = inf, 0
		default:
			d := 0.5 - a
			outer[i], inner[i] = math.Max(0, d)*math.Max(0, d), math.Max(0, -d)*math.Max(0, -d)
		}
	}
	edt(outer, W, H)
	edt(inner, W, H)
	out := make([]byte, W*H)
	for i := range out {
		d := math.Sqrt(outer[i]) - math.Sqrt(inner[i])
		v := math.Round(255 - 255*(d/radius+cutoff))
		out[i] = byte(math.Max(0, math.Min(255, v)))
	}
	return out
}

// edt is the 2D squared Euclidean distance transform (Felzenszwalb &
// Huttenlocher), in place: columns, then rows.
func edt(grid []float64, w, h int) {
	n := max(w, h)
	f := make([]float64, n)
	v := make([]int, n)
	z := make([]float64, n+1)
	for x := 0; x < w; x++ {
		edt1d(grid, x, w, h, f, v, z)
	}
	for y := 0; y < h; y++ {
		edt1d(grid, y*w, 1, w, f, v, z)
	}
}

func edt1d(grid []float64, offset, stride, length int, f []float64, v []int, z []float64) {
	for q := 0; q < length; q++ {
		f[q] = grid[offset+q*stride]
	}
	v[0] = 0
	z[0], z[1] = -inf, inf
	k := 0
	for q := 1; q < length; q++ {
		var s float64
		for {
			r := v[k]
			s = (f[q] - f[r] + float64(q*q-r*r)) / float64(2*(q-r))
			if s > z[k] || k == 0 {
				break
			}
			k--
		}
		k++
		v[k] = q
		z[k], z[k+1] = s, inf
	}
	k = 0
	for q := 0; q < length; q++ {
		for z[k+1] < float64(q) {
			k++
		}
		r := v[k]
		grid[offset+q*stride] = f[r] + float64((q-r)*(q-r))
	}
}

// inf stands for "no edge in reach": a large finite number, as in TinySDF,
// so that differences of two never give NaN.
const inf = 1e20
